"""/pause on the database: digests skipped, alerts held by the outbox, one fold when it ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.alerts import AlertMatcher
from jobs.digests import DigestOptions, queue_due_digests
from jobs.ingest import NewArticle
from jobs.messages import visible_length
from jobs.pause import (
    PauseError,
    parse_pause_duration,
    pause_chat,
    render_away,
    resume_chat,
    resume_expired_pauses,
)
from store import deliveries
from store.models import (
    AlertRule,
    Article,
    Chat,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    Feed,
    FeedEntry,
    Subscription,
)

NOW = datetime(2026, 11, 29, 7, 0, tzinfo=UTC)  # Sunday 08:00 in Berlin


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3d", timedelta(days=3)),
        ("12h", timedelta(hours=12)),
        ("90 minutes", timedelta(minutes=90)),
        ("2w", timedelta(weeks=2)),
        ("1d 12h", timedelta(days=1, hours=12)),
        ("", None),
        ("until resumed", None),
    ],
)
def test_durations(text: str, expected: timedelta | None) -> None:
    assert parse_pause_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [("soon", "not a duration"), ("3x", "not a duration"), ("3d later", "not a duration"),
     ("400d", "365 days"), ("0h", "a minute")],
)  # fmt: skip
def test_unreadable_durations_say_how_to_write_them(text: str, message: str) -> None:
    with pytest.raises(PauseError, match=message):
        parse_pause_duration(text)


async def _world(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    """Chat 1 (Berlin, daily 08:00 due now) and chat 2, both reading one feed, both alerting on wind."""
    async with sessionmaker() as session, session.begin():
        feed = Feed(url="https://wire.example/feed", title="Energy Wire")
        session.add(feed)
        session.add_all(
            Chat(id=n, timezone="Europe/Berlin", digest_schedule="daily 08:00", next_digest_at=NOW)
            for n in (1, 2)
        )
        await session.flush()
        for n in (1, 2):
            session.add_all(
                [Subscription(chat_id=n, feed_id=feed.id), AlertRule(chat_id=n, query="wind")]
            )
        return feed.id


async def _news(
    sessionmaker: async_sessionmaker[AsyncSession], feed_id: int, n: int, *, at: datetime
) -> NewArticle:
    title = f"Wind farm story {n}"
    async with sessionmaker() as session, session.begin():
        article = Article(
            canonical_url=f"https://wire.example/{n}",
            feed_id=feed_id,
            title=title,
            text="The wind farm grew.",
            story_key=f"story-{n}",
            fetched_at=at,
        )
        session.add(article)
        await session.flush()
        session.add(FeedEntry(feed_id=feed_id, guid=str(n), article_id=article.id))
    return NewArticle(
        article.id, feed_id, title, "The wind farm grew.", article.canonical_url, f"story-{n}"
    )


async def _claimable(
    sessionmaker: async_sessionmaker[AsyncSession], at: datetime
) -> list[tuple[int, str]]:
    """What the sender would send now (claimed in a transaction that is rolled back)."""
    async with sessionmaker() as session, session.begin():
        items = await deliveries.claim_due(session, now=at, limit=1000)
        await session.rollback()
    return sorted((item.chat_id, item.item_key) for item in items)


async def _rows(sessionmaker: async_sessionmaker[AsyncSession], chat_id: int) -> list[Delivery]:
    async with sessionmaker() as session:
        return list(
            await session.scalars(
                select(Delivery).where(Delivery.chat_id == chat_id).order_by(Delivery.id)
            )
        )


async def _pause(
    sessionmaker: async_sessionmaker[AsyncSession], chat_id: int, duration: timedelta | None
) -> None:
    async with sessionmaker() as session, session.begin():
        await pause_chat(session, chat_id, now=NOW, duration=duration)


async def test_a_paused_chat_gets_no_alerts_and_one_list_when_it_resumes(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    feed_id = await _world(sessionmaker)
    await _pause(sessionmaker, 1, None)
    matcher = AlertMatcher(sessionmaker)
    for n in range(12):
        article = await _news(sessionmaker, feed_id, n, at=NOW + timedelta(minutes=n))
        await matcher.handle_new_articles([article], now=NOW + timedelta(minutes=n))
    # Chat 2 is not paused: its 12 alerts go; chat 1's wait.
    claimable = await _claimable(sessionmaker, NOW + timedelta(hours=1))
    assert {chat for chat, _ in claimable} == {2}
    async with sessionmaker() as session:
        assert await deliveries.next_due_at(session) is not None  # chat 2's

    async with sessionmaker() as session, session.begin():
        report = await resume_chat(session, 1, now=NOW + timedelta(hours=2))
    assert (report.was_paused, report.held_alerts) == (True, 12)
    rows = await _rows(sessionmaker, 1)
    assert [row.status for row in rows if row.kind == DeliveryKind.ALERT] == [
        DeliveryStatus.DROPPED
    ] * 12
    [away] = [row for row in rows if row.kind == DeliveryKind.NOTICE]
    text = away.payload["text"]
    assert "While you were away" in text and "12 stories" in text
    # The newest ten, newest first, then the count of the rest.
    assert text.index("Wind farm story 11") < text.index("Wind farm story 2")
    assert "Wind farm story 1<" not in text and "Wind farm story 0" not in text
    assert text.endswith("…and 2 more.")
    assert (1, away.item_key) in await _claimable(sessionmaker, NOW + timedelta(hours=2))

    # Resuming again changes nothing; a new alert now goes straight out.
    async with sessionmaker() as session, session.begin():
        assert not (await resume_chat(session, 1, now=NOW + timedelta(hours=3))).was_paused
    article = await _news(sessionmaker, feed_id, 99, at=NOW + timedelta(hours=3))
    await matcher.handle_new_articles([article], now=NOW + timedelta(hours=3))
    assert (1, "story:story-99") in await _claimable(sessionmaker, NOW + timedelta(hours=3))


async def test_due_digests_are_skipped_while_paused_and_not_caught_up(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    feed_id = await _world(sessionmaker)
    await _news(sessionmaker, feed_id, 1, at=NOW - timedelta(hours=2))
    await _pause(sessionmaker, 1, timedelta(days=3))
    report = await queue_due_digests(sessionmaker, now=NOW)
    assert (report.chats, report.paused, report.sent) == (2, 1, 1)
    assert [row.kind for row in await _rows(sessionmaker, 1)] == []
    async with sessionmaker() as session:
        chat = await session.get(Chat, 1)
    assert chat is not None
    assert chat.next_digest_at == NOW + timedelta(days=1)
    # The skipped digest's stories are not carried into the first one after the pause.
    assert chat.last_digest_at == NOW - DigestOptions().settle


async def test_a_pause_ends_by_itself_once_with_digests_queued_before_it_skipped(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    feed_id = await _world(sessionmaker)
    async with sessionmaker() as session, session.begin():
        await deliveries.enqueue(
            session, chat_id=1, kind=DeliveryKind.DIGEST, item_key="digest:old:0",
            payload={"text": "old digest"}, now=NOW - timedelta(minutes=1),
        )  # fmt: skip
    await _pause(sessionmaker, 1, timedelta(hours=12))
    matcher = AlertMatcher(sessionmaker)
    await matcher.handle_new_articles([await _news(sessionmaker, feed_id, 1, at=NOW)], now=NOW)
    assert await resume_expired_pauses(sessionmaker, now=NOW + timedelta(hours=11)) == 0
    assert await resume_expired_pauses(sessionmaker, now=NOW + timedelta(hours=12)) == 1
    assert await resume_expired_pauses(sessionmaker, now=NOW + timedelta(hours=13)) == 0
    rows = {row.item_key: row for row in await _rows(sessionmaker, 1)}
    assert rows["digest:old:0"].status == DeliveryStatus.DROPPED
    [away] = [row for row in rows.values() if row.kind == DeliveryKind.NOTICE]
    assert "1 story matched" in away.payload["text"]
    async with sessionmaker() as session:
        chat = await session.get(Chat, 1)
    assert chat is not None and (chat.paused_at, chat.paused_until) == (None, None)


async def test_a_crash_before_the_commit_leaves_the_pause_and_its_alerts(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    feed_id = await _world(sessionmaker)
    await _pause(sessionmaker, 1, None)
    await AlertMatcher(sessionmaker).handle_new_articles(
        [await _news(sessionmaker, feed_id, 1, at=NOW)], now=NOW
    )
    with pytest.raises(RuntimeError):
        async with sessionmaker() as session, session.begin():
            await resume_chat(session, 1, now=NOW)
            raise RuntimeError("killed before the commit")
    rows = await _rows(sessionmaker, 1)
    assert [(row.kind, row.status) for row in rows] == [
        (DeliveryKind.ALERT, DeliveryStatus.PENDING)
    ]
    async with sessionmaker() as session, session.begin():
        assert (await resume_chat(session, 1, now=NOW)).held_alerts == 1
    assert (
        len([row for row in await _rows(sessionmaker, 1) if row.kind == DeliveryKind.NOTICE]) == 1
    )


def test_the_away_message_fits_one_message_whatever_the_titles() -> None:
    alerts = [
        {"title": "Wind " * 400, "url": "https://x.example/" + "a" * 2000, "source": "S" * 500}
    ] * 30
    assert visible_length(render_away(alerts)) < 4096
    # Alerts queued before titles were stored show the title line of their text.
    old = render_away([{"text": '🔔 <b>wind</b>\n<a href="https://x.example/1">Old title</a>'}])
    assert "Old title" in old


async def test_the_away_list_is_in_the_chats_language(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    feed_id = await _world(sessionmaker)
    async with sessionmaker() as session, session.begin():
        chat = await session.get(Chat, 1)
        assert chat is not None
        chat.language = "de"
    await _pause(sessionmaker, 1, None)
    matcher = AlertMatcher(sessionmaker)
    for n in range(11):
        article = await _news(sessionmaker, feed_id, n, at=NOW + timedelta(minutes=n))
        await matcher.handle_new_articles([article], now=NOW + timedelta(minutes=n))
    async with sessionmaker() as session, session.begin():
        await resume_chat(session, 1, now=NOW + timedelta(hours=2))
    [away] = [row for row in await _rows(sessionmaker, 1) if row.kind == DeliveryKind.NOTICE]
    text = away.payload["text"]
    assert text.startswith(
        "👋 <b>Während du weg warst</b>: 11 Meldungen passten zu deinen Alarmen."
    )
    assert text.endswith("…und 1 weitere.")
