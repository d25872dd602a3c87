"""Counts for the admins' /stats: chats, subscriptions, articles per day, deliveries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Date, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.deliveries import counts_by_status
from store.feeds import FeedHealth, list_feed_health
from store.models import Article, Chat, Subscription


@dataclass(frozen=True, slots=True)
class BotStats:
    chats: int
    active_chats: int
    subscribers: int
    subscriptions: int
    feeds: list[FeedHealth]
    articles_per_day: list[tuple[date, int]]
    deliveries: dict[str, int]


async def bot_stats(session: AsyncSession, *, since: datetime) -> BotStats:
    """Everything /stats shows; articles are counted per UTC day from ``since``."""
    chats = int(await session.scalar(select(func.count()).select_from(Chat)) or 0)
    active = int(
        await session.scalar(select(func.count()).select_from(Chat).where(Chat.active.is_(True)))
        or 0
    )
    subscribers = int(
        await session.scalar(select(func.count(func.distinct(Subscription.chat_id)))) or 0
    )
    subscriptions = int(await session.scalar(select(func.count()).select_from(Subscription)) or 0)
    day = (
        cast(Article.fetched_at, Date)
        if session.get_bind().dialect.name == "postgresql"
        else func.date(Article.fetched_at)
    )
    rows = await session.execute(
        select(day, func.count()).where(Article.fetched_at >= since).group_by(day).order_by(day)
    )
    per_day = [
        (value if isinstance(value, date) else date.fromisoformat(str(value)), int(count))
        for value, count in rows
    ]
    return BotStats(
        chats=chats,
        active_chats=active,
        subscribers=subscribers,
        subscriptions=subscriptions,
        feeds=await list_feed_health(session),
        articles_per_day=per_day,
        deliveries=await counts_by_status(session),
    )
