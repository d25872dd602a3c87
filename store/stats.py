"""Numbers for the admins' /stats: readers, feeds and their health, articles, deliveries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Date, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.deliveries import counts_by_status
from store.models import Article, Chat, Feed, Subscription


@dataclass(frozen=True, slots=True)
class Stats:
    chats: int
    active_chats: int
    subscribers: int
    feeds: int
    broken_feeds: int
    failing_feeds: int
    articles_per_day: list[tuple[date, int]]
    deliveries: dict[str, int]


async def collect_stats(session: AsyncSession, *, since: datetime) -> Stats:
    async def count(query: object) -> int:
        return int(await session.scalar(query) or 0)  # type: ignore[call-overload]

    day = (
        cast(Article.fetched_at, Date)
        if session.get_bind().dialect.name == "postgresql"
        else func.date(Article.fetched_at)
    )
    per_day = await session.execute(
        select(day, func.count()).where(Article.fetched_at >= since).group_by(day).order_by(day)
    )
    return Stats(
        chats=await count(select(func.count()).select_from(Chat)),
        active_chats=await count(
            select(func.count()).select_from(Chat).where(Chat.active.is_(True))
        ),
        subscribers=await count(select(func.count(func.distinct(Subscription.chat_id)))),
        feeds=await count(select(func.count()).select_from(Feed)),
        broken_feeds=await count(
            select(func.count()).select_from(Feed).where(Feed.broken_at.is_not(None))
        ),
        failing_feeds=await count(
            select(func.count()).select_from(Feed).where(Feed.consecutive_failures > 0)
        ),
        articles_per_day=[
            (value if isinstance(value, date) else date.fromisoformat(str(value)), int(n))
            for value, n in per_day
        ],
        deliveries=await counts_by_status(session),
    )
