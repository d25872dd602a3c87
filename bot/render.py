"""What the bot says: command help and the HTML of replies, every outside string escaped."""

from __future__ import annotations

import gettext
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from jobs.i18n import ENGLISH, N_, translation
from jobs.messages import (
    MESSAGE_LIMIT,
    entity_line,
    escape,
    link,
    split_message,
    truncate_visible,
    utf16_length,
    visible_length,
)
from jobs.plurals import counted
from jobs.reader_language import chat_language, format_moment, own_name, source_language_note
from jobs.timezones import TimezoneError, parse_timezone
from jobs.user_input import quoted
from store.chats import ChatSource
from store.models import AlertRule, Article, Chat
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
        N_("alert me when a story matches"),
        "/alert QUERY",
        '/alert "wind farm" OR turbines -opinion',
    ),
    CommandHelp("alerts", N_("list and remove your alerts"), "/alerts"),
    CommandHelp(
        "follow",
        "follow a story: an update when other outlets or new figures come (or tap 🔔 Follow)",
        "/follow N | LINK",
        "/follow 2",
    ),
    CommandHelp("following", "the stories you follow, with Unfollow buttons", "/following"),
    CommandHelp(
        "summary",
        N_("summarize a link, or the message you reply to"),
        "/summary URL",
        "/summary https://example.org/story",
    ),
    CommandHelp("search", N_("search recent stories"), "/search WORDS", "/search interest rates"),
    CommandHelp(
        "trend", N_("a chart of how often words came up"), "/trend WORDS", "/trend wind farm"
    ),
    CommandHelp(
        "channel",
        N_("post digests to a channel you run"),
        "/channel @name | off @name",
        "/channel @harbournews",
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
            'Alert queries: words (all must appear), "quoted phrases", OR between alternatives, '
            "-word to exclude. Case and accents are ignored."
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
    tail = tr.gettext("Tap a button to remove an alert.")
    room = _line_room(head, tail, len(rules))
    lines = [head]
    for number, rule in enumerate(rules, start=1):
        prefix = f"{number}. "
        query = truncate_visible(rule.shown, room - utf16_length(prefix))
        lines.append(f"{prefix}<code>{escape(query)}</code>")
    lines.append(tail)
    return "\n".join(lines)


def render_search(
    query: str, articles: Sequence[Article], tr: gettext.NullTranslations | None = None
) -> list[str]:
    tr = _english(tr)
    if not articles:
        return [
            tr.gettext("Nothing in the last 30 days matches {query}.").format(
                query=f"<b>{escape(quoted(query))}</b>"
            )
        ]
    items = []
    for article in articles:
        item = link(article.canonical_url, article.title or article.canonical_url)
        when = article.published_at or article.fetched_at
        item += f" <i>{when:%-d %b}</i>"
        if article.summary and article.summary.sentences:
            item += "\n" + escape(" ".join(article.summary.sentences[:2]))
        items.append(item)
    found = counted(len(articles), "recent story", "recent stories", translations=tr)
    head = f"🔎 <b>{escape(quoted(query))}</b>: {found}"
    return split_message(head, items)
