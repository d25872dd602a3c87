"""OPML in the chat: a .opml or .xml file sent to the bot subscribes to its feeds; /export."""

from __future__ import annotations

import gettext

from telegram import Update
from telegram.error import TelegramError

from bot.context import Context
from bot.handlers.common import (
    chat_id_of,
    ensure_chat,
    may_change_settings,
    reply,
)
from bot.replies import send_all
from jobs.feeds import FeedError
from jobs.fetch import reader_reason
from jobs.i18n import ENGLISH, translation
from jobs.messages import escape, split_message, truncate_visible
from jobs.opml import OpmlOutline, parse_opml, render_opml
from jobs.opml_import import NO_ROOM, OpmlImportReport, import_outlines
from jobs.plurals import counted
from store import chats as chat_store
from store.models import utcnow

# Lines listed per group in the report; the rest are counted.
LISTED = 15
_NAME_CHARS = 80
_REASON_CHARS = 160


async def opml_file(update: Update, context: Context) -> None:
    """Subscribe the chat to the feeds of the OPML file it sent, and report on each."""
    message = update.effective_message
    assert message is not None and message.document is not None
    document = message.document
    if not await may_change_settings(update, context):
        return
    chat = await ensure_chat(update, context)
    tr = translation(chat.language)
    services = context.bot_data.services
    limits = services.settings.limits
    # Refused before downloading when Telegram tells the size, and after when it did not.
    if document.file_size is not None and document.file_size > limits.opml_max_bytes:
        await reply(update, context, _too_large(limits.opml_max_bytes, tr))
        return
    try:
        data = bytes(await (await document.get_file()).download_as_bytearray())
    except TelegramError as exc:
        await reply(
            update,
            context,
            tr.gettext("I could not download that file ({reason}). Send it again?").format(
                reason=escape(exc.message)
            ),
        )
        return
    if len(data) > limits.opml_max_bytes:
        await reply(update, context, _too_large(limits.opml_max_bytes, tr))
        return
    try:
        outlines = parse_opml(data)
    except FeedError as exc:
        await reply(
            update,
            context,
            tr.gettext(
                "I could not read that file: {reason}. "
                "Export an OPML file from your feed reader and send it here."
            ).format(reason=escape(exc.translated(tr))),
        )
        return
    if not outlines:
        await reply(
            update,
            context,
            tr.gettext("That OPML file lists no feeds (no outline has an xmlUrl)."),
        )
        return
    if len(outlines) > limits.opml_max_feeds:
        await reply(
            update,
            context,
            tr.ngettext(
                "That file lists {count} feed; I take at most {limit} from one file. "
                "Split it into smaller files and send them one by one.",
                "That file lists {count} feeds; I take at most {limit} from one file. "
                "Split it into smaller files and send them one by one.",
                len(outlines),
            ).format(count=len(outlines), limit=limits.opml_max_feeds),
        )
        return
    async with services.sessionmaker() as session:
        personal = await chat_store.count_personal_sources(session, chat.id)
    reading = tr.gettext("Reading {feeds}… this takes a moment.").format(
        feeds=counted(len(outlines), "feed", "feeds", translations=tr)
    )
    await reply(update, context, f"📥 {reading}")
    await context.bot.send_chat_action(chat.id, "typing")
    report = await import_outlines(
        services.sessionmaker,
        services.fetcher,
        chat.id,
        outlines,
        room=max(0, limits.sources_per_chat - personal),
        max_entries=limits.max_entries_per_feed,
        poll_interval=services.settings.poll_interval,
        now=utcnow(),
        reason=lambda exc: reader_reason(exc, tr),
        no_room=tr.gettext(NO_ROOM),
    )
    await send_all(context.bot, chat.id, render_import_report(report, tr))


def _too_large(limit: int, tr: gettext.NullTranslations) -> str:
    return tr.gettext(
        "That file is larger than {size} kB, the most I read. "
        "Export only the feeds you want, or split the file."
    ).format(size=f"{limit // 1000:,}")


def render_import_report(
    report: OpmlImportReport, tr: gettext.NullTranslations | None = None
) -> list[str]:
    """Counts first, then each group listed (at most :data:`LISTED` lines, then a count)."""
    tr = tr or translation(ENGLISH)
    counts = tr.gettext("{added} added, {already} already there, {refused} refused.").format(
        added=len(report.added), already=len(report.already), refused=len(report.refused)
    )
    header = "📥 <b>" + tr.gettext("OPML import") + f"</b>: {counts}"
    sections: list[str] = []
    if report.added:
        sections.append(
            _section("✅ " + tr.gettext("Added"), [_name(name) for name in report.added], tr)
        )
    if report.already:
        sections.append(
            _section(
                "☑️ " + tr.gettext("Already there"), [_name(name) for name in report.already], tr
            )
        )
    if report.refused:
        sections.append(
            _section(
                "⚠️ " + tr.gettext("Refused"),
                [
                    f"{_name(name)}: {escape(truncate_visible(why, _REASON_CHARS))}"
                    for name, why in report.refused
                ],
                tr,
            )
        )
    if report.added:
        sections.append(
            tr.gettext(
                "New stories from these sources come in your digests and alerts; "
                "/mysources lists them."
            )
        )
    return split_message(header, sections)


def _name(name: str) -> str:
    return escape(truncate_visible(name, _NAME_CHARS))


def _section(title: str, lines: list[str], tr: gettext.NullTranslations) -> str:
    shown = [f"• {line}" for line in lines[:LISTED]]
    if len(lines) > LISTED:
        more = len(lines) - LISTED
        shown.append(tr.ngettext("…and {count} more", "…and {count} more", more).format(count=more))
    return f"<b>{title}</b>\n" + "\n".join(shown)


async def export(update: Update, context: Context) -> None:
    """Send the chat's sources as an OPML file, for any feed reader."""
    tr = translation((await ensure_chat(update, context)).language)
    chat_id = chat_id_of(update)
    async with context.bot_data.services.sessionmaker() as session:
        found = await chat_store.chat_sources(session, chat_id)
    if not found:
        await reply(
            update, context, tr.gettext("You have no sources to export yet: /sources or /add one.")
        )
        return
    document = render_opml(
        (OpmlOutline(source.url, source.title, None, source.topic) for source in found),
        title="newsdigest sources",
        now=utcnow(),
    )
    await context.bot.send_document(
        chat_id,
        document=document,
        filename="newsdigest-sources.opml",
        caption=tr.gettext(
            "Your {sources} as OPML: import it in any feed reader, or send it back to me."
        ).format(sources=counted(len(found), "source", "sources", translations=tr)),
    )
