"""What the bot says: command help and the HTML of replies, every outside string escaped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from jobs.digests import also_reported_by
from jobs.i18n import translation
from jobs.messages import (
    MESSAGE_LIMIT,
    entity_line,
    escape,
    link,
    truncate_visible,
    utf16_length,
    visible_length,
)
from jobs.plurals import counted
from jobs.search_results import PAGE_SIZE, FoundStory
from jobs.timezones import TimezoneError, parse_timezone
from jobs.user_input import quoted
from store.chats import ChatSource
from store.models import AlertMode, AlertRule, Chat, MuteRule
from summarizer import Digest


@dataclass(frozen=True, slots=True)
class CommandHelp:
    name: str
    summary: str
    usage: str
    example: str = ""


COMMANDS: tuple[CommandHelp, ...] = (
    CommandHelp("start", "what I do, and a first digest", "/start [topic]", "/start tech"),
    CommandHelp("help", "all commands with examples", "/help"),
    CommandHelp("digest", "the latest digest now", "/digest"),
    CommandHelp("sources", "pick sources from the catalog", "/sources"),
    CommandHelp(
        "add", "add your own source (a feed or a site)", "/add URL", "/add https://example.org/news"
    ),
    CommandHelp("mysources", "list your sources", "/mysources"),
    CommandHelp("remove", "remove one of your sources", "/remove"),
    CommandHelp(
        "export",
        "your sources as an OPML file; send me an .opml file to subscribe to its feeds",
        "/export",
    ),
    CommandHelp(
        "settings",
        "digest schedule (daily, weekdays, weekly, several times), length, entities, figures",
        "/settings [schedule]",
        "/settings weekly mon 08:00",
    ),
    CommandHelp("timezone", "your time zone", "/timezone ZONE", "/timezone Europe/Berlin"),
    CommandHelp("quiet", "quiet hours for alerts", "/quiet FROM-TO | off", "/quiet 22-07"),
    CommandHelp(
        "pause",
        "no digests or alerts for a while; alerts then come as one list",
        "/pause [3d | 12h]",
        "/pause 3d",
    ),
    CommandHelp("resume", "end a pause now", "/resume"),
    CommandHelp(
        "alert",
        "alert me when a story matches; with daily, once a day in a round-up with the digest",
        "/alert [daily] QUERY",
        '/alert "wind farm" OR turbines -opinion',
    ),
    CommandHelp(
        "alerts", "list your alerts; remove them, or switch instant ↔ daily round-up", "/alerts"
    ),
    CommandHelp(
        "mute",
        "hide stories matching a query (alert syntax) from digests and alerts; alone, list mutes",
        "/mute [QUERY]",
        "/mute football OR cricket",
    ),
    CommandHelp(
        "unmute",
        "stop hiding a query; alone, list mutes",
        "/unmute [QUERY]",
        "/unmute football OR cricket",
    ),
    CommandHelp(
        "summary",
        "summarize a link, or the message you reply to",
        "/summary URL",
        "/summary https://example.org/story",
    ),
    CommandHelp(
        "search",
        "search recent stories, one result per story, newest first",
        "/search WORDS",
        "/search interest rates",
    ),
    CommandHelp("trend", "a chart of how often words came up", "/trend WORDS", "/trend wind farm"),
    CommandHelp(
        "channel",
        "post digests to a channel you run; pause or resume its digests",
        "/channel @name | off @name | pause [@name] [3d] | resume [@name]",
        "/channel pause @harbournews 3d",
    ),
    CommandHelp("stop", "unsubscribe and delete all I store about this chat", "/stop"),
)
ADMIN_COMMANDS = (CommandHelp("stats", "numbers for admins", "/stats"),)


def usage(name: str) -> str:
    for command in (*COMMANDS, *ADMIN_COMMANDS):
        if command.name == name:
            text = f"Usage: <code>{escape(command.usage)}</code>"
            if command.example:
                text += f"\nExample: <code>{escape(command.example)}</code>"
            return text
    return ""


def render_help(*, admin: bool) -> str:
    lines = ["<b>What I can do</b>"]
    for command in (*COMMANDS, *(ADMIN_COMMANDS if admin else ())):
        line = f"/{command.name} — {escape(command.summary)}"
        if command.example:
            line += f"\n    e.g. <code>{escape(command.example)}</code>"
        lines.append(line)
    lines.append(
        "\nSend me a link, or paste or forward a long text, and I reply with its summary."
        '\nAlert and mute queries: words (all must appear), "quoted phrases", OR between '
        "alternatives, -word to exclude. Case and accents are ignored."
    )
    return "\n".join(lines)


WELCOME = (
    "👋 <b>Hello! I'm newsdigest.</b>\n"
    "I read news feeds for you and send one calm digest a day, on your schedule, with the key "
    "people, places and figures of each story. I can also alert you the moment a story matches "
    "your topics, and summarize any link or text you send me.\n\n"
    "Pick a topic to start, then tap <b>First digest</b>:"
)


def render_link_digest(title: str | None, url: str | None, digest: Digest) -> str:
    """An on-demand summary: title, summary, key entities and figures, source link."""
    heading = title or digest.title or "Summary"
    head = [f"<b>{escape(truncate_visible(heading, 300))}</b>"]
    tail = []
    if digest.entities:
        shown = [(entity.text, entity.kind) for entity in digest.entities[:6]]
        tail.append(entity_line(shown))
    if digest.figures:
        figures = "; ".join(
            f"{figure.shown()} ({figure.about})" if figure.about else figure.shown()
            for figure in digest.figures[:4]
        )
        tail.append(f"📊 {escape(truncate_visible(figures, 500))}")
    footer = f"⏱ {digest.reading_minutes} min read"
    if url:
        footer += f" · {link(url, 'source')}"
    tail.append(footer)
    # Telegram counts UTF-16 units of the visible text: the summary gets what the rest leaves.
    room = MESSAGE_LIMIT - visible_length("\n".join(head + tail)) - 1
    summary = truncate_visible(" ".join(digest.sentences), room)
    return "\n".join([*head, escape(summary), *tail])


def _line_room(head: str, tail: str, count: int) -> int:
    """UTF-16 units each of ``count`` lines may take between ``head`` and ``tail`` (and newlines)."""
    fixed = visible_length(head) + visible_length(tail) + 1
    return max(16, (MESSAGE_LIMIT - fixed) // max(count, 1) - 1)


def render_sources(sources: Sequence[ChatSource]) -> str:
    if not sources:
        return "You have no sources yet. Pick some with /sources or add one with /add URL."
    head = f"<b>Your sources</b> ({len(sources)})"
    room = _line_room(head, "", len(sources))
    lines = [head]
    for source in sources:
        mark = " ⚠️ not working" if source.broken else ""
        title = truncate_visible(source.title, room - 2 - utf16_length(mark))
        lines.append(f"• {link(source.url, title)}{mark}")
    return "\n".join(lines)


def local_time_label(instant: datetime, zone: str) -> str:
    """An instant as the chat's wall clock shows it (``Mon 7 Dec, 07:30``): stored times are UTC."""
    try:
        local = instant.astimezone(parse_timezone(zone))
    except TimezoneError:
        local = instant  # a zone unusable since it was set: UTC, which the label then names
    return f"{local:%a %-d %b, %H:%M}"


def render_settings(chat: Chat, schedule: str, next_at: datetime | None) -> str:
    when = local_time_label(next_at, chat.timezone) if next_at else "—"
    return (
        "<b>Settings</b>\n"
        f"Digest: {escape(schedule)} ({escape(chat.timezone)}), next: {when}\n"
        f"Stories per digest: {chat.items_per_digest}\n"
        f"Summary: {counted(chat.summary_sentences, 'sentence', 'sentences')}\n"
        f"Entities: {'on' if chat.show_entities else 'off'} · "
        f"Figures: {'on' if chat.show_figures else 'off'}\n"
        f"Quiet hours for alerts: {escape(chat.quiet_hours or 'off')}\n\n"
        "Tap to change, or type e.g. <code>/settings daily 07:30</code>, "
        "<code>/settings daily 08:00,18:00</code>, <code>/settings every 6h</code>."
    )


def render_alerts(rules: Sequence[AlertRule]) -> str:
    if not rules:
        return "You have no alerts. Add one: " + usage("alert").split("\n", 1)[-1]
    head = f"<b>Your alerts</b> ({len(rules)})"
    tail = (
        "⚡ alerts you at once, 🗞 waits for the daily round-up with your digest.\n"
        "Tap ✖ to remove an alert, the other button to switch it."
    )
    marked = [(rule.shown, " 🗞" if rule.mode == AlertMode.DAILY else " ⚡") for rule in rules]
    return _numbered_queries(head, marked, tail)


def _numbered_queries(head: str, queries: Sequence[tuple[str, str]], tail: str) -> str:
    """``head``, each (query, mark) as a numbered line, ``tail``: queries cut to fit one message."""
    room = _line_room(head, tail, len(queries))
    lines = [head]
    for number, (shown, mark) in enumerate(queries, start=1):
        prefix = f"{number}. "
        query = truncate_visible(shown, room - utf16_length(prefix + mark))
        lines.append(f"{prefix}<code>{escape(query)}</code>{mark}")
    lines.append(tail)
    return "\n".join(lines)


def render_mutes(rules: Sequence[MuteRule], *, language: str | None) -> str:
    tr = translation(language)
    if not rules:
        return tr.gettext(
            "You have no mutes. Hide stories about a topic from digests and alerts with, "
            "for example: {example}"
        ).format(example="<code>/mute football OR cricket</code>")
    head = "🔇 <b>" + tr.gettext("Your mutes") + f"</b> ({len(rules)})"
    tail = tr.gettext(
        "Stories matching any of these are left out of your digests, alerts and round-ups. "
        "Tap a button to unmute."
    )
    return _numbered_queries(head, [(rule.written, "") for rule in rules], tail)


def render_search_page(
    query: str,
    stories: Sequence[FoundStory],
    *,
    total: int,
    page: int,
    pages: int,
    language: str | None,
) -> str:
    """One page of /search results: a story a result, its other outlets named, newest first."""
    tr = translation(language)
    if not total:
        return tr.gettext("Nothing in the last 30 days matches {query}.").format(
            query=f"<b>{escape(quoted(query))}</b>"
        )
    head = f"🔎 <b>{escape(quoted(query))}</b>: " + tr.ngettext(
        "{count} recent story", "{count} recent stories", total
    ).format(count=total)
    if pages > 1:
        head += " · " + tr.gettext("page {page} of {pages}").format(page=page + 1, pages=pages)
    items = [head]
    room = _line_room(head, "", len(stories)) // 2
    for number, story in enumerate(stories, start=page * PAGE_SIZE + 1):
        found = story.shown
        title = truncate_visible(found.title or found.url, room)
        item = f"<b>{number}.</b> {link(found.url, title)} <i>{found.when:%-d %b}</i>"
        if found.source:
            item += f"\n<i>{escape(found.source)}</i>{also_reported_by(story.also)}"
        if found.sentences:
            item += "\n" + escape(truncate_visible(" ".join(found.sentences[:2]), room))
        items.append(item)
    return "\n\n".join(items)
