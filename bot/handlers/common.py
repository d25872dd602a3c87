"""What several handlers share: the chat's row, the group-admin rule, arguments, the clock."""

from __future__ import annotations

import gettext

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from bot.context import Context
from bot.render import usage
from bot.replies import send_html
from jobs.digests import next_digest_time
from jobs.i18n import translation
from store.chats import adopt_admin_language, get_or_create_chat, reader_language
from store.models import Chat, utcnow

ADMIN_STATUSES = {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}


def chat_id_of(update: Update) -> int:
    assert update.effective_chat is not None
    return update.effective_chat.id


def args_text(context: Context) -> str:
    return " ".join(context.args or []).strip()


async def reply(
    update: Update,
    context: Context,
    text: str,
    *,
    markup: InlineKeyboardMarkup | None = None,
    preview: bool = False,
) -> Message:
    return await send_html(context.bot, chat_id_of(update), text, markup=markup, preview=preview)


def user_translation(update: Update) -> gettext.NullTranslations:
    """The language of the person who sent the update, for replies made without the chat's row
    (a refusal, an error); everything else is worded in the chat's language (``chat.language``)."""
    user = update.effective_user
    return translation(user.language_code if user else None)


async def reader_code(update: Update, context: Context) -> str | None:
    """The chat's language code, read without creating the chat (for replies that store
    nothing); the sender's before the chat has a row."""
    async with context.bot_data.services.sessionmaker() as session:
        language = await reader_language(session, chat_id_of(update))
    if language is None:
        user = update.effective_user
        return user.language_code if user else None
    return language


async def chat_translation(update: Update, context: Context) -> gettext.NullTranslations:
    """:func:`reader_code`'s translations."""
    return translation(await reader_code(update, context))


async def reply_usage(
    update: Update, context: Context, command: str, tr: gettext.NullTranslations | None = None
) -> None:
    await reply(update, context, usage(command, tr or await chat_translation(update, context)))


async def ensure_chat(update: Update, context: Context) -> Chat:
    """The chat's row (created on first contact), in a transaction of its own."""
    tg_chat = update.effective_chat
    assert tg_chat is not None
    user = update.effective_user
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        chat, created = await get_or_create_chat(
            session,
            tg_chat.id,
            chat_type=tg_chat.type,
            now=utcnow(),
            title=tg_chat.title or tg_chat.full_name,
            username=tg_chat.username,
            language=user.language_code if user else None,
        )
        if created:
            # The default schedule starts running at once: the first digest comes at its hour.
            chat.next_digest_at = next_digest_time(
                chat.digest_schedule, chat.timezone, after=utcnow()
            )
    return chat


async def may_change_settings(update: Update, context: Context) -> bool:
    """In groups only the group's admins change its settings; everyone may in private."""
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or chat.type == ChatType.PRIVATE:
        return True
    if user is None:
        return False
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError:
        return False
    if member.status in ADMIN_STATUSES:
        # The first admin to configure a group gives it their language (unless /language did).
        async with context.bot_data.services.sessionmaker() as session, session.begin():
            await adopt_admin_language(session, chat.id, user.language_code)
        return True
    # Said in the group, so in the group's language, not the one of the member refused.
    tr = await chat_translation(update, context)
    await reply(update, context, tr.gettext("Only this group's admins can change its settings."))
    return False


def button_data(update: Update) -> str:
    """The tapped button's callback data (the route matched it, so there is some)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    return query.data


async def permitted_button(update: Update, context: Context) -> tuple[CallbackQuery, str] | None:
    """The tapped button and its data, or None (the tap answered) when the user may not act."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await may_change_settings(update, context):
        await query.answer()
        return None
    return query, query.data


def is_bot_admin(update: Update, context: Context) -> bool:
    user = update.effective_user
    settings = context.bot_data.services.settings
    return user is not None and user.id in settings.admin_ids
