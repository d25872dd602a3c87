"""/stop: after a confirmation button, forget the chat entirely."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import Context
from bot.handlers.replies import edit_or_send, may_configure, pressed, reply
from store.chats import delete_chat

CONFIRM = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Yes, delete everything", callback_data="stop:yes"),
            InlineKeyboardButton("No, keep it", callback_data="stop:no"),
        ]
    ]
)


async def stop(update: Update, context: Context) -> None:
    """Ask before deleting the chat's sources, alerts and settings."""
    if not await may_configure(update, context):
        return
    await reply(
        update,
        context,
        "This unsubscribes you from every source and deletes your alerts and settings. Sure?",
        keyboard=CONFIRM,
    )


async def stop_button(update: Update, context: Context) -> None:
    query = update.callback_query
    data = await pressed(update, context)
    if query is None or data is None or update.effective_chat is None:
        return
    await query.answer()
    if data != "stop:yes":
        await edit_or_send(update, context, "Nothing was deleted.", None)
        return
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        await delete_chat(session, update.effective_chat.id)
    await edit_or_send(
        update,
        context,
        "👋 Done: everything about this chat is deleted. /start to begin again.",
        None,
    )
