"""OPML in the chat: a .opml or .xml file sent to the bot subscribes to its feeds; /export."""

from __future__ import annotations

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
from jobs.messages import escape, split_message, truncate_visible
from jobs.opml import OpmlOutline, parse_opml, render_opml
from jobs.opml_import import OpmlImportReport, import_outlines
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
    services = context.bot_data.services
    limits = services.settings.limits
    # Refused before downloading when Telegram tells the size, and after when it did not.
    if document.file_size is not None and document.file_size > limits.opml_max_bytes:
        await reply(update, context, _too_large(limits.opml_max_bytes))
        return
    try:
        data = bytes(await (await document.get_file()).download_as_bytearray())
    except TelegramError as exc:
        await reply(
            update,
            context,
            f"I could not download that file ({escape(exc.message)}). Send it again?",
        )
        return
    if len(data) > limits.opml_max_bytes:
        await reply(update, context, _too_large(limits.opml_max_bytes))
        return
    try:
        outlines = parse_opml(data)
    except FeedError as exc:
        await reply(
            update,
            context,
            f"I could not read that file: {escape(str(exc))}. Export an OPML file from your feed reader and send it here.",
        )
        return
    if not outlines:
        await reply(update, context, "That OPML file lists no feeds (no outline has an xmlUrl).")
        return
    if len(outlines) > limits.opml_max_feeds:
        await reply(
            update,
            context,
            f"That file lists {len(outlines)} feeds; I take at most {limits.opml_max_feeds} "
            "from one file. Split it into smaller files and send them one by one.",
        )
        return
    async with services.sessionmaker() as session:
        personal = await chat_store.count_personal_sources(session, chat.id)
    await reply(
        update, context, f"📥 Reading {counted(len(outlines), 'feed', 'feeds')}… this takes a moment."
    )
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
        reason=reader_reason,
    )
    await send_all(context.bot, chat.id, render_import_report(report))


def _too_large(limit: int) -> str:
    return (
        f"That file is larger than {limit // 1000:,} kB, the most I read. "
        "Export only the feeds you want, or split the file."
    )


def render_import_report(report: OpmlImportReport) -> list[str]:
    """Counts first, then each group listed (at most :data:`LISTED` lines, then a count)."""
    header = (
        f"📥 <b>OPML import</b>: {len(report.added)} added, {len(report.already)} already there, "
        f"{len(report.refused)} refused."
    )
    sections: list[str] = []
    if report.added:
        sections.append(_section("✅ Added", [_name(name) for name in report.added]))
    if report.already:
        sections.append(_section("☑️ Already there", [_name(name) for name in report.already]))
    if report.refused:
        sections.append(
            _section(
                "⚠️ Refused",
                [
                    f"{_name(name)}: {escape(truncate_visible(why, _REASON_CHARS))}"
                    for name, why in report.refused
                ],
            )
        )
    if report.added:
        sections.append(
            "New stories from these sources come in your digests and alerts; /mysources lists them."
        )
    return split_message(header, sections)


def _name(name: str) -> str:
    return escape(truncate_visible(name, _NAME_CHARS))


def _section(title: str, lines: list[str]) -> str:
    shown = [f"• {line}" for line in lines[:LISTED]]
    if len(lines) > LISTED:
        shown.append(f"…and {len(lines) - LISTED} more")
    return f"<b>{title}</b>\n" + "\n".join(shown)


async def export(update: Update, context: Context) -> None:
    """Send the chat's sources as an OPML file, for any feed reader."""
    await ensure_chat(update, context)
    chat_id = chat_id_of(update)
    async with context.bot_data.services.sessionmaker() as session:
        found = await chat_store.chat_sources(session, chat_id)
    if not found:
        await reply(update, context, "You have no sources to export yet: /sources or /add one.")
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
        caption=f"Your {counted(len(found), 'source', 'sources')} as OPML: import it in any feed reader, or send it back to me.",
    )
