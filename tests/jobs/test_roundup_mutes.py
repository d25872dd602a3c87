"""Daily round-ups and /mute on the database: what is recorded, what is hidden, what is sent once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.alerts import AlertMatcher
from jobs.digests import queue_due_digests
from jobs.ingest import NewArticle
from jobs.pause import pause_chat, resume_chat
from jobs.roundup import take_roundups
from store import digests as digest_store
from store import muting
from store.models import (
    AlertMode,
    AlertRule,
    Article,
    Chat,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    Feed,
    FeedEntry,
    RoundupMatch,
    Subscription,
)

NOW = datetime(2026, 11, 29, 7, 0, tzinfo=UTC)  # 08:00 in Berlin: the digest is due


async def _world(sessionmaker: async_sessionmaker[AsyncSession]) -> tuple[int, int]:
    """Chats 1 and 2 read both feeds; chat 1 wants wind in its round-up, chat 2 at once."""
    async with sessionmaker() as session, session.begin():
        wire = Feed(url="https://wire.example/feed", title="Energy Wire")
        gazette = Feed(url="https://gazette.example/feed", title="Gazette")
        session.add_all([wire, gazette])
        session.add_all(
            Chat(id=n, timezone="Europe/Berlin", digest_schedule="daily 08:00", next_digest_at=NOW)
            for n in (1, 2)
        )
        await session.flush()
        for n in (1, 2):
            session.add_all(Subscription(chat_id=n, feed_id=f.id) for f in (wire, gazette))
        session.add_all(
            [
                AlertRule(chat_id=1, query="wind", mode=AlertMode.DAILY),
                AlertRule(chat_id=2, query="wind"),
            ]
        )
        return wire.id, gazette.id


async def _news(
    sessionmaker: async_sessionmaker[AsyncSession],
    feed_id: int,
    n: int,
    *,
    title: str,
    story: str,
    text: str = "The turbines stood still all night.",
) -> NewArticle:
    async with sessionmaker() as session, session.begin():
        article = Article(
            canonical_url=f"https://news.example/{n}",
            feed_id=feed_id,
            title=title,
            text=text,
            story_key=story,
            fetched_at=NOW - timedelta(hours=3),
        )
        session.add(article)
        await session.flush()
        session.add(FeedEntry(feed_id=feed_id, guid=str(n), article_id=article.id))
    return NewArticle(article.id, feed_id, title, text, article.canonical_url, story)


async def _rows(sessionmaker: async_sessionmaker[AsyncSession], chat_id: int) -> list[Delivery]:
    async with sessionmaker() as session:
        return list(
            await session.scalars(
                select(Delivery).where(Delivery.chat_id == chat_id).order_by(Delivery.id)
            )
        )


async def _owed(sessionmaker: async_sessionmaker[AsyncSession], chat_id: int) -> list[str]:
    async with sessionmaker() as session:
        return list(
            await session.scalars(
                select(RoundupMatch.title)
                .where(RoundupMatch.chat_id == chat_id)
                .order_by(RoundupMatch.id)
            )
        )


async def test_round_up_rules_are_recorded_and_sent_once_after_the_digest(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    wire, gazette = await _world(sessionmaker)
    matcher = AlertMatcher(sessionmaker)
    await matcher.handle_new_articles(
        [
            await _news(sessionmaker, wire, 1, title="Wind farm opens", story="farm"),
            # The same story from another outlet: one line in the round-up.
            await _news(sessionmaker, gazette, 2, title="New wind farm opens", story="farm"),
            await _news(sessionmaker, gazette, 3, title="Wind and rain ahead", story="weather"),
        ],
        now=NOW - timedelta(hours=3),
    )
    # Chat 1 gets no alert now, only a debt; chat 2 (instant) gets its two alerts as before.
    assert [r.kind for r in await _rows(sessionmaker, 1)] == []
    assert await _owed(sessionmaker, 1) == ["Wind farm opens", "Wind and rain ahead"]
    assert [r.kind for r in await _rows(sessionmaker, 2)] == [DeliveryKind.ALERT] * 2

    report = await queue_due_digests(sessionmaker, now=NOW)
    assert report.roundups == 1
    digest, roundup = await _rows(sessionmaker, 1)
    assert digest.item_key == "digest:20261129T0700:0" and roundup.kind == DeliveryKind.DIGEST
    assert roundup.item_key.startswith("roundup:20261129T0700:")
    text = roundup.payload["text"]
    assert "Alert round-up</b>: 2 stories matched" in text
    # Newest first, each story once, with its source.
    assert text.index("Wind and rain ahead") < text.index("Wind farm opens")
    assert "New wind farm opens" not in text and "<i>Gazette</i>" in text
    assert await _owed(sessionmaker, 1) == []
    # Chat 2 has no round-up rule, so its digest comes alone.
    assert [r.item_key for r in await _rows(sessionmaker, 2)][-1].startswith("digest:")

    # The next slot owes nothing: no empty round-up.
    async with sessionmaker() as session, session.begin():
        chat = await session.get(Chat, 1)
        assert chat is not None
        chat.next_digest_at = NOW + timedelta(days=1)
    await queue_due_digests(sessionmaker, now=NOW + timedelta(days=1))
    assert not any(r.item_key.startswith("roundup:20261130") for r in await _rows(sessionmaker, 1))


async def test_a_round_up_is_owed_until_its_transaction_commits_and_then_queued_once(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    wire, _ = await _world(sessionmaker)
    matcher = AlertMatcher(sessionmaker)
    await matcher.handle_new_articles(
        [await _news(sessionmaker, wire, 1, title="Wind farm opens", story="farm")], now=NOW
    )
    # A batch that dies before its commit (here: rolled back) has taken nothing.
    async with sessionmaker() as session, session.begin():
        chats = await digest_store.claim_due_chats(session, now=NOW, limit=10)
        taken = await take_roundups(session, chats, slots={c.id: "slot" for c in chats})
        assert "Wind farm opens" in taken[1].text
        await session.rollback()
    assert await _owed(sessionmaker, 1) == ["Wind farm opens"]

    await queue_due_digests(sessionmaker, now=NOW)
    [first] = [r for r in await _rows(sessionmaker, 1) if r.item_key.startswith("roundup:")]
    # The same slot run again (a schedule set back to it) with a new match: a second round-up
    # under its own key, the first one untouched and still once.
    await matcher.handle_new_articles(
        [await _news(sessionmaker, wire, 2, title="Wind farm closes", story="closed")], now=NOW
    )
    assert await _owed(sessionmaker, 1) == ["Wind farm closes"]
    async with sessionmaker() as session, session.begin():
        chat = await session.get(Chat, 1)
        assert chat is not None
        chat.next_digest_at = NOW
    await queue_due_digests(sessionmaker, now=NOW)
    round_ups = [r for r in await _rows(sessionmaker, 1) if r.item_key.startswith("roundup:")]
    assert [r.id for r in round_ups] == [first.id, round_ups[1].id]
    assert "Wind farm closes" in round_ups[1].payload["text"]
    assert "Wind farm opens" not in round_ups[1].payload["text"]


async def test_an_instant_rule_wins_over_a_round_up_rule_of_the_same_chat(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    wire, _ = await _world(sessionmaker)
    async with sessionmaker() as session, session.begin():
        session.add(AlertRule(chat_id=1, query="farm"))
    await AlertMatcher(sessionmaker).handle_new_articles(
        [await _news(sessionmaker, wire, 1, title="Wind farm opens", story="farm")], now=NOW
    )
    [alert] = await _rows(sessionmaker, 1)
    assert alert.kind == DeliveryKind.ALERT and "<b>farm</b>" in alert.payload["text"]
    assert await _owed(sessionmaker, 1) == []


async def test_mutes_hide_stories_from_alerts_round_ups_and_digests(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    wire, gazette = await _world(sessionmaker)
    async with sessionmaker() as session, session.begin():
        for chat_id in (1, 2):
            await muting.add_mute_rule(session, chat_id, "rain", written="Rain", now=NOW)
    matcher = AlertMatcher(sessionmaker)
    earlier = NOW - timedelta(hours=3)
    await matcher.handle_new_articles(
        [
            await _news(sessionmaker, wire, 1, title="Wind farm opens", story="farm"),
            await _news(sessionmaker, gazette, 2, title="Wind ahead", story="weather"),
            await _news(sessionmaker, gazette, 3, title="Ferry returns", story="ferry"),
        ],
        now=earlier,
    )
    # Another outlet's copy of the weather story says "rain": it fires nobody's alert, and
    # from then on neither does any copy of that story, whatever its words.
    muted_copy = await _news(
        sessionmaker, wire, 4, title="Windy week", story="weather", text="Wind and rain."
    )
    await matcher.handle_new_articles([muted_copy], now=earlier)
    later_copy = await _news(sessionmaker, gazette, 5, title="Wind again", story="weather")
    await matcher.handle_new_articles([later_copy], now=earlier)
    assert await _owed(sessionmaker, 1) == ["Wind farm opens", "Wind ahead"]
    assert [r.payload["title"] for r in await _rows(sessionmaker, 2)] == [
        "Wind farm opens",
        "Wind ahead",
    ]

    await queue_due_digests(sessionmaker, now=NOW)
    [digest, roundup] = [r.payload["text"] for r in await _rows(sessionmaker, 1)]
    # The digest drops the whole weather story, and says so once, at the end.
    assert all(title not in digest for title in ("Windy week", "Wind ahead", "Wind again"))
    assert "Ferry returns" in digest and "Wind farm opens" in digest
    assert digest.rstrip().endswith("🔇 1 story hidden by your /mute words.")
    # The round-up checks the mutes again: the weather story, owed before, is left out.
    assert "Wind ahead" not in roundup and "1 story matched" in roundup


async def test_a_pause_skips_round_ups_and_its_away_list_takes_their_matches(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    wire, _ = await _world(sessionmaker)
    async with sessionmaker() as session, session.begin():
        await pause_chat(session, 1, now=NOW - timedelta(days=1), duration=None)
        session.add(AlertRule(chat_id=1, query="ferry"))
    await AlertMatcher(sessionmaker).handle_new_articles(
        [
            await _news(sessionmaker, wire, 1, title="Wind farm opens", story="farm"),
            await _news(sessionmaker, wire, 2, title="Ferry returns", story="ferry"),
            await _news(sessionmaker, wire, 3, title="Ferry strike", story="strike"),
        ],
        now=NOW - timedelta(hours=3),
    )
    report = await queue_due_digests(sessionmaker, now=NOW)
    assert (report.paused, report.roundups) == (1, 0)
    assert await _owed(sessionmaker, 1) == ["Wind farm opens"]
    async with sessionmaker() as session, session.begin():
        # Muted during the pause: the held alert is left out of the away list.
        await muting.add_mute_rule(session, 1, "strike", written="strike", now=NOW)
    async with sessionmaker() as session, session.begin():
        resumed = await resume_chat(session, 1, now=NOW)
    assert resumed.held_alerts == 2
    rows = await _rows(sessionmaker, 1)
    [away] = [r for r in rows if r.kind == DeliveryKind.NOTICE]
    assert "2 stories matched" in away.payload["text"]
    assert "Wind farm opens" in away.payload["text"] and "Ferry returns" in away.payload["text"]
    assert "Ferry strike" not in away.payload["text"]
    assert {r.status for r in rows if r.kind == DeliveryKind.ALERT} == {DeliveryStatus.DROPPED}
    assert await _owed(sessionmaker, 1) == []
