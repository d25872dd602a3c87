"""/digest: the latest digest of the chat's sources, now."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update

from bot.context import Context
from bot.handlers.replies import chat_row, reply, send_all
from jobs.digests import compose_for_chat
from store.chats import chat_sources
from store.models import utcnow

# How far back an on-demand digest looks.
DIGEST_WINDOW = timedelta(hours=48)


async def digest(update: Update, context: Context) -> None:
    """Send the latest digest now."""
    await send_digest_now(update, context)


async def send_digest_now(update: Update, context: Context) -> None:
    services = context.bot_data.services
    async with services.sessionmaker() as session, session.begin():
        chat = await chat_row(session, update)
        has_sources = bool(await chat_sources(session, chat.id))
        messages = (
            await compose_for_chat(session, chat, now=utcnow(), window=DIGEST_WINDOW)
            if has_sources
            else []
        )
    if not has_sources:
        await reply(
            update, context, "You have no sources yet: pick some with /sources or /add URL."
        )
    elif not messages:
        await reply(
            update,
            context,
            "Nothing from your sources in the last two days yet. New articles arrive as your "
            "sources are read; try /digest again in a few minutes.",
        )
    else:
        assert update.effective_chat is not None
        await send_all(context, update.effective_chat.id, messages)
