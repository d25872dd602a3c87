"""Alert matching end to end on the database: who gets an alert, once, and when."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.alerts import AlertMatcher
from jobs.ingest import NewArticle
from jobs.notices import queue_feed_broken_notices
from store.models import (
    AlertRule,
    Article,
    Chat,
    Delivery,
    DeliveryKind,
    Feed,
    FeedEntry,
    Subscription,
    Summary,
)

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)  # 13:00 in Berlin, 21:00 in Tokyo


async def _world(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with sessionmaker() as session, session.begin():
        wire, gazette = (
            Feed(url="https://wire.example/feed", title="Energy Wire"),
            Feed(url="https://gazette.example/feed"),
        )
        session.add_all([wire, gazette])
        session.add_all(
            [
                Chat(id=1, timezone="Europe/Berlin"),
                Chat(id=2, timezone="Asia/Tokyo", quiet_hours="20:00-07:00"),
                Chat(id=3),  # subscribed to the gazette only
                Chat(id=4, active=False),
            ]
        )
        await session.flush()
        session.add_all(
            [
                Subscription(chat_id=1, feed_id=wire.id),
                Subscription(chat_id=2, feed_id=wire.id),
                Subscription(chat_id=3, feed_id=gazette.id),
                Subscription(chat_id=4, feed_id=wire.id),
                AlertRule(chat_id=1, query="wind farm"),
                AlertRule(chat_id=1, query='"offshore wind" OR turbines'),
                AlertRule(chat_id=2, query="wind -opinion"),
                AlertRule(chat_id=3, query="wind"),
                AlertRule(chat_id=4, query="wind"),
            ]
        )
        return {"wire": wire.id, "gazette": gazette.id}


async def _article(
    sessionmaker: async_sessionmaker[AsyncSession],
    feed_id: int,
    n: int,
    title: str,
    text: str,
    story: str,
) -> NewArticle:
    async with sessionmaker() as session, session.begin():
        article = Article(
            canonical_url=f"https://wire.example/{n}",
            feed_id=feed_id,
            title=title,
            text=text,
            story_key=story,
        )
        session.add(article)
        await session.flush()
        session.add(FeedEntry(feed_id=feed_id, guid=str(n), article_id=article.id))
        session.add(
            Summary(
                article_id=article.id,
                sentences=["Turbines stood still <all> night."],
                method="news",
                summarizer_version="t",
            )
        )
    return NewArticle(article.id, feed_id, title, text, article.canonical_url, story)


async def _alerts(sessionmaker: async_sessionmaker[AsyncSession]) -> list[Delivery]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(Delivery).order_by(Delivery.chat_id, Delivery.id)))


async def test_one_alert_per_matching_subscribed_chat(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    feeds = await _world(sessionmaker)
    woken: list[bool] = []
    matcher = AlertMatcher(sessionmaker, on_enqueued=lambda: woken.append(True))
    article = await _article(
        sessionmaker,
        feeds["wire"],
        1,
        "Storm cuts cable to offshore wind farm",
        "The 64 turbines stood still.",
        "s1",
    )
    assert await matcher.handle_new_articles([article], now=NOW) == 2
    alerts = await _alerts(sessionmaker)
    assert [(a.chat_id, a.kind) for a in alerts] == [
        (1, DeliveryKind.ALERT),
        (2, DeliveryKind.ALERT),
    ]
    chat1 = alerts[0].payload["text"]
    # Both of chat 1's rules are named in its one alert; outside text is escaped.
    assert "wind farm" in chat1 and "offshore wind" in chat1 and "&lt;all&gt;" in chat1
    assert woken == [True]
    # Chat 1 is in daytime; chat 2 (Tokyo, 21:00) is held until its quiet hours end at 07:00.
    assert alerts[0].next_attempt_at == NOW
    assert alerts[1].next_attempt_at == datetime(2026, 11, 29, 22, 0, tzinfo=UTC)


async def test_same_story_from_another_outlet_does_not_alert_again(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    feeds = await _world(sessionmaker)
    async with sessionmaker() as session, session.begin():
        session.add(Subscription(chat_id=1, feed_id=feeds["gazette"]))  # chat 1 reads both
    matcher = AlertMatcher(sessionmaker)
    first = await _article(sessionmaker, feeds["wire"], 1, "Wind farm cut off", "Storm.", "s1")
    copy = await _article(
        sessionmaker, feeds["gazette"], 2, "North Bank wind farm loses cable", "Storm.", "s1"
    )
    assert await matcher.handle_new_articles([first], now=NOW) == 2
    # The gazette's copy: chat 1 had the wire's alert; chat 3 reads only the gazette.
    assert await matcher.handle_new_articles([copy], now=NOW) == 1
    assert [a.chat_id for a in await _alerts(sessionmaker)] == [1, 2, 3]


async def test_exclusions_and_rule_changes_are_seen(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    feeds = await _world(sessionmaker)
    matcher = AlertMatcher(sessionmaker)
    opinion = await _article(
        sessionmaker, feeds["wire"], 1, "Opinion: wind power is underrated", "Turbines.", "s1"
    )
    await matcher.handle_new_articles([opinion], now=NOW)
    assert [a.chat_id for a in await _alerts(sessionmaker)] == [1]
    async with sessionmaker() as session, session.begin():
        session.add(AlertRule(chat_id=2, query="power"))
    later = await _article(sessionmaker, feeds["wire"], 2, "Power cut", "Grid.", "s2")
    await matcher.handle_new_articles([later], now=NOW)
    assert [a.chat_id for a in await _alerts(sessionmaker)] == [1, 2]


async def test_an_alert_names_the_storys_language_when_it_is_not_the_readers(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    feeds = await _world(sessionmaker)
    async with sessionmaker() as session, session.begin():
        (await session.get_one(Chat, 1)).language = "en"
        (await session.get_one(Chat, 2)).language = "de"
    matcher = AlertMatcher(sessionmaker)
    german = await _article(
        sessionmaker, feeds["wire"], 1, "Wind farm Nordsee vom Netz", "Wind.", "s1"
    )
    async with sessionmaker() as session, session.begin():
        (await session.get_one(Article, german.article_id)).language = "de"
    await matcher.handle_new_articles([german], now=NOW)
    english_reader, german_reader = (a.payload["text"] for a in await _alerts(sessionmaker))
    assert "<i>Energy Wire</i> · in German\n" in english_reader
    assert "· in" not in german_reader  # the reader's own language goes unsaid


async def test_broken_feed_is_announced_once(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    feeds = await _world(sessionmaker)
    async with sessionmaker() as session, session.begin():
        feed = await session.get(Feed, feeds["wire"])
        assert feed is not None
        feed.broken_at = NOW
    assert await queue_feed_broken_notices(sessionmaker, feeds["wire"], "HTTP 500", now=NOW) == 2
    assert await queue_feed_broken_notices(sessionmaker, feeds["wire"], "HTTP 500", now=NOW) == 0
    notices = [d for d in await _alerts(sessionmaker) if d.kind == DeliveryKind.NOTICE]
    assert sorted(n.chat_id for n in notices) == [1, 2]
    assert "Energy Wire" in notices[0].payload["text"]


async def test_a_broken_feed_notice_is_worded_for_each_subscriber(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    feeds = await _world(sessionmaker)
    async with sessionmaker() as session, session.begin():
        feed = await session.get(Feed, feeds["wire"])
        chat = await session.get(Chat, 1)
        assert feed is not None and chat is not None
        feed.broken_at = NOW
        chat.language = "de"
    error = "timed out: wire.example took longer than 30 s in total"
    assert await queue_feed_broken_notices(sessionmaker, feeds["wire"], error, now=NOW) == 2
    texts = {
        d.chat_id: d.payload["text"]
        for d in await _alerts(sessionmaker)
        if d.kind == DeliveryKind.NOTICE
    }
    assert texts[1] == (
        "⚠️ Die Quelle <b>Energy Wire</b> funktioniert nicht mehr: die Website hat zu lange "
        "nicht geantwortet.\nIch versuche es ab und zu erneut; mit /mysources kannst du sie "
        "entfernen."
    )
    # English readers keep the detailed reason, as before the catalogs.
    assert texts[2].startswith(f"⚠️ The source <b>Energy Wire</b> has stopped working: {error}.")
