"""Data access for feeds: adding, listing, claiming due ones, and recording fetch results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Article, Chat, Feed, Subscription


@dataclass(frozen=True, slots=True)
class FeedHealth:
    """A feed with the numbers `feeds list` and `/stats` show."""

    feed: Feed
    articles: int
    subscribers: int


async def get_feed_by_url(session: AsyncSession, url: str) -> Feed | None:
    return await session.scalar(select(Feed).where(Feed.url == url))


async def add_feed(
    session: AsyncSession,
    url: str,
    *,
    now: datetime,
    interval_seconds: int,
    title: str | None = None,
    topic: str | None = None,
    added_by_chat_id: int | None = None,
) -> tuple[Feed, bool]:
    """Get or create the feed for ``url``; returns (feed, created). A new feed is due at once."""
    existing = await get_feed_by_url(session, url)
    if existing is not None:
        if not existing.enabled:
            existing.enabled = True
            existing.next_due_at = now
        return existing, False
    feed = Feed(
        url=url,
        title=title,
        topic=topic,
        interval_seconds=interval_seconds,
        next_due_at=now,
        added_by_chat_id=added_by_chat_id,
        created_at=now,
    )
    session.add(feed)
    await session.flush()
    return feed, True


async def remove_feed(session: AsyncSession, feed_id: int) -> bool:
    """Delete the feed and its subscriptions; its articles stay (they may be in other feeds)."""
    result = await session.execute(delete(Feed).where(Feed.id == feed_id))
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def list_feed_health(session: AsyncSession) -> list[FeedHealth]:
    articles = select(Article.feed_id, func.count().label("n")).group_by(Article.feed_id).subquery()
    subscribers = (
        select(Subscription.feed_id, func.count().label("n"))
        .group_by(Subscription.feed_id)
        .subquery()
    )
    rows = await session.execute(
        select(Feed, func.coalesce(articles.c.n, 0), func.coalesce(subscribers.c.n, 0))
        .outerjoin(articles, articles.c.feed_id == Feed.id)
        .outerjoin(subscribers, subscribers.c.feed_id == Feed.id)
        .order_by(Feed.id)
    )
    return [FeedHealth(feed, int(n_articles), int(n_subs)) for feed, n_articles, n_subs in rows]


async def claim_due_feeds(
    session: AsyncSession, *, now: datetime, limit: int, lease: timedelta
) -> list[Feed]:
    """Take up to ``limit`` due feeds for this worker by pushing their due time one lease ahead.

    On PostgreSQL ``FOR UPDATE SKIP LOCKED`` lets several workers claim at once without waiting
    on or taking each other's feeds; the lease means a worker that dies mid-fetch only delays its
    feeds, it does not lose them. SQLite ignores the lock clause and runs one worker.
    """
    feeds = list(
        await session.scalars(
            select(Feed)
            .where(Feed.enabled.is_(True), Feed.next_due_at <= now)
            .order_by(Feed.next_due_at, Feed.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    for feed in feeds:
        feed.next_due_at = now + lease
    await session.flush()
    return feeds


async def record_fetch_success(
    session: AsyncSession,
    feed_id: int,
    *,
    now: datetime,
    next_due_at: datetime,
    etag: str | None,
    last_modified: str | None,
    title: str | None = None,
    site_url: str | None = None,
) -> None:
    values: dict[str, object] = {
        "last_fetched_at": now,
        "last_success_at": now,
        "next_due_at": next_due_at,
        # A validator too long for its column is dropped, not cut: a cut ETag would never match,
        # and without one the next fetch is simply unconditional.
        "etag": _whole_or_none(etag, Feed.etag.type.length),
        "last_modified": _whole_or_none(last_modified, Feed.last_modified.type.length),
        "consecutive_failures": 0,
        "last_error": None,
        "broken_at": None,
        "broken_notified_at": None,
    }
    if title:
        values["title"] = title[:500]
    if site_url:
        # A link cut short leads nowhere: one too long for its column is left out instead.
        values["site_url"] = _whole_or_none(site_url, Feed.site_url.type.length)
    await session.execute(update(Feed).where(Feed.id == feed_id).values(**values))


def _whole_or_none(value: str | None, length: int | None) -> str | None:
    return value if value is None or length is None or len(value) <= length else None


async def record_fetch_failure(
    session: AsyncSession,
    feed_id: int,
    *,
    now: datetime,
    next_due_at: datetime,
    error: str,
    failure_threshold: int,
) -> bool:
    """Count a failure; returns True exactly when this failure makes the feed broken."""
    feed = await session.get(Feed, feed_id, with_for_update=True)
    if feed is None:
        return False
    feed.consecutive_failures += 1
    feed.last_error = error[:2000]
    feed.last_fetched_at = now
    feed.next_due_at = next_due_at
    if feed.broken_at is None and feed.consecutive_failures >= failure_threshold:
        feed.broken_at = now
        return True
    return False


async def feeds_owed_broken_notice(session: AsyncSession) -> list[tuple[int, str]]:
    """Broken feeds whose subscribers were not yet told, with the error to tell them.

    A feed is marked broken in one transaction and its notices are queued in the next: a crash
    between the two leaves exactly this state, which the next tick finds and finishes.
    """
    rows = await session.execute(
        select(Feed.id, Feed.last_error)
        .where(Feed.broken_at.is_not(None), Feed.broken_notified_at.is_(None))
        .order_by(Feed.id)
    )
    return [(feed_id, error or "") for feed_id, error in rows]


async def count_never_fetched(session: AsyncSession) -> int:
    """Enabled feeds whose first fetch has not succeeded yet."""
    return int(
        await session.scalar(
            select(func.count())
            .select_from(Feed)
            .where(Feed.enabled.is_(True), Feed.backlog_done_at.is_(None))
        )
        or 0
    )


async def mark_backlog_done(session: AsyncSession, feed_id: int, *, now: datetime) -> None:
    await session.execute(
        update(Feed)
        .where(Feed.id == feed_id, Feed.backlog_done_at.is_(None))
        .values(backlog_done_at=now)
    )


async def subscriber_chat_ids(session: AsyncSession, feed_id: int) -> list[int]:
    return list(
        await session.scalars(
            select(Subscription.chat_id)
            .join(Chat, Chat.id == Subscription.chat_id)
            .where(Subscription.feed_id == feed_id, Chat.active.is_(True))
            .order_by(Subscription.chat_id)
        )
    )


async def count_due_feeds(session: AsyncSession, *, now: datetime) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(Feed)
            .where(Feed.enabled.is_(True), Feed.next_due_at <= now)
        )
        or 0
    )


async def make_all_due(session: AsyncSession, *, now: datetime) -> None:
    """Make every enabled feed due now (for `ingest --once --all`)."""
    await session.execute(update(Feed).where(Feed.enabled.is_(True)).values(next_due_at=now))
