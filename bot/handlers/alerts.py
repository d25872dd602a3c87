"""/alert QUERY and /alerts (with remove buttons)."""

from __future__ import annotations

import gettext

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import Context
from bot.handlers.buttons import offered_id
from bot.handlers.common import (
    args_text,
    button_data,
    chat_id_of,
    chat_translation,
    ensure_chat,
    may_change_settings,
    permitted_button,
    reply,
    reply_usage,
)
from bot.render import render_alerts
from bot.replies import edit_text
from jobs.alert_query import AlertQueryError, as_written, check_specific, parse_alert_query
from jobs.i18n import translation
from jobs.messages import escape
from jobs.plurals import counted
from store import chats as chat_store
from store.models import AlertRule, utcnow


def _keyboard(rules: list[AlertRule]) -> InlineKeyboardMarkup:
    # The rules as written; the ✖ says what a tap does in any language.
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
        await reply(
            update, context, escape(exc.translated(await chat_translation(update, context)))
        )
        return
    chat = await ensure_chat(update, context)
    tr = translation(chat.language)
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        rules = await chat_store.alert_rules(session, chat.id)
        sources = await chat_store.chat_sources(session, chat.id)
        if len(rules) >= limits.alerts_per_chat and all(
            r.query != query.canonical() for r in rules
        ):
            await reply(update, context, _too_many(len(rules), tr))
            return
        rule, created = await chat_store.add_alert_rule(
            session, chat.id, query.canonical(), written=as_written(text), now=utcnow()
        )
    if not created:
        # However it was spelled this time, it is the rule the chat already has, shown as then.
        await reply(
            update,
            context,
            tr.gettext("You already have the alert {query}.").format(
                query=f"<code>{escape(rule.shown)}</code>"
            ),
        )
        return
    watch = (
        tr.gettext("It watches your {sources}.").format(
            sources=counted(len(sources), "source", "sources", translations=tr)
        )
        if sources
        else tr.gettext("Add sources for it to watch: /sources")
    )
    added = tr.gettext("Alert added: {query}").format(query=f"<code>{escape(rule.shown)}</code>")
    await reply(update, context, f"🔔 {added}\n{watch}")


def _too_many(count: int, tr: gettext.NullTranslations) -> str:
    return tr.ngettext(
        "You have {count} alert, the most allowed. Remove one with /alerts first.",
        "You have {count} alerts, the most allowed. Remove one with /alerts first.",
        count,
    ).format(count=count)


async def alerts(update: Update, context: Context) -> None:
    """List the chat's alerts with remove buttons."""
    chat = await ensure_chat(update, context)
    tr = translation(chat.language)
    async with context.bot_data.services.sessionmaker() as session:
        rules = await chat_store.alert_rules(session, chat_id_of(update))
    await reply(
        update, context, render_alerts(rules, tr), markup=_keyboard(rules) if rules else None
    )


async def alert_button(update: Update, context: Context) -> None:
    chat_id = chat_id_of(update)
    async with context.bot_data.services.sessionmaker() as session:
        offered = {rule.id for rule in await chat_store.alert_rules(session, chat_id)}
    rule_id = offered_id(button_data(update).split(":", 2)[2], offered)
    tapped = await permitted_button(update, context)
    if tapped is None:
        return
    query, _ = tapped
    tr = await chat_translation(update, context)
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        removed = await chat_store.remove_alert_rule(session, chat_id, rule_id)
        rules = await chat_store.alert_rules(session, chat_id)
    await query.answer(tr.gettext("Alert removed") if removed else tr.gettext("Already removed"))
    await edit_text(query, render_alerts(rules, tr), markup=_keyboard(rules) if rules else None)
