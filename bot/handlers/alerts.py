"""/alert adds a keyword alert; /alerts lists them with remove buttons."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import Context
from bot.handlers.replies import (
    chat_row,
    configure,
    edit_or_send,
    pressed,
    reply,
)
from bot.render import escape, render_alerts
from jobs.chat_config import add_alert
from store.chats import alert_rules, remove_alert_rule
from store.models import AlertRule, Chat, utcnow


def alerts_keyboard(rules: list[AlertRule]) -> InlineKeyboardMarkup | None:
    if not rules:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(f"❌ {n}. {rule.query[:40]}", callback_data=f"al:rm:{rule.id}")]
            for n, rule in enumerate(rules, start=1)
        ]
    )


async def alert(update: Update, context: Context) -> None:
    """Add a keyword alert."""
    limits = context.bot_data.services.settings.limits

    async def apply(session: AsyncSession, chat: Chat, text: str) -> tuple[AlertRule, bool]:
        return await add_alert(
            session,
            chat.id,
            text,
            max_chars=limits.alert_query_chars,
            max_rules=limits.alerts_per_chat,
            now=utcnow(),
        )

    done = await configure(update, context, "alert", apply)
    if done is None:
        return
    rule, created = done[1]
    if created:
        await reply(
            update,
            context,
            f"🔔 Alert added: <code>{escape(rule.query)}</code>. New matching articles come at once.",
        )
    else:
        await reply(
            update, context, f"You already have the alert <code>{escape(rule.query)}</code>."
        )


async def alerts(update: Update, context: Context) -> None:
    """List the chat's alerts with a remove button each."""
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        chat = await chat_row(session, update)
        rules = await alert_rules(session, chat.id)
    await reply(update, context, render_alerts(rules), keyboard=alerts_keyboard(rules))


async def alerts_button(update: Update, context: Context) -> None:
    """Remove the tapped alert and redraw the list."""
    query = update.callback_query
    data = await pressed(update, context)
    if query is None or data is None:
        return
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        chat = await chat_row(session, update)
        removed = await remove_alert_rule(session, chat.id, int(data.rsplit(":", 1)[1]))
        rules = await alert_rules(session, chat.id)
    await query.answer("Alert removed" if removed else "Already removed")
    await edit_or_send(update, context, render_alerts(rules), alerts_keyboard(rules))
