"""Feed data access: claiming due feeds without overlap, failure counting, health listing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from store.database import is_sqlite
from store.feeds import (
    add_feed,
    claim_due_feeds,
    list_feed_health,
    record_fetch_failure,
    record_fetch_success,
    remove_feed,
)
from store.models import Article, Chat, Subscription

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


async def _add(sessionmaker: async_sessionmaker[AsyncSession], *urls: str) -> list[int]:
    async with sessionmaker() as session, session.begin():
        feeds = [(await add_feed(session, url, now=NOW, interval_seconds=900))[0] for url in urls]
    return [feed.id for feed in feeds]


async def test_add_feed_is_get_or_create(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with sessionmaker() as session, session.begin():
        first, created = await add_feed(
            session, "https://a.example/feed", now=NOW, interval_seconds=900
        )
        again, created_again = await add_feed(
            session, "https://a.example/feed", now=NOW, interval_seconds=60
        )
    assert created and not created_again
    assert first.id == again.id
    assert again.interval_seconds == 900


async def test_claimed_feeds_are_not_due_again_until_the_lease_ends(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    ids = await _add(sessionmaker, "https://a.example/feed", "https://b.example/feed")
    async with sessionmaker() as session, session.begin():
        claimed = await claim_due_feeds(session, now=NOW, limit=10, lease=LEASE)
    assert sorted(feed.id for feed in claimed) == sorted(ids)
    async with sessionmaker() as session, session.begin():
        assert (
            await claim_due_feeds(session, now=NOW + timedelta(minutes=1), limit=10, lease=LEASE)
            == []
        )
    async with sessionmaker() as session, session.begin():
        # A worker that died mid-fetch loses nothing: the feeds come back when the lease ends.
        again = await claim_due_feeds(session, now=NOW + LEASE, limit=10, lease=LEASE)
    assert len(again) == 2


async def test_two_workers_claim_disjoint_feeds_at_once(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    if is_sqlite(engine):
        # SQLite serialises writers and runs one worker; the lock clause is PostgreSQL's.
        return
    await _add(sessionmaker, *(f"https://{n}.example/feed" for n in range(6)))
    async with sessionmaker() as first, sessionmaker() as second, first.begin():
        mine = await claim_due_feeds(first, now=NOW, limit=4, lease=LEASE)
        # The first transaction still holds its row locks: the second skips those rows.
        async with second.begin():
            theirs = await claim_due_feeds(second, now=NOW, limit=4, lease=LEASE)
    assert len(mine) == 4
    assert len(theirs) == 2
    assert not {f.id for f in mine} & {f.id for f in theirs}


async def test_feed_becomes_broken_once_at_the_threshold(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    [feed_id] = await _add(sessionmaker, "https://a.example/feed")
    became_broken = []
    for attempt in range(5):
        async with sessionmaker() as session, session.begin():
            became_broken.append(
                await record_fetch_failure(
                    session,
                    feed_id,
                    now=NOW,
                    next_due_at=NOW,
                    error=f"HTTP 500 ({attempt})",
                    failure_threshold=3,
                )
            )
    assert became_broken == [False, False, True, False, False]
    async with sessionmaker() as session, session.begin():
        await record_fetch_success(
            session, feed_id, now=NOW, next_due_at=NOW, etag='"v2"', last_modified=None, title="A"
        )
    async with sessionmaker() as session:
        [health] = await list_feed_health(session)
    assert health.feed.consecutive_failures == 0
    assert health.feed.broken_at is None and health.feed.last_error is None
    assert health.feed.etag == '"v2"'


async def test_health_counts_articles_and_subscribers(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    a, b = await _add(sessionmaker, "https://a.example/feed", "https://b.example/feed")
    async with sessionmaker() as session, session.begin():
        session.add_all([Chat(id=1), Chat(id=2)])
        await session.flush()
        session.add_all(
            [Subscription(chat_id=1, feed_id=a), Subscription(chat_id=2, feed_id=a)]
            + [Article(canonical_url=f"https://a.example/{n}", feed_id=a) for n in range(3)]
        )
    async with sessionmaker() as session:
        health = {h.feed.id: (h.articles, h.subscribers) for h in await list_feed_health(session)}
    assert health == {a: (3, 2), b: (0, 0)}
    async with sessionmaker() as session, session.begin():
        assert await remove_feed(session, a)
        assert not await remove_feed(session, a)
    async with sessionmaker() as session:
        assert [h.feed.id for h in await list_feed_health(session)] == [b]
