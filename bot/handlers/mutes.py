"""/mute QUERY, /unmute QUERY, and /mute alone (the list, with Unmute buttons)."""

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
)
from bot.render import render_mutes
from bot.replies import edit_text
from jobs.alert_query import AlertQueryError, as_written
from jobs.i18n import translation
from jobs.messages import escape
from jobs.mutes import parse_mute
from store import muting
from store.models import Chat, MuteRule, utcnow


def _keyboard(rules: list[MuteRule], unmute: str) -> InlineKeyboardMarkup | None:
    if not rules:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    f"🔊 {unmute} {n}. {rule.written}"[:60], callback_data=f"mw:rm:{rule.id}"
                )
            ]
            for n, rule in enumerate(rules, start=1)
        ]
    )


async def _list(update: Update, context: Context) -> None:
    chat = await ensure_chat(update, context)
    async with context.bot_data.services.sessionmaker() as session:
        rules = await muting.mute_rules(session, chat.id)
    tr = translation(chat.language)
    await reply(
        update,
        context,
        render_mutes(rules, language=chat.language),
        markup=_keyboard(rules, tr.gettext("Unmute")),
    )


async def _change_asked(update: Update, context: Context) -> tuple[str, Chat] | None:
    """The query of a /mute or /unmute that may change the chat's mutes; None when the list
    was shown instead (no query) or the user may not change them (answered)."""
    text = args_text(context)
    if not text:
        await _list(update, context)
        return None
    if not await may_change_settings(update, context):
        return None
    return text, await ensure_chat(update, context)


async def mute(update: Update, context: Context) -> None:
    """Hide stories matching a query from the chat's digests, alerts and round-ups."""
    asked = await _change_asked(update, context)
    if asked is None:
        return
    text, chat = asked
    tr = translation(chat.language)
    limits = context.bot_data.services.settings.limits
    try:
        query = parse_mute(text, max_chars=limits.alert_query_chars, language=chat.language)
    except AlertQueryError as exc:
        await reply(update, context, escape(str(exc)))
        return
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        rules = await muting.mute_rules(session, chat.id)
        # Mutes share the alerts' limit: both are queries matched against every story.
        if len(rules) >= limits.alerts_per_chat and all(
            r.query != query.canonical() for r in rules
        ):
            await reply(
                update,
                context,
                tr.ngettext(
                    "You have {count} mute, the most allowed. Unmute it with /mute first.",
                    "You have {count} mutes, the most allowed. Unmute one with /mute first.",
                    len(rules),
                ).format(count=len(rules)),
            )
            return
        rule, created = await muting.add_mute_rule(
            session, chat.id, query.canonical(), written=as_written(text), now=utcnow()
        )
    shown = f"<code>{escape(rule.written)}</code>"
    if not created:
        await reply(update, context, tr.gettext("You already mute {query}.").format(query=shown))
        return
    await reply(
        update,
        context,
        tr.gettext(
            "🔇 Muted: {query}\nStories matching it are left out of your digests, alerts and "
            "round-ups; each digest says how many. /mute lists your mutes."
        ).format(query=shown),
    )


async def unmute(update: Update, context: Context) -> None:
    """Stop hiding a query; alone, list the mutes with buttons."""
    asked = await _change_asked(update, context)
    if asked is None:
        return
    text, chat = asked
    tr = translation(chat.language)
    limits = context.bot_data.services.settings.limits
    try:
        # Parsed, not compared as typed: any spelling of a mute names it.
        canonical = parse_mute(text, max_chars=limits.alert_query_chars).canonical()
    except AlertQueryError:
        canonical = None
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        rules = await muting.mute_rules(session, chat.id)
        found = next((rule for rule in rules if rule.query == canonical), None)
        if found is not None:
            await muting.remove_mute_rule(session, chat.id, found.id)
    if found is None:
        await reply(
            update,
            context,
            tr.gettext("You do not mute {query}. /mute lists your mutes.").format(
                query=f"<code>{escape(as_written(text))}</code>"
            ),
        )
        return
    await reply(
        update,
        context,
        tr.gettext("🔊 Unmuted: {query}").format(query=f"<code>{escape(found.written)}</code>"),
    )


async def unmute_button(update: Update, context: Context) -> None:
    chat_id = chat_id_of(update)
    async with context.bot_data.services.sessionmaker() as session:
        offered = {rule.id for rule in await muting.mute_rules(session, chat_id)}
    rule_id = offered_id(button_data(update).split(":", 2)[2], offered)
    tapped = await permitted_button(update, context)
    if tapped is None:
        return
    query, _ = tapped
    chat = await ensure_chat(update, context)
    tr = translation(chat.language)
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        removed = await muting.remove_mute_rule(session, chat_id, rule_id)
        rules = await muting.mute_rules(session, chat_id)
    await query.answer(tr.gettext("Unmuted") if removed else tr.gettext("Already unmuted"))
    await edit_text(
        query,
        render_mutes(rules, language=chat.language),
        markup=_keyboard(rules, tr.gettext("Unmute")),
    )
