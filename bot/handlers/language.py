"""/language: the chat's language, picked from the languages the bot speaks."""

from __future__ import annotations

import logging

from telegram import BotCommandScopeChat, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from bot.command_menu import command_menu
from bot.context import Context
from bot.handlers.buttons import offered_choice
from bot.handlers.common import (
    args_text,
    button_data,
    chat_id_of,
    ensure_chat,
    may_change_settings,
    permitted_button,
    reply,
)
from bot.replies import edit_text
from jobs.i18n import translation
from jobs.messages import escape
from jobs.reader_language import SHIPPED_LANGUAGES, chat_language, offered_language, own_name
from store import chats as chat_store

log = logging.getLogger(__name__)

# A bot in neither state is not in the chat (removed, or never added).
_OUTSIDE = frozenset({ChatMemberStatus.LEFT, ChatMemberStatus.BANNED})
# Four to a row: eight languages in two rows, each label short ("Українська" is the longest).
_PER_ROW = 4


def language_keyboard(current: str | None) -> InlineKeyboardMarkup:
    chosen = chat_language(current)
    buttons = [
        InlineKeyboardButton(
            f"{'✅ ' if code == chosen else ''}{own_name(code)}", callback_data=f"lang:{code}"
        )
        for code in SHIPPED_LANGUAGES
    ]
    return InlineKeyboardMarkup(
        [buttons[i : i + _PER_ROW] for i in range(0, len(buttons), _PER_ROW)]
    )


def render_language(current: str | None) -> str:
    """What /language says: the language now, and how to change it, in that language."""
    tr = translation(current)
    code = chat_language(current)
    if offered_language(code) is None:
        # Telegram's language, which the bot has no catalog for: say so rather than claim it.
        return tr.gettext(
            "Your Telegram is set to {language}, which I don't speak yet: I write in English "
            "(dates and times as in {language}). Pick a language:"
        ).format(language=escape(own_name(code)))
    name = own_name(code)
    return tr.gettext(
        "Language: <b>{language}</b>. Digests, alerts and replies are written in it; each story "
        "is summarized in its own language. Tap to change:"
    ).format(language=escape(name))


async def language(update: Update, context: Context) -> None:
    """Show the chat's language with a button per language; `/language de` sets it directly."""
    chat = await ensure_chat(update, context)
    wanted = args_text(context)
    if not wanted:
        await reply(
            update, context, render_language(chat.language), markup=language_keyboard(chat.language)
        )
        return
    code = offered_language(wanted)
    if code is None:
        tr = translation(chat.language)
        names = ", ".join(f"{own_name(c)} ({c})" for c in SHIPPED_LANGUAGES)
        await reply(
            update,
            context,
            tr.gettext("I don't speak “{language}”. I speak: {languages}.").format(
                language=escape(wanted[:40]), languages=escape(names)
            ),
            markup=language_keyboard(chat.language),
        )
        return
    if not await may_change_settings(update, context):
        return
    await _choose(context, chat.id, code)
    await reply(update, context, render_language(code), markup=language_keyboard(code))


async def language_button(update: Update, context: Context) -> None:
    """A language tapped under /language: store it and answer in it."""
    code = offered_choice(button_data(update).removeprefix("lang:"), SHIPPED_LANGUAGES)
    tapped = await permitted_button(update, context)
    if tapped is None:
        return
    query, _ = tapped
    await ensure_chat(update, context)
    await _choose(context, chat_id_of(update), code)
    await query.answer(translation(code).gettext("Saved"))
    await edit_text(query, render_language(code), markup=language_keyboard(code))


async def joined_group(update: Update, context: Context) -> None:
    """The bot was added to a group: the group takes the language of whoever added it."""
    change = update.my_chat_member
    if (
        change is None
        or change.chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP)
        or change.old_chat_member.status not in _OUTSIDE
        or change.new_chat_member.status in _OUTSIDE
    ):
        return
    await ensure_chat(update, context)  # its effective user is the one who added the bot
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        await chat_store.adopt_admin_language(
            session, change.chat.id, change.from_user.language_code
        )


async def _choose(context: Context, chat_id: int, code: str) -> None:
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        await chat_store.choose_language(session, chat_id, code)
    # The command menu follows the choice in this chat (the menus registered at start-up
    # follow each reader's app language). The choice is stored either way: a menu Telegram
    # refused stays in the app's language, which a restart does not change.
    try:
        await context.bot.set_my_commands(command_menu(code), scope=BotCommandScopeChat(chat_id))
    except TelegramError as exc:
        log.warning("chat %s: the command menu stays as it was: %s", chat_id, exc)
