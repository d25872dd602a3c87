"""/settings as an inline keyboard, and /schedule, /timezone, /quiet for values typed out."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import Context
from bot.handlers.replies import (
    chat_row,
    configure,
    edit_or_send,
    pressed,
    reply,
)
from bot.render import escape, render_settings
from jobs.chat_config import set_quiet_hours, set_schedule, set_timezone
from store.models import Chat, utcnow

SCHEDULES = {
    "off": ("Off", "off"),
    "daily": ("Daily 08:00", "daily 08:00"),
    "twice": ("Twice daily", "daily 08:00, 18:00"),
    "e6": ("Every 6 h", "every 6h"),
    "e3": ("Every 3 h", "every 3h"),
}
ITEMS = (5, 8, 12)
SENTENCES = (1, 2, 3)


def settings_keyboard(chat: Chat) -> InlineKeyboardMarkup:
    def mark(selected: bool, label: str) -> str:
        return f"• {label}" if selected else label

    schedule_row = [
        InlineKeyboardButton(
            mark(chat.digest_schedule == stored.replace(", ", ","), label),
            callback_data=f"set:s:{key}",
        )
        for key, (label, stored) in SCHEDULES.items()
    ]
    return InlineKeyboardMarkup(
        [
            schedule_row[:3],
            schedule_row[3:],
            [
                InlineKeyboardButton(
                    mark(chat.items_per_digest == n, f"{n} items"), callback_data=f"set:i:{n}"
                )
                for n in ITEMS
            ],
            [
                InlineKeyboardButton(
                    mark(chat.summary_sentences == n, f"{n} sentence{'s' if n > 1 else ''}"),
                    callback_data=f"set:l:{n}",
                )
                for n in SENTENCES
            ],
            [
                InlineKeyboardButton(
                    f"Names: {'on' if chat.show_entities else 'off'}", callback_data="set:e"
                ),
                InlineKeyboardButton(
                    f"Figures: {'on' if chat.show_figures else 'off'}", callback_data="set:f"
                ),
            ],
        ]
    )


async def settings(update: Update, context: Context) -> None:
    """Show the chat's settings with buttons to change them."""
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        chat = await chat_row(session, update)
    await reply(update, context, render_settings(chat), keyboard=settings_keyboard(chat))


async def settings_button(update: Update, context: Context) -> None:
    """Apply one settings button and redraw the settings message."""
    query = update.callback_query
    data = await pressed(update, context)
    if query is None or data is None:
        return
    _, what, *value = data.split(":")
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        chat = await chat_row(session, update)
        if what == "s" and value and value[0] in SCHEDULES:
            await set_schedule(session, chat, SCHEDULES[value[0]][1], now=utcnow())
        elif what == "i" and value and int(value[0]) in ITEMS:
            chat.items_per_digest = int(value[0])
        elif what == "l" and value and int(value[0]) in SENTENCES:
            chat.summary_sentences = int(value[0])
        elif what == "e":
            chat.show_entities = not chat.show_entities
        elif what == "f":
            chat.show_figures = not chat.show_figures
    await query.answer("Saved")
    await edit_or_send(update, context, render_settings(chat), settings_keyboard(chat))


async def schedule(update: Update, context: Context) -> None:
    """Set the digest schedule from text: off, daily 07:30, daily 08:00, 18:00, every 6h."""
    done = await configure(
        update, context, "schedule", lambda s, chat, text: set_schedule(s, chat, text, now=utcnow())
    )
    if done is not None:
        chat, described = done
        await reply(
            update, context, f"🕗 Digests: <b>{escape(described)}</b> ({escape(chat.timezone)})."
        )


async def timezone(update: Update, context: Context) -> None:
    """Set the chat's time zone: an IANA name, a UTC offset or a well-known city."""
    done = await configure(
        update, context, "timezone", lambda s, chat, text: set_timezone(s, chat, text, now=utcnow())
    )
    if done is not None:
        await reply(update, context, f"🌍 Time zone: <b>{escape(done[1])}</b>.")


async def quiet(update: Update, context: Context) -> None:
    """Set quiet hours for alerts (``22-07``), or ``off``."""
    done = await configure(update, context, "quiet", set_quiet_hours)
    if done is None:
        return
    chat, stored = done
    if stored is None:
        await reply(update, context, "🔔 Quiet hours off: alerts come at any time.")
    else:
        await reply(
            update,
            context,
            f"🌙 Quiet hours <b>{escape(stored)}</b> ({escape(chat.timezone)}): "
            "alerts wait until they end.",
        )
