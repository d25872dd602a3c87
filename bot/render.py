"""What the bot says: command help and the HTML of replies, every outside string escaped."""

from __future__ import annotations

import gettext
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from jobs.digests import also_reported_by
from jobs.i18n import ENGLISH, N_, translation
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
from jobs.reader_language import (
    chat_language,
    format_moment,
    format_short_day,
    own_name,
    source_language_note,
)
from jobs.search_results import PAGE_SIZE, FoundStory
from jobs.timezones import TimezoneError, parse_timezone
from jobs.user_input import quoted
from store.chats import ChatSource
from store.models import AlertMode, AlertRule, Chat, MuteRule
from summarizer import Digest


@dataclass(frozen=True, slots=True)
class CommandHelp:
    """A command as /help lists it; ``summary`` is marked for the catalogs, translated when shown.

    Usage and example stay as written: commands and their arguments are not translated.
    """

    name: str
    summary: str
    usage: str
    example: str = ""


COMMANDS: tuple[CommandHelp, ...] = (
    CommandHelp("start", N_("what I do, and a first digest"), "/start [topic]", "/start tech"),
    CommandHelp("help", N_("all commands with examples"), "/help"),
    CommandHelp("digest", N_("the latest digest now"), "/digest"),
    CommandHelp("sources", N_("pick sources from the catalog"), "/sources"),
    CommandHelp(
        "add",
        N_("add your own source (a feed or a site)"),
        "/add URL",
        "/add https://example.org/news",
    ),
    CommandHelp("mysources", N_("list your sources; unmute a muted one"), "/mysources"),
    CommandHelp("remove", N_("remove one of your sources"), "/remove"),
    CommandHelp(
        "export",
        N_("your sources as an OPML file; send me an .opml file to subscribe to its feeds"),
        "/export",
    ),
    CommandHelp(
        "settings",
        N_("digest schedule (daily, weekdays, weekly, several times), length, entities, figures"),
        "/settings [schedule]",
        "/settings weekly mon 08:00",
    ),
    CommandHelp("timezone", N_("your time zone"), "/timezone ZONE", "/timezone Europe/Berlin"),
    CommandHelp("language", N_("the language I write in"), "/language [code]", "/language de"),
    CommandHelp("quiet", N_("quiet hours for alerts"), "/quiet FROM-TO | off", "/quiet 22-07"),
    CommandHelp(
        "pause",
        N_("no digests or alerts for a while; alerts then come as one list"),
        "/pause [3d | 12h]",
        "/pause 3d",
    ),
    CommandHelp("resume", N_("end a pause now"), "/resume"),
    CommandHelp(
        "alert",
        N_("alert me when a story matches; with daily, once a day in a round-up with the digest"),
        "/alert [daily] QUERY",
        '/alert "wind farm" OR turbines -opinion',
    ),
    CommandHelp(
        "alerts",
        N_("list your alerts; remove them, or switch instant ↔ daily round-up"),
        "/alerts",
    ),
    CommandHelp(
        "mute",
        N_(
            "hide stories matching a query (alert syntax) from digests and alerts; alone, list mutes"
        ),
        "/mute [QUERY]",
        "/mute football OR cricket",
    ),
    CommandHelp(
        "unmute",
        N_("stop hiding a query; alone, list mutes"),
        "/unmute [QUERY]",
        "/unmute football OR cricket",
    ),
    CommandHelp(
        "follow",
        N_("follow a story: an update when other outlets or new figures come (or tap 🔔 Follow)"),
        "/follow N | LINK",
        "/follow 2",
    ),
    CommandHelp("following", N_("the stories you follow, with Unfollow buttons"), "/following"),
    CommandHelp(
        "summary",
        N_("summarize a link, or the message you reply to"),
        "/summary URL",
        "/summary https://example.org/story",
    ),
    CommandHelp(
        "search",
        N_("search recent stories, one result per story, newest first"),
        "/search WORDS",
        "/search interest rates",
    ),
    CommandHelp(
        "trend", N_("a chart of how often words came up"), "/trend WORDS", "/trend wind farm"
    ),
    CommandHelp(
        "channel",
        N_("post digests to a channel you run; pause or resume its digests"),
        "/channel @name | off @name | pause [@name] [3d] | resume [@name]",
        "/channel pause @harbournews 3d",
    ),
    CommandHelp("stop", N_("unsubscribe and delete all I store about this chat"), "/stop"),
)
ADMIN_COMMANDS = (CommandHelp("stats", N_("numbers for admins"), "/stats"),)


def _english(tr: gettext.NullTranslations | None) -> gettext.NullTranslations:
    return tr or translation(ENGLISH)


def usage(name: str, tr: gettext.NullTranslations | None = None) -> str:
    tr = _english(tr)
    for command in (*COMMANDS, *ADMIN_COMMANDS):
        if command.name == name:
            text = tr.gettext("Usage: {usage}").format(
                usage=f"<code>{escape(command.usage)}</code>"
            )
            if command.example:
                text += "\n" + tr.gettext("Example: {example}").format(
                    example=f"<code>{escape(command.example)}</code>"
                )
            return text
    return ""


def render_help(*, admin: bool, tr: gettext.NullTranslations | None = None) -> str:
    tr = _english(tr)
    lines = ["<b>" + tr.gettext("What I can do") + "</b>"]
    for command in (*COMMANDS, *(ADMIN_COMMANDS if admin else ())):
        line = f"/{command.name} — {escape(tr.gettext(command.summary))}"
        if command.example:
            line += "\n    " + tr.gettext("e.g. {example}").format(
                example=f"<code>{escape(command.example)}</code>"
            )
        lines.append(line)
    lines.append(
        "\n"
        + tr.gettext(
            "Under a digest, tap a story's number for its buttons: ➕ More (the full summary), "
            "🔇 Mute its source, 🔔 Follow; alerts carry them directly."
        )
        + "\n"
        + tr.gettext(
            "Send me a link, or paste or forward a long text, and I reply with its summary."
        )
        + "\n"
        + tr.gettext(
            'Alert and mute queries: words (all must appear), "quoted phrases", OR between '
            "alternatives, -word to exclude. Case and accents are ignored."
        )
    )
    return "\n".join(lines)


def welcome(tr: gettext.NullTranslations | None = None) -> str:
    """The /start greeting; the topic buttons follow it."""
    tr = _english(tr)
    button = "<b>" + tr.gettext("First digest") + "</b>"
    return (
        "👋 <b>"
        + tr.gettext("Hello! I'm newsdigest.")
        + "</b>\n"
        + tr.gettext(
            "I read news feeds for you and send one calm digest a day, on your schedule, with "
            "the key people, places and figures of each story. I can also alert you the moment "
            "a story matches your topics, and summarize any link or text you send me."
        )
        + "\n\n"
        + tr.gettext("Pick a topic to start, then tap {button}:").format(button=button)
    )


def render_link_digest(
    title: str | None,
    url: str | None,
    digest: Digest,
    tr: gettext.NullTranslations | None = None,
    *,
    reader: str | None = None,
) -> str:
    """An on-demand summary: title, summary, key entities and figures, source link; the
    story's language when it is not the reader's."""
    tr = _english(tr)
    heading = title or digest.title or tr.gettext("Summary")
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
    footer = "⏱ " + tr.ngettext(
        "{count} min read", "{count} min read", digest.reading_minutes
    ).format(count=digest.reading_minutes)
    written_in = source_language_note(digest.language, reader=reader)
    if written_in:
        footer += f" · {escape(written_in)}"
    if url:
        footer += " · " + link(url, tr.gettext("source"))
    tail.append(footer)
    # Telegram counts UTF-16 units of the visible text: the summary gets what the rest leaves.
    room = MESSAGE_LIMIT - visible_length("\n".join(head + tail)) - 1
    summary = truncate_visible(" ".join(digest.sentences), room)
    return "\n".join([*head, escape(summary), *tail])


def _line_room(head: str, tail: str, count: int) -> int:
    """UTF-16 units each of ``count`` lines may take between ``head`` and ``tail`` (and newlines)."""
    fixed = visible_length(head) + visible_length(tail) + 1
    return max(16, (MESSAGE_LIMIT - fixed) // max(count, 1) - 1)


def render_sources(
    sources: Sequence[ChatSource], tr: gettext.NullTranslations | None = None
) -> str:
    tr = _english(tr)
    if not sources:
        return tr.gettext(
            "You have no sources yet. Pick some with /sources or add one with /add URL."
        )
    head = "<b>" + tr.gettext("Your sources") + f"</b> ({len(sources)})"
    room = _line_room(head, "", len(sources))
    lines = [head]
    for source in sources:
        mark = " ⚠️ " + tr.gettext("not working") if source.broken else ""
        if source.muted:
            mark += " 🔇 " + tr.gettext("muted")
        title = truncate_visible(source.title, room - 2 - utf16_length(mark))
        lines.append(f"• {link(source.url, title)}{mark}")
    return "\n".join(lines)


def local_time_label(instant: datetime, zone: str, *, reader: str | None = None) -> str:
    """An instant as the chat's wall clock shows it (``Mon 7 Dec, 07:30``), in the reader's
    locale: stored times are UTC."""
    try:
        local = instant.astimezone(parse_timezone(zone))
    except TimezoneError:
        local = instant  # a zone unusable since it was set: UTC, which the label then names
    return format_moment(local, reader=reader)


def render_language_line(language: str | None) -> str:
    """The chat's language as /settings and /help name it, in that language."""
    text = translation(language).gettext("Language: {language} (/language)")
    return escape(text.format(language=own_name(chat_language(language))))


def on_off(on: bool, tr: gettext.NullTranslations) -> str:
    # TRANSLATORS: a setting's state in /settings (entities, figures), and "off" for quiet hours.
    return tr.gettext("on") if on else tr.gettext("off")


def render_settings(
    chat: Chat,
    schedule: str,
    next_at: datetime | None,
    tr: gettext.NullTranslations | None = None,
) -> str:
    tr = _english(tr)
    when = local_time_label(next_at, chat.timezone, reader=chat.language) if next_at else "—"
    examples = ", ".join(
        f"<code>/settings {example}</code>"
        for example in ("daily 07:30", "daily 08:00,18:00", "every 6h")
    )
    lines = [
        "<b>" + tr.gettext("Settings") + "</b>",
        tr.gettext("Digest: {schedule} ({zone}), next: {when}").format(
            schedule=escape(schedule), zone=escape(chat.timezone), when=when
        ),
        render_language_line(chat.language),
        tr.gettext("Stories per digest: {count}").format(count=chat.items_per_digest),
        tr.gettext("Summary: {sentences}").format(
            sentences=counted(chat.summary_sentences, "sentence", "sentences", translations=tr)
        ),
        tr.gettext("Entities: {entities} · Figures: {figures}").format(
            entities=on_off(chat.show_entities, tr), figures=on_off(chat.show_figures, tr)
        ),
        tr.gettext("Quiet hours for alerts: {hours}").format(
            hours=escape(chat.quiet_hours or tr.gettext("off"))
        ),
        "",
        tr.gettext("Tap to change, or type e.g. {examples}.").format(examples=examples),
    ]
    return "\n".join(lines)


def render_alerts(rules: Sequence[AlertRule], tr: gettext.NullTranslations | None = None) -> str:
    tr = _english(tr)
    if not rules:
        return (
            tr.gettext("You have no alerts. Add one:") + " " + usage("alert", tr).split("\n", 1)[-1]
        )
    head = "<b>" + tr.gettext("Your alerts") + f"</b> ({len(rules)})"
    tail = tr.gettext(
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
        when = format_short_day(found.when, reader=language)
        item = f"<b>{number}.</b> {link(found.url, title)} <i>{escape(when)}</i>"
        if found.source:
            item += f"\n<i>{escape(found.source)}</i>{also_reported_by(story.also, tr)}"
        if found.sentences:
            item += "\n" + escape(truncate_visible(" ".join(found.sentences[:2]), room))
        items.append(item)
    return "\n\n".join(items)
