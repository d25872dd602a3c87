"""/stats for the bot's admins, and /channel to post digests to a channel one administers."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden

from bot.context import Context
from bot.handlers.replies import ADMIN_STATUSES, argument_text, reply, reply_usage
from bot.render import escape
from jobs.chat_config import link_channel
from store.models import utcnow
from store.stats import BotStats, bot_stats

STATS_DAYS = 7


def render_stats(stats: BotStats) -> str:
    broken = [health for health in stats.feeds if health.feed.broken_at is not None]
    lines = [
        "📈 <b>Stats</b>",
        f"Chats: {stats.chats} ({stats.active_chats} active), subscribers: {stats.subscribers}, "
        f"subscriptions: {stats.subscriptions}",
        f"Feeds: {len(stats.feeds)} ({len(broken)} broken)",
    ]
    for health in broken[:10]:
        title = health.feed.title or health.feed.url
        lines.append(f"  ⚠️ {escape(title)}: {escape(health.feed.last_error or 'failing')}")
    per_day = ", ".join(f"{day:%d %b} {count}" for day, count in stats.articles_per_day) or "none"
    lines.append(f"Articles per day: {per_day}")
    lines.append(
        f"Deliveries: {stats.deliveries.get('sent', 0)} sent, {stats.deliveries.get('failed', 0)} failed, "
        f"{stats.deliveries.get('pending', 0)} pending"
    )
    return "\n".join(lines)


async def stats(update: Update, context: Context) -> None:
    """Counts for the bot's admins; others are told the command is for admins."""
    services = context.bot_data.services
    user = update.effective_user
    if user is None or user.id not in services.settings.admin_ids:
        await reply(update, context, "/stats is for the bot's admins.")
        return
    async with services.sessionmaker() as session, session.begin():
        numbers = await bot_stats(session, since=utcnow() - timedelta(days=STATS_DAYS))
    await reply(update, context, render_stats(numbers))


async def channel(update: Update, context: Context) -> None:
    """``/channel @name``: have digests posted to a channel the user administers."""
    name = argument_text(update)
    chat, user = update.effective_chat, update.effective_user
    if not name.startswith("@") or " " in name or chat is None or user is None:
        await reply_usage(update, context, "channel")
        return
    if chat.type != ChatType.PRIVATE:
        await reply(update, context, "Link a channel from your private chat with me.")
        return
    try:
        target = await context.bot.get_chat(name)
        if target.type != ChatType.CHANNEL:
            await reply(update, context, f"{escape(name)} is not a channel.")
            return
        member = await context.bot.get_chat_member(target.id, user.id)
        me = await context.bot.get_chat_member(target.id, context.bot.id)
    except (BadRequest, Forbidden):
        await reply(
            update,
            context,
            f"I cannot see {escape(name)}: add me to the channel as an admin first.",
        )
        return
    if member.status not in ADMIN_STATUSES:
        await reply(update, context, f"Only an admin of {escape(name)} can link it.")
        return
    if me.status not in ADMIN_STATUSES:
        await reply(update, context, f"Make me an admin of {escape(name)} so I can post there.")
        return
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        added = await link_channel(
            session,
            target.id,
            admin_chat_id=user.id,
            title=target.title,
            username=target.username,
            now=utcnow(),
        )
    await reply(
        update,
        context,
        f"📣 Digests will be posted to <b>{escape(target.title or name)}</b> with your {added} sources.",
    )
