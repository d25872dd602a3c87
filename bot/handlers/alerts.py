"""/alert [daily] QUERY and /alerts (with remove and instant ↔ round-up buttons)."""

from __future__ import annotations

import gettext

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import Context
from bot.handlers.buttons import offered_choice, offered_id
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
from bot.render import local_time_label, render_alerts
from bot.replies import edit_text
from jobs.alert_query import AlertQueryError, as_written, check_specific, parse_alert_query
from jobs.i18n import N_, translation
from jobs.messages import escape
from jobs.plurals import counted
from store import chats as chat_store
from store import roundups
from store.models import AlertMode, AlertRule, Chat, utcnow

# "/alert daily WORDS": the rule's matches wait for the round-up sent with the digest.
ROUNDUP_WORD = "daily"


def _keyboard(rules: list[AlertRule], tr: gettext.NullTranslations) -> InlineKeyboardMarkup:
    # The rules as written; the ✖ says what a tap does in any language, the second button
    # names the mode a tap switches to.
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(f"✖ {n}. {rule.shown}"[:60], callback_data=f"al:rm:{rule.id}"),
                InlineKeyboardButton(
                    (
                        tr.gettext("🗞 {number}. daily")
                        if rule.mode == AlertMode.INSTANT
                        else tr.gettext("⚡ {number}. instant")
                    ).format(number=n),
                    callback_data=f"al:mode:{rule.id}",
                ),
            ]
            for n, rule in enumerate(rules, start=1)
        ]
    )


def _mode_and_query(text: str) -> tuple[AlertMode, str]:
    """The mode and the query; ``/alert daily`` alone has no query (its usage is shown)."""
    first, _, rest = text.partition(" ")
    if first.lower() == ROUNDUP_WORD:
        return AlertMode.DAILY, rest.strip()
    return AlertMode.INSTANT, text


async def alert(update: Update, context: Context) -> None:
    """Add a keyword alert."""
    mode, text = _mode_and_query(args_text(context))
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
            session, chat.id, query.canonical(), written=as_written(text), now=utcnow(), mode=mode
        )
        switched = not created and rule.mode != mode
        if switched:
            # Asked again in the other mode: the reader wants the rule they have to switch.
            await roundups.set_rule_mode(session, chat.id, rule.id, mode)
    tr = translation(chat.language)
    shown = f"<code>{escape(rule.shown)}</code>"
    if not created and not switched:
        # However it was spelled this time, it is the rule the chat already has, shown as then.
        await reply(
            update, context, tr.gettext("You already have the alert {query}.").format(query=shown)
        )
        return
    if created:
        head = "🔔 " + tr.gettext("Alert added: {query}").format(query=shown)
        head += f"\n{_roundup_note(chat, tr)}" if mode == AlertMode.DAILY else ""
        watch = (
            tr.gettext("It watches your {sources}.").format(
                sources=counted(len(sources), "source", "sources", translations=tr)
            )
            if sources
            else tr.gettext("Add sources for it to watch: /sources")
        )
        await reply(update, context, f"{head}\n{watch}")
        return
    await reply(update, context, _switched_text(rule, mode, chat, tr))


def _too_many(count: int, tr: gettext.NullTranslations) -> str:
    return tr.ngettext(
        "You have {count} alert, the most allowed. Remove one with /alerts first.",
        "You have {count} alerts, the most allowed. Remove one with /alerts first.",
        count,
    ).format(count=count)


def _roundup_note(chat: Chat, tr: gettext.NullTranslations) -> str:
    """When a round-up rule's matches arrive: with the digest, or never while digests are off."""
    if chat.next_digest_at is None:
        return tr.gettext(
            "Its matches wait for the daily round-up, which comes with your digest, and your "
            "digests are off: set a schedule with /settings."
        )
    return tr.gettext(
        "Its matches come together in one round-up with your digest (next: {when})."
    ).format(when=local_time_label(chat.next_digest_at, chat.timezone, reader=chat.language))


def _switched_text(
    rule: AlertRule, mode: AlertMode, chat: Chat, tr: gettext.NullTranslations
) -> str:
    shown = f"<code>{escape(rule.shown)}</code>"
    if mode == AlertMode.DAILY:
        return (
            tr.gettext("🗞 The alert {query} now goes in your daily round-up.").format(query=shown)
            + "\n"
            + _roundup_note(chat, tr)
        )
    return tr.gettext("⚡ The alert {query} now alerts you at once.").format(query=shown)


async def alerts(update: Update, context: Context) -> None:
    """List the chat's alerts with remove buttons."""
    chat = await ensure_chat(update, context)
    tr = translation(chat.language)
    async with context.bot_data.services.sessionmaker() as session:
        rules = await chat_store.alert_rules(session, chat_id_of(update))
    await reply(
        update, context, render_alerts(rules, tr), markup=_keyboard(rules, tr) if rules else None
    )


async def alert_button(update: Update, context: Context) -> None:
    """A tap under /alerts: remove a rule (✖), or switch it instant ↔ daily round-up."""
    chat_id = chat_id_of(update)
    async with context.bot_data.services.sessionmaker() as session:
        offered = {rule.id for rule in await chat_store.alert_rules(session, chat_id)}
    _, action, field = button_data(update).split(":", 2)
    action = offered_choice(action, ("rm", "mode"))
    rule_id = offered_id(field, offered)
    tapped = await permitted_button(update, context)
    if tapped is None:
        return
    query, _ = tapped
    tr = await chat_translation(update, context)
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        if action == "rm":
            done = await chat_store.remove_alert_rule(session, chat_id, rule_id)
            answer = N_("Alert removed")
        else:
            rule = await chat_store.alert_rule(session, chat_id, rule_id)
            done = rule is not None
            if rule is not None:
                daily = rule.mode != AlertMode.DAILY
                await roundups.set_rule_mode(
                    session, chat_id, rule_id, AlertMode.DAILY if daily else AlertMode.INSTANT
                )
                answer = N_("Now in the daily round-up") if daily else N_("Now instant")
        rules = await chat_store.alert_rules(session, chat_id)
    await query.answer(tr.gettext(answer) if done else tr.gettext("Already removed"))
    await edit_text(query, render_alerts(rules, tr), markup=_keyboard(rules, tr) if rules else None)
