"""The storage rules the product relies on hold on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from store.database import is_sqlite
from store.models import Article, Chat, Delivery, DeliveryKind, Feed, Subscription


async def test_timestamps_come_back_aware_and_in_utc(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    berlin_noon = datetime(2026, 3, 29, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    async with sessionmaker() as session, session.begin():
        session.add(Feed(url="https://example.org/feed", next_due_at=berlin_noon))
    async with sessionmaker() as session:
        feed = (await session.scalars(select(Feed))).one()
    assert feed.next_due_at == berlin_noon
    assert feed.next_due_at.tzinfo is not None
    assert feed.next_due_at.utcoffset() == timedelta(0)
    assert feed.next_due_at.hour == 10


async def test_naive_datetimes_are_refused(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        async with sessionmaker() as session, session.begin():
            session.add(Feed(url="https://example.org/feed", next_due_at=datetime(2026, 1, 1)))  # noqa: DTZ001


async def test_due_comparison_is_chronological(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """A due-query compares instants, whatever zone they were written in."""
    now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    async with sessionmaker() as session, session.begin():
        session.add_all(
            [
                Feed(url="https://a.example/feed", next_due_at=now - timedelta(minutes=1)),
                # 12:30 in UTC+01 is 11:30 UTC: due, though its wall clock reads later.
                Feed(
                    url="https://b.example/feed",
                    next_due_at=datetime(2026, 11, 29, 12, 30, tzinfo=timezone(timedelta(hours=1))),
                ),
                Feed(url="https://c.example/feed", next_due_at=now + timedelta(minutes=1)),
            ]
        )
    async with sessionmaker() as session:
        due = (
            await session.scalars(
                select(Feed.url).where(Feed.next_due_at <= now).order_by(Feed.url)
            )
        ).all()
    assert due == ["https://a.example/feed", "https://b.example/feed"]


async def test_one_delivery_per_chat_kind_and_item(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session, session.begin():
        session.add(Chat(id=-1001234567890123, type="supergroup"))
        session.add(
            Delivery(chat_id=-1001234567890123, kind=DeliveryKind.ALERT, item_key="article:1")
        )
    with pytest.raises(IntegrityError):
        async with sessionmaker() as session, session.begin():
            session.add(
                Delivery(chat_id=-1001234567890123, kind=DeliveryKind.ALERT, item_key="article:1")
            )
    async with sessionmaker() as session, session.begin():
        # Same item, other kind: a different message, allowed.
        session.add(
            Delivery(chat_id=-1001234567890123, kind=DeliveryKind.DIGEST, item_key="article:1")
        )


async def test_deleting_a_chat_deletes_what_belongs_to_it(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with sessionmaker() as session, session.begin():
        feed = Feed(url="https://example.org/feed")
        session.add_all([feed, Chat(id=7)])
        await session.flush()
        session.add(Subscription(chat_id=7, feed_id=feed.id))
        session.add(Delivery(chat_id=7, kind=DeliveryKind.DIGEST, item_key="2026-11-29"))
    async with sessionmaker() as session, session.begin():
        # A bulk SQL delete: only the database's foreign keys can cascade it.
        await session.execute(text("DELETE FROM chats WHERE id = 7"))
    async with sessionmaker() as session:
        assert (await session.scalars(select(Subscription))).all() == []
        assert (await session.scalars(select(Delivery))).all() == []
        assert len((await session.scalars(select(Feed))).all()) == 1


async def test_articles_are_unique_by_canonical_url(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session, session.begin():
        session.add(Article(canonical_url="https://example.org/a", title="A"))
    with pytest.raises(IntegrityError):
        async with sessionmaker() as session, session.begin():
            session.add(Article(canonical_url="https://example.org/a", title="A again"))


async def test_sqlite_runs_with_wal_and_foreign_keys(engine: AsyncEngine) -> None:
    if not is_sqlite(engine):
        pytest.skip("SQLite pragmas")
    async with engine.connect() as conn:
        assert (await conn.execute(text("PRAGMA journal_mode"))).scalar_one() == "wal"
        assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar_one() == 1
