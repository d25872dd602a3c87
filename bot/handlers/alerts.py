"""/alert QUERY and /alerts (with remove buttons)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import Context
from bot.handlers.buttons import offered_id
from bot.handlers.common import (
    args_text,
    button_data,
    chat_id_of,
    ensure_chat,
    may_change_settings,
    permitted_button,
    reply,
    reply_usage,
)
from bot.render import render_alerts
from bot.replies import edit_text
from jobs.alert_query import AlertQueryError, as_written, check_specific, parse_alert_query
from jobs.messages import escape
from jobs.plurals import counted
from store import chats as chat_store
from store.models import AlertRule, utcnow


def _keyboard(rules: list[AlertRule]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(f"✖ {n}. {rule.shown}"[:60], callback_data=f"al:rm:{rule.id}")]
            for n, rule in enumerate(rules, start=1)
        ]
    )


async def alert(update: Update, context: Context) -> None:
    """Add a keyword alert."""
    text = args_text(context)
    if not text:
        await reply_usage(update, context, "alert")
        return
    if not await may_change_settings(update, context):
        return
    limits = context.bot_data.services.settings.limits
    try:
        query = parse_alert_query(text, max_chars=limits.alert_query_chars)
        check_specific(query, text)
    except AlertQueryError as exc:
        await reply(update, context, escape(str(exc)))
        return
    chat = await ensure_chat(update, context)
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        rules = await chat_store.alert_rules(session, chat.id)
        sources = await chat_store.chat_sources(session, chat.id)
        if len(rules) >= limits.alerts_per_chat and all(
            r.query != query.canonical() for r in rules
        ):
            await reply(
                update,
                context,
                f"You have {counted(len(rules), 'alert', 'alerts')}, the most allowed. "
                "Remove one with /alerts first.",
            )
            return
        rule, created = await chat_store.add_alert_rule(
            session, chat.id, query.canonical(), written=as_written(text), now=utcnow()
        )
    if not created:
        # However it was spelled this time, it is the rule the chat already has, shown as then.
        await reply(
            update, context, f"You already have the alert <code>{escape(rule.shown)}</code>."
        )
        return
    watch = (
        f"It watches your {counted(len(sources), 'source', 'sources')}."
        if sources
        else "Add sources for it to watch: /sources"
    )
    await reply(update, context, f"🔔 Alert added: <code>{escape(rule.shown)}</code>\n{watch}")


async def alerts(update: Update, context: Context) -> None:
    """List the chat's alerts with remove buttons."""
    await ensure_chat(update, context)
    async with context.bot_data.services.sessionmaker() as session:
        rules = await chat_store.alert_rules(session, chat_id_of(update))
    await reply(update, context, render_alerts(rules), markup=_keyboard(rules) if rules else None)


async def alert_button(update: Update, context: Context) -> None:
    chat_id = chat_id_of(update)
    async with context.bot_data.services.sessionmaker() as session:
        offered = {rule.id for rule in await chat_store.alert_rules(session, chat_id)}
    rule_id = offered_id(button_data(update).split(":", 2)[2], offered)
    tapped = await permitted_button(update, context)
    if tapped is None:
        return
    query, _ = tapped
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        removed = await chat_store.remove_alert_rule(session, chat_id, rule_id)
        rules = await chat_store.alert_rules(session, chat_id)
    await query.answer("Alert removed" if removed else "Already removed")
    await edit_text(query, render_alerts(rules), markup=_keyboard(rules) if rules else None)
