"""/stats for admins, /stop with confirmation, /channel for channel admins."""

from __future__ import annotations

import gettext
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.context import Context
from bot.handlers.common import (
    ADMIN_STATUSES,
    args_text,
    chat_id_of,
    chat_translation,
    ensure_chat,
    is_bot_admin,
    may_change_settings,
    permitted_button,
    reply,
    reply_usage,
    user_translation,
)
from bot.render import local_time_label
from bot.replies import edit_text
from jobs.digests import next_digest_time
from jobs.i18n import N_, translation
from jobs.messages import escape
from jobs.pause import PauseError, parse_pause_duration, pause_chat, resume_chat
from jobs.plurals import counted
from store import chats as chat_store
from store import deliveries
from store.models import Chat, LanguageSource, utcnow
from store.stats import collect_stats

STOP_QUESTION = N_(
    "This unsubscribes this chat from everything and deletes its sources, alerts and settings. "
    "Sure?"
)


def stop_question(
    channels: list[Chat], tr: gettext.NullTranslations
) -> tuple[str, InlineKeyboardMarkup]:
    """The /stop confirmation; with linked channels it asks whether they stop too."""
    cancel = [InlineKeyboardButton(tr.gettext("Cancel"), callback_data="stop:no")]
    question = tr.gettext(STOP_QUESTION)
    if not channels:
        yes = InlineKeyboardButton(tr.gettext("Yes, delete everything"), callback_data="stop:yes")
        return question, InlineKeyboardMarkup([[yes, *cancel]])
    names = ", ".join(escape(channel_name(c)) for c in channels)
    also = tr.ngettext(
        "You linked {names} with /channel. Stop posting digests there too, "
        "or let it go on without you?",
        "You linked {names} with /channel. Stop posting digests there too, "
        "or let them go on without you?",
        len(channels),
    ).format(names=names)
    shown = plural_name(channels, tr)
    rows = [
        [
            InlineKeyboardButton(
                tr.gettext("Yes, and stop {channels}").format(channels=shown),
                callback_data="stop:all",
            )
        ],
        [
            InlineKeyboardButton(
                tr.gettext("Yes, keep {channels} posting").format(channels=shown),
                callback_data="stop:yes",
            )
        ],
        cancel,
    ]
    return f"{question}\n\n{also}", InlineKeyboardMarkup(rows)


def channel_name(channel: Chat) -> str:
    return f"@{channel.username}" if channel.username else channel.title or str(channel.id)


def plural_name(channels: list[Chat], tr: gettext.NullTranslations) -> str:
    # Button labels are plain text: a name there needs no escaping.
    if len(channels) == 1:
        return channel_name(channels[0])
    return counted(len(channels), "channel", "channels", translations=tr)


async def stats(update: Update, context: Context) -> None:
    """Readers, feeds and their health, articles per day, deliveries (bot admins only)."""
    tr = user_translation(update)
    if not is_bot_admin(update, context):
        await reply(update, context, tr.gettext("/stats is for the bot's admins."))
        return
    async with context.bot_data.services.sessionmaker() as session:
        numbers = await collect_stats(session, since=utcnow() - timedelta(days=7))
    none = tr.gettext("none")
    per_day = ", ".join(f"{day:%-d %b}: {n}" for day, n in numbers.articles_per_day) or none
    # Delivery statuses are the outbox's own names, as the operator's CLI shows them.
    deliveries = (
        ", ".join(f"{status} {n}" for status, n in sorted(numbers.deliveries.items())) or none
    )
    lines = [
        "<b>" + tr.gettext("Stats") + "</b>",
        tr.gettext("Chats: {chats} ({active} active), with sources: {subscribers}").format(
            chats=numbers.chats, active=numbers.active_chats, subscribers=numbers.subscribers
        ),
        tr.gettext("Feeds: {feeds}, failing: {failing}, broken: {broken}").format(
            feeds=numbers.feeds, failing=numbers.failing_feeds, broken=numbers.broken_feeds
        ),
        tr.gettext("Articles per day (7 days): {counts}").format(counts=escape(per_day)),
        tr.gettext("Deliveries: {counts}").format(counts=escape(deliveries)),
    ]
    await reply(update, context, "\n".join(lines))


async def stop(update: Update, context: Context) -> None:
    """Ask before deleting everything stored about the chat (and whether its channels stop)."""
    if not await may_change_settings(update, context):
        return
    tr = await chat_translation(update, context)
    async with context.bot_data.services.sessionmaker() as session:
        channels = await chat_store.linked_channels(session, chat_id_of(update))
    text, markup = stop_question(channels, tr)
    await reply(update, context, text, markup=markup)


async def stop_button(update: Update, context: Context) -> None:
    tapped = await permitted_button(update, context)
    if tapped is None:
        return
    query, data = tapped
    await query.answer()
    # Read before the chat's row (and its language) is deleted.
    tr = await chat_translation(update, context)
    if data == "stop:no":
        await edit_text(query, tr.gettext("Nothing was deleted."))
        return
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        forgotten = await chat_store.delete_chat(
            session, chat_id_of(update), with_channels=data == "stop:all"
        )
    parts = [tr.gettext("Done: everything stored about this chat is deleted.")]
    if forgotten.channels_stopped:
        parts.append(
            tr.ngettext(
                "Your channel stopped too.",
                "Your channels stopped too.",
                forgotten.channels_stopped,
            )
        )
    elif forgotten.channels_unlinked:
        parts.append(
            tr.ngettext(
                "Your channel goes on getting digests; its admins stop it with /channel off.",
                "Your channels go on getting digests; their admins stop them with /channel off.",
                forgotten.channels_unlinked,
            )
        )
    parts.append(tr.gettext("/start to begin again."))
    await edit_text(query, " ".join(parts))


async def _pause_channel(update: Update, context: Context, action: str, words: list[str]) -> None:
    """`/channel pause [@name] [3d]`, `/channel resume [@name]`: for a channel this chat linked.

    The link is the permission: only the private chat that linked the channel manages it, so no
    Telegram call is needed. Without a name, the one channel linked is meant.
    """
    owner = await ensure_chat(update, context)
    tr = translation(owner.language)
    names = [word for word in words if word.startswith("@")]
    async with context.bot_data.services.sessionmaker() as session:
        channels = await chat_store.linked_channels(session, owner.id)
    if names:
        wanted = names[0].lower()
        channels = [c for c in channels if f"@{c.username or ''}".lower() == wanted]
    if len(channels) != 1:
        if names:
            text = tr.gettext(
                "You have not linked {name}: link it first with /channel {name}."
            ).format(name=escape(names[0]))
        elif channels:
            text = tr.gettext("Name the channel, as in: {example}").format(
                example=f"<code>/channel {action} @name</code>"
            )
        else:
            text = tr.gettext("You have linked no channel yet: /channel @name links one.")
        await reply(update, context, text)
        return
    target = channels[0]
    shown = escape(channel_name(target))
    now = utcnow()
    if action == "resume":
        async with context.bot_data.services.sessionmaker() as session, session.begin():
            report = await resume_chat(session, target.id, now=now)
        text = (
            tr.gettext("▶️ Digests are posted to {channel} again.")
            if report.was_paused
            else tr.gettext("Nothing to resume: {channel} is not paused.")
        )
        await reply(update, context, text.format(channel=shown))
        return
    try:
        duration = parse_pause_duration(" ".join(w for w in words if not w.startswith("@")))
    except PauseError as exc:
        await reply(
            update,
            context,
            f"{escape(str(exc))}\n"
            + tr.gettext("Example: {example}").format(
                example=f"<code>/channel pause {shown} 3d</code>"
            ),
        )
        return
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        paused = await pause_chat(session, target.id, now=now, duration=duration)
    until = (
        tr.gettext("until {when} ({zone})").format(
            when=local_time_label(paused.paused_until, paused.timezone),
            zone=escape(paused.timezone),
        )
        if paused.paused_until is not None
        else tr.gettext("until you resume it")
    )
    await reply(
        update,
        context,
        tr.gettext(
            "⏸ {channel} is paused {until}: its digests due meanwhile are skipped. "
            "{resume} ends it now."
        ).format(channel=shown, until=until, resume=f"/channel resume {shown}"),
    )


async def channel(update: Update, context: Context) -> None:
    """Post digests to a channel you administer: `/channel @name`, `/channel off @name`;
    `/channel pause [@name] [3d]` and `/channel resume [@name]` for one you linked."""
    words = args_text(context).split()
    user = update.effective_user
    if not words or user is None:
        await reply_usage(update, context, "channel")
        return
    tr = await chat_translation(update, context)
    if update.effective_chat is None or update.effective_chat.type != ChatType.PRIVATE:
        await reply(update, context, tr.gettext("Send /channel to me in a private chat."))
        return
    if words[0].lower() in ("pause", "resume"):
        await _pause_channel(update, context, words[0].lower(), words[1:])
        return
    turn_off = words[0].lower() == "off"
    name = words[-1]
    if not name.startswith("@") or len(name) < 2:
        await reply_usage(update, context, "channel")
        return
    try:
        target = await context.bot.get_chat(name)
        member = await context.bot.get_chat_member(target.id, user.id)
        me = await context.bot.get_chat_member(target.id, context.bot.id)
    except TelegramError as exc:
        await reply(
            update,
            context,
            tr.gettext(
                "I can't see {channel} ({reason}). Add me to the channel as an admin first."
            ).format(channel=escape(name), reason=escape(str(exc))),
        )
        return
    if target.type != ChatType.CHANNEL:
        await reply(
            update, context, tr.gettext("{channel} is not a channel.").format(channel=escape(name))
        )
        return
    if member.status not in ADMIN_STATUSES:
        await reply(
            update,
            context,
            tr.gettext("Only admins of {channel} can link it.").format(channel=escape(name)),
        )
        return
    if me.status not in ADMIN_STATUSES:
        await reply(
            update,
            context,
            tr.gettext("Make me an admin of {channel} (allowed to post), then try again.").format(
                channel=escape(name)
            ),
        )
        return
    owner = await ensure_chat(update, context)
    tr = translation(owner.language)
    services = context.bot_data.services
    async with services.sessionmaker() as session, session.begin():
        if turn_off:
            await chat_store.delete_chat(session, target.id)
            await reply(
                update,
                context,
                tr.gettext("Stopped posting to {channel}.").format(channel=escape(name)),
            )
            return
        linked, _ = await chat_store.get_or_create_chat(
            session,
            target.id,
            chat_type="channel",
            now=utcnow(),
            title=target.title,
            username=target.username,
        )
        linked.managed_by_chat_id = owner.id
        # A channel has no readers who could pick a language: it follows its admin's.
        linked.language = owner.language
        linked.language_source = LanguageSource.ADMIN
        linked.timezone = owner.timezone
        linked.digest_schedule = owner.digest_schedule
        linked.items_per_digest = owner.items_per_digest
        linked.summary_sentences = owner.summary_sentences
        linked.show_entities = owner.show_entities
        linked.show_figures = owner.show_figures
        linked.next_digest_at = next_digest_time(
            owner.digest_schedule, owner.timezone, after=utcnow()
        )
        sources = await chat_store.chat_sources(session, owner.id)
        for source in sources:
            await chat_store.subscribe(session, target.id, source.feed_id, now=utcnow())
    text = tr.gettext(
        "Digests will be posted to {channel} on your schedule, from your {sources}. "
        "Send /channel {name} again after changing your sources; /channel off {name} to stop."
    ).format(
        channel=f"<b>{escape(name)}</b>",
        sources=counted(len(sources), "source", "sources", translations=tr),
        name=escape(name),
    )
    await reply(update, context, f"📣 {text}")


async def group_migrated(update: Update, context: Context) -> None:
    """Follow a group that became a supergroup: sources, alerts and queue move to the new id."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id is not None:
        old, new = message.chat_id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id is not None:
        old, new = message.migrate_from_chat_id, message.chat_id
    else:
        return
    # Telegram sends both messages; whichever comes second finds the move done and does nothing.
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        await deliveries.migrate_chat(session, old, new)
        sources = len(await chat_store.chat_sources(session, new))
        rules = len(await chat_store.alert_rules(session, new))
    tr = await chat_translation(update, context)
    moved = []
    if sources:
        moved.append(counted(sources, "source", "sources", translations=tr))
    if rules:
        moved.append(counted(rules, "alert", "alerts", translations=tr))
    if message.chat_id == new and moved:
        things = (
            tr.gettext("{items} and {last}").format(items=moved[0], last=moved[1])
            if len(moved) == 2
            else moved[0]
        )
        text = tr.gettext("This group is now a supergroup: its {things} came along.").format(
            things=things
        )
        await reply(update, context, f"✅ {text}")
