"""Scheduled digests: due chats by their own clock, one item per story, shared composition."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.digests import (
    DigestOptions,
    compose_for_chat,
    next_digest_time,
    pick_stories,
    queue_due_digests,
)
from jobs.messages import visible_length
from store.digests import DigestCandidate
from store.models import Article, Chat, Delivery, Feed, FeedEntry, Subscription, Summary

NOW = datetime(2026, 11, 29, 7, 0, tzinfo=UTC)  # 08:00 in Berlin


async def _feeds(sessionmaker: async_sessionmaker[AsyncSession]) -> list[int]:
    async with sessionmaker() as session, session.begin():
        feeds = [
            Feed(url=f"https://{name}.example/feed", title=name.title())
            for name in ("wire", "gazette", "courier")
        ]
        session.add_all(feeds)
        await session.flush()
        return [feed.id for feed in feeds]


async def _article(
    session: AsyncSession,
    n: int,
    feed_ids: list[int],
    *,
    story: str,
    hours_ago: float,
    title: str | None = None,
    sentences: int = 2,
) -> None:
    article = Article(
        canonical_url=f"https://news.example/{n}",
        feed_id=feed_ids[0],
        title=title or f"Story {n} <with> & markup",
        text="text",
        story_key=story,
        fetched_at=NOW - timedelta(hours=hours_ago),
    )
    session.add(article)
    await session.flush()
    for feed_id in feed_ids:
        session.add(FeedEntry(feed_id=feed_id, guid=f"{n}-{feed_id}", article_id=article.id))
    session.add(
        Summary(
            article_id=article.id,
            sentences=[f"Sentence {i} of story {n}." for i in range(sentences)],
            entities=[{"text": "Xiaomi", "label": "organisation", "mentions": 3}],
            figures=[
                {"text": "1.5 million", "value": 1.5e6, "unit": None, "about": "monthly sales"}
            ],
            method="news",
            summarizer_version="t",
        )
    )


async def _chat(
    session: AsyncSession, chat_id: int, feed_ids: list[int], **settings: object
) -> None:
    chat = Chat(
        **{
            "id": chat_id,
            "timezone": "Europe/Berlin",
            "digest_schedule": "daily 08:00",
            "next_digest_at": NOW,
            **settings,
        }
    )
    session.add(chat)
    await session.flush()
    session.add_all(Subscription(chat_id=chat_id, feed_id=feed_id) for feed_id in feed_ids)


async def _digests(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[int, list[str]]:
    async with sessionmaker() as session:
        rows = (
            await session.scalars(select(Delivery).order_by(Delivery.chat_id, Delivery.item_key))
        ).all()
    found: dict[int, list[str]] = {}
    for row in rows:
        found.setdefault(row.chat_id, []).append(row.payload["text"])
    return found


async def test_one_item_per_story_with_other_outlets_named(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    wire, gazette, courier = await _feeds(sessionmaker)
    async with sessionmaker() as session, session.begin():
        await _article(session, 1, [wire], story="storm", hours_ago=3, title="Storm cuts cable")
        await _article(session, 2, [gazette], story="storm", hours_ago=2, sentences=1)
        await _article(session, 3, [courier], story="storm", hours_ago=1, sentences=1)
        await _article(session, 4, [gazette], story="ferry", hours_ago=1)
        await _chat(session, 1, [wire, gazette, courier])
    report = await queue_due_digests(sessionmaker, now=NOW)
    assert (report.chats, report.sent, report.messages) == (1, 1, 1)
    [text] = (await _digests(sessionmaker))[1]
    assert "2 stories from 3 sources" in text
    # The storm story appears once, first (three outlets), with the others named.
    assert text.count("Storm cuts cable") == 1 and "Story 2" not in text
    assert (
        "also reported by Gazette, Courier" in text or "also reported by Courier, Gazette" in text
    )
    assert "Story 4 &lt;with&gt; &amp; markup" in text
    assert text.index("Storm cuts cable") < text.index("Story 4")
    assert "Xiaomi" in text and "1.5 million (monthly sales)" in text
    assert "Sunday, 29 November" in text


async def test_schedule_moves_on_and_nothing_is_queued_twice(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    wire, *_ = await _feeds(sessionmaker)
    async with sessionmaker() as session, session.begin():
        await _article(session, 1, [wire], story="a", hours_ago=1)
        await _chat(session, 1, [wire])
    await queue_due_digests(sessionmaker, now=NOW)
    again = await queue_due_digests(sessionmaker, now=NOW + timedelta(minutes=5))
    assert again.chats == 0
    async with sessionmaker() as session:
        chat = await session.get(Chat, 1)
    assert chat is not None
    assert chat.last_digest_at == NOW - DigestOptions().settle
    assert chat.next_digest_at == NOW + timedelta(days=1)
    assert len((await _digests(sessionmaker))[1]) == 1


async def test_an_article_committed_just_after_a_digest_is_in_the_next(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    wire, *_ = await _feeds(sessionmaker)
    async with sessionmaker() as session, session.begin():
        await _article(session, 1, [wire], story="a", hours_ago=1, title="Early story")
        await _chat(session, 1, [wire])
    await queue_due_digests(sessionmaker, now=NOW)
    # Stamped a minute before that digest ran, but its transaction committed after it read.
    async with sessionmaker() as session, session.begin():
        await _article(session, 2, [wire], story="b", hours_ago=1 / 60, title="Late story")
    await queue_due_digests(sessionmaker, now=NOW + timedelta(days=1))
    first, second = (await _digests(sessionmaker))[1]
    assert "Early story" in first and "Late story" not in first
    assert "Late story" in second and "Early story" not in second


async def test_no_news_no_message_unless_asked(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    wire, *_ = await _feeds(sessionmaker)
    async with sessionmaker() as session, session.begin():
        await _chat(session, 1, [wire])
        await _chat(session, 2, [])
    report = await queue_due_digests(sessionmaker, now=NOW)
    assert (report.sent, report.empty) == (0, 2)
    assert await _digests(sessionmaker) == {}
    async with sessionmaker() as session, session.begin():
        for chat_id in (1, 2):
            chat = await session.get(Chat, chat_id)
            assert chat is not None
            chat.next_digest_at = NOW
    await queue_due_digests(sessionmaker, now=NOW, options=DigestOptions(send_empty=True))
    assert "Nothing new" in (await _digests(sessionmaker))[1][0]


async def test_long_digests_split_between_items(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    wire, *_ = await _feeds(sessionmaker)
    async with sessionmaker() as session, session.begin():
        for n in range(30):
            await _article(
                session,
                n,
                [wire],
                story=f"s{n}",
                hours_ago=1,
                title="Ω" * 150 + f" {n}",
                sentences=3,
            )
        await _chat(session, 1, [wire], items_per_digest=30, summary_sentences=3)
    await queue_due_digests(sessionmaker, now=NOW)
    parts = (await _digests(sessionmaker))[1]
    assert len(parts) > 1
    assert all(visible_length(part) <= 4096 for part in parts)
    joined = "\n".join(parts)
    assert all(joined.count(f"Ω {n}</a>") == 1 for n in range(30))


async def test_chats_with_the_same_sources_share_the_composition(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    wire, gazette, _ = await _feeds(sessionmaker)
    async with sessionmaker() as session, session.begin():
        await _article(session, 1, [wire], story="a", hours_ago=1)
        for chat_id in range(1, 51):
            await _chat(session, chat_id, [wire, gazette])
        await _chat(session, 99, [wire], show_entities=False)
    report = await queue_due_digests(sessionmaker, now=NOW)
    assert report.sent == 51
    assert report.compositions == 2
    digests = await _digests(sessionmaker)
    assert "Xiaomi" in digests[1][0] and "Xiaomi" not in digests[99][0]


def test_next_digest_time_in_the_chats_zone() -> None:
    after = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    # 02:30 does not exist in Berlin on 29 March 2026 (spring forward): still exactly one digest.
    first = next_digest_time("daily 02:30", "Europe/Berlin", after=after)
    second = next_digest_time("daily 02:30", "Europe/Berlin", after=first)  # type: ignore[arg-type]
    assert first is not None and second is not None
    assert first.date().isoformat() == "2026-03-29" and second.date().isoformat() == "2026-03-30"
    assert next_digest_time("off", "UTC", after=after) is None
    kathmandu = next_digest_time("daily 08:00", "+05:45", after=after)
    assert kathmandu == datetime(2026, 3, 29, 2, 15, tzinfo=UTC)


async def test_digest_on_demand_includes_a_new_feeds_backlog(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    wire, *_ = await _feeds(sessionmaker)
    async with sessionmaker() as session, session.begin():
        await _article(session, 1, [wire], story="a", hours_ago=1, title="Backlog story")
        article = await session.scalar(select(Article))
        assert article is not None
        article.is_backlog = True
        await _chat(session, 1, [wire])
    # The scheduled digest skips the backlog; asking with /digest shows it.
    assert (await queue_due_digests(sessionmaker, now=NOW)).sent == 0
    async with sessionmaker() as session:
        chat = await session.get(Chat, 1)
        assert chat is not None
        [message] = await compose_for_chat(session, chat, now=NOW, window=timedelta(hours=48))
    assert "Backlog story" in message


def _candidate(
    n: int, source: str, *, hours_ago: float, story: str | None = None
) -> DigestCandidate:
    return DigestCandidate(
        n,
        f"Story {n}",
        f"https://news.example/{n}",
        None,
        NOW - timedelta(hours=hours_ago),
        story or f"s{n}",
        1,
        source,
        ("One sentence.",),
        (),
        (),
    )


def test_fresher_stories_rank_first() -> None:
    items = pick_stories(
        [_candidate(1, "Wire", hours_ago=20), _candidate(2, "Gazette", hours_ago=1)],
        limit=5,
        now=NOW,
    )
    assert [item.title for item in items] == ["Story 2", "Story 1"]


def test_one_busy_source_does_not_fill_the_digest() -> None:
    # The wire's three stories are each a little fresher than the courier's one, yet the
    # courier's story makes the top two.
    candidates = [_candidate(n, "Wire", hours_ago=1 + n / 10) for n in range(1, 4)]
    candidates.append(_candidate(9, "Courier", hours_ago=2))
    items = pick_stories(candidates, limit=2, now=NOW)
    assert [item.source for item in items] == ["Wire", "Courier"]
    # Without the limit all four appear, the courier's second.
    assert [item.title for item in pick_stories(candidates, limit=4, now=NOW)][:2] == [
        "Story 1",
        "Story 9",
    ]


async def test_the_autumn_night_brings_one_digest_not_two(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    # Berlin leaves summer time on 25 October 2026: 02:30 local happens at 00:30 and 01:30 UTC.
    first_0230 = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    wire, *_ = await _feeds(sessionmaker)
    async with sessionmaker() as session, session.begin():
        await _chat(session, 1, [wire])
        chat = await session.get(Chat, 1)
        assert chat is not None
        chat.digest_schedule, chat.next_digest_at = "daily 02:30", first_0230
    sent = await queue_due_digests(
        sessionmaker, now=first_0230, options=DigestOptions(send_empty=True)
    )
    again = await queue_due_digests(
        sessionmaker, now=first_0230 + timedelta(hours=1), options=DigestOptions(send_empty=True)
    )
    assert (sent.chats, again.chats) == (1, 0)
    async with sessionmaker() as session:
        chat = await session.get(Chat, 1)
    assert chat is not None and chat.next_digest_at == datetime(2026, 10, 26, 1, 30, tzinfo=UTC)


async def test_a_weekly_digest_covers_its_week_beyond_the_usual_window(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    wire, *_ = await _feeds(sessionmaker)
    async with sessionmaker() as session, session.begin():
        await _article(session, 1, [wire], story="a", hours_ago=5 * 24, title="Monday's story")
        await _article(session, 2, [wire], story="b", hours_ago=9 * 24, title="Old story")
        # NOW is Sunday 08:00 in Berlin.
        await _chat(session, 1, [wire], digest_schedule="weekly sun 08:00")
        await _chat(session, 2, [wire])
    await queue_due_digests(sessionmaker, now=NOW, options=DigestOptions(send_empty=True))
    weekly, daily = (await _digests(sessionmaker))[1], (await _digests(sessionmaker))[2]
    assert "Monday" in weekly[0] and "Old story" not in weekly[0]
    # The daily chat keeps the 48-hour window.
    assert "Monday" not in daily[0]
    async with sessionmaker() as session:
        chat = await session.get(Chat, 1)
    assert chat is not None and chat.next_digest_at == NOW + timedelta(days=7)


async def test_each_chat_reads_its_digest_in_its_language(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    wire, gazette, courier = await _feeds(sessionmaker)
    async with sessionmaker() as session, session.begin():
        await _article(session, 1, [wire, gazette], story="storm", hours_ago=1, title="Storm")
        await _article(session, 2, [courier], story="ferry", hours_ago=1, title="Ferry")
        await _chat(session, 1, [wire, gazette, courier], language="de")
        await _chat(session, 2, [wire, gazette, courier], language="en")
        await _chat(session, 3, [wire, gazette, courier], language="th")  # no catalog: English
        await _chat(session, 4, [], language="de-at")
        await _chat(session, 5, [wire, gazette, courier], language="en-GB")
    report = await queue_due_digests(sessionmaker, now=NOW, options=DigestOptions(send_empty=True))
    # Same feeds, same settings: the items are rendered once per reader language, not per chat
    # (en and en-GB share theirs; Thai readers get English text, but their own "in …" notes).
    assert report.compositions == 4
    digests = await _digests(sessionmaker)
    [german] = digests[1]
    assert german.startswith("📰 <b>Dein Digest</b> — ")
    assert "2 Meldungen aus 3 Quellen" in german and "· auch bei Gazette" in german
    for chat_id in (2, 3, 5):
        [english] = digests[chat_id]
        assert "2 stories from 3 sources" in english and "· also reported by Gazette" in english
    [empty] = digests[4]
    assert empty.endswith("\nNichts Neues aus deinen Quellen.")


async def _payloads(sessionmaker: async_sessionmaker[AsyncSession], chat_id: int) -> list[dict]:
    async with sessionmaker() as session:
        rows = await session.scalars(
            select(Delivery).where(Delivery.chat_id == chat_id).order_by(Delivery.item_key)
        )
        return [dict(row.payload) for row in rows]


async def test_each_message_of_a_split_digest_numbers_its_own_items(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    wire, *_ = await _feeds(sessionmaker)
    async with sessionmaker() as session, session.begin():
        for n in range(30):
            await _article(
                session, n, [wire], story=f"s{n}", hours_ago=1, title="Ω" * 150 + f" {n}"
            )
        await _chat(session, 1, [wire], items_per_digest=30, summary_sentences=3)
    await queue_due_digests(sessionmaker, now=NOW)
    payloads = await _payloads(sessionmaker, 1)
    assert len(payloads) > 1
    numbers = []
    for payload in payloads:
        shown = [story["n"] for story in payload["stories"]]
        # The buttons are the numbers the message's own text shows, in order.
        assert all(f"<b>{n}.</b>" in payload["text"] for n in shown)
        labels = [b["text"] for row in payload["reply_markup"]["inline_keyboard"] for b in row]
        assert labels == [str(n) for n in shown]
        numbers += shown
    assert numbers == list(range(1, 31))


async def test_a_channels_digest_has_no_story_buttons_and_muted_feeds_stay_out(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    wire, gazette, _ = await _feeds(sessionmaker)
    async with sessionmaker() as session, session.begin():
        await _article(session, 1, [wire], story="a", hours_ago=1, title="Wire story")
        await _article(session, 2, [gazette], story="b", hours_ago=1, title="Gazette story")
        await _chat(session, -1001, [wire, gazette], type="channel")
        await _chat(session, 2, [wire, gazette])
        subscription = await session.get(Subscription, (2, gazette))
        assert subscription is not None
        subscription.muted_at = NOW
    await queue_due_digests(sessionmaker, now=NOW)
    [channel] = await _payloads(sessionmaker, -1001)
    assert "stories" not in channel and "reply_markup" not in channel
    [reader] = await _payloads(sessionmaker, 2)
    assert "Wire story" in reader["text"] and "Gazette story" not in reader["text"]
    assert [story["feed"] for story in reader["stories"]] == [wire]
