"""Sending the bot's answers: HTML with a plain-text fallback, usage lines, the chat's row and admin checks."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import ChatMember, InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest

from bot.command_list import usage
from bot.context import Context
from jobs.chat_config import ensure_chat
from jobs.messages import escape, visible_text
from jobs.user_input import UserInputError
from store.models import Chat, utcnow

log = logging.getLogger(__name__)

T = TypeVar("T")
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
ADMIN_STATUSES = frozenset({ChatMember.ADMINISTRATOR, ChatMember.OWNER})


async def send_html(
    context: Context,
    chat_id: int,
    text: str,
    *,
    keyboard: InlineKeyboardMarkup | None = None,
    preview: bool = False,
) -> Message:
    """Send Telegram HTML; if Telegram rejects its entities, send the same words as plain text."""
    try:
        return await context.bot.send_message(
            chat_id,
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard,
            link_preview_options=None if preview else NO_PREVIEW,
        )
    except BadRequest as exc:
        if "entities" not in str(exc).lower():
            raise
        log.warning("Telegram refused our HTML (%s); sending plain text", exc)
        return await context.bot.send_message(
            chat_id, visible_text(text), reply_markup=keyboard, link_preview_options=NO_PREVIEW
        )


async def send_all(context: Context, chat_id: int, texts: Sequence[str]) -> None:
    """Send the parts of a long answer in order."""
    for text in texts:
        await send_html(context, chat_id, text)


async def reply(
    update: Update, context: Context, text: str, *, keyboard: InlineKeyboardMarkup | None = None
) -> Message:
    assert update.effective_chat is not None
    return await send_html(context, update.effective_chat.id, text, keyboard=keyboard)


async def reply_usage(update: Update, context: Context, command: str) -> None:
    await reply(update, context, usage(command))


async def edit_or_send(
    update: Update, context: Context, text: str, keyboard: InlineKeyboardMarkup | None
) -> None:
    """Show ``text`` in place of the pressed button's message (a new message if that fails)."""
    query = update.callback_query
    assert query is not None
    try:
        await query.edit_message_text(
            text, parse_mode=ParseMode.HTML, reply_markup=keyboard, link_preview_options=NO_PREVIEW
        )
    except BadRequest as exc:
        if "not modified" in str(exc).lower():
            return  # the same press twice: nothing changed, nothing to show
        await reply(update, context, text, keyboard=keyboard)


async def chat_row(session: AsyncSession, update: Update) -> Chat:
    """The effective chat's row, created on first contact."""
    chat = update.effective_chat
    assert chat is not None
    user = update.effective_user
    return await ensure_chat(
        session,
        chat.id,
        chat_type=chat.type,
        now=utcnow(),
        title=chat.title or chat.full_name,
        username=chat.username,
        language=user.language_code if user is not None else None,
    )


async def may_configure(update: Update, context: Context) -> bool:
    """In groups only admins change settings; others are told so. Private chats always may."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return False
    if chat.type == ChatType.PRIVATE:
        return True
    member = await context.bot.get_chat_member(chat.id, user.id)
    if member.status in ADMIN_STATUSES:
        return True
    text = "Only this group's admins can change its settings."
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    else:
        await reply(update, context, text)
    return False


def argument_text(update: Update) -> str:
    """Everything after the command word, with its line breaks and spacing kept."""
    message = update.effective_message
    text = message.text if message is not None and message.text else ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


async def pressed(update: Update, context: Context) -> str | None:
    """The pressed button's data when this user may change the chat's settings, else None."""
    query = update.callback_query
    assert query is not None and query.data is not None
    return query.data if await may_configure(update, context) else None


async def configure(
    update: Update,
    context: Context,
    command: str,
    apply: Callable[[AsyncSession, Chat, str], Awaitable[T]],
) -> tuple[Chat, T] | None:
    """Run a text-argument setting command: usage when empty, admin rule, the user-error reply.

    Returns (chat, what ``apply`` returned), or None when a reply was already sent.
    """
    text = argument_text(update)
    if not text:
        await reply_usage(update, context, command)
        return None
    if not await may_configure(update, context):
        return None
    try:
        async with context.bot_data.services.sessionmaker() as session, session.begin():
            chat = await chat_row(session, update)
            result = await apply(session, chat, text)
    except UserInputError as exc:
        await reply(update, context, f"❌ {escape(str(exc))}")
        return None
    return chat, result
