"""Following a story on the database: one update per story and window, folded news, quiet end."""

from __future__ import annotations

import asyncio
import gettext
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.alerts import retime_held_alerts
from jobs.follows import FollowOptions, FollowRefused, follow_article, send_story_updates
from jobs.pause import pause_chat, resume_chat
from jobs.story_news import render_update, snapshot, story_news
from store import deliveries
from store.follows import StoryCopy, was_offered
from store.models import (
    Article,
    Chat,
    Delivery,
    DeliveryKind,
    Feed,
    FeedEntry,
    StoryFollow,
    Subscription,
    Summary,
)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
STORY = "s-plant"
OPTIONS = FollowOptions(update_every=timedelta(hours=6), quiet_after=timedelta(days=7))
TR = gettext.NullTranslations()


def _figure(
    text: str, value: float, about: str = "jobs", kind: str = "count", unit: str | None = None
) -> dict[str, Any]:
    return {"text": text, "value": value, "unit": unit, "kind": kind, "about": about}


def _copy(feed_id: int, source: str, figures: list[dict[str, Any]], names: list[str]) -> StoryCopy:
    return StoryCopy(
        feed_id,
        feed_id,
        source,
        "Plant to cut jobs",
        f"https://news.example/{feed_id}",
        NOW,
        tuple(figures),
        tuple({"text": name, "kind": "person"} for name in names),
    )


def test_what_is_new_against_what_the_reader_knows() -> None:
    first = _copy(1, "Courier", [_figure("1,200", 1200)], ["Maria Lopez"])
    known = snapshot([first])
    assert not story_news(known, [first])
    later = _copy(
        2,
        "Gazette",
        [_figure("1,800", 1800), _figure("$5 million", 5e6, "fine", "money", "USD")],
        ["maria lopez", "Unite"],
    )
    news = story_news(known, [first, later])
    assert news.outlets == ["Gazette"]
    assert [(f.shown, f.was) for f in news.figures] == [
        ("1,800 jobs", "1,200"),
        ("$5 million (fine)", None),
    ]
    assert news.names == ["Unite"]  # a name in other case is known
    text = render_update("Plant to cut jobs", "https://news.example/2", news, TR)
    assert "1 new outlet: Gazette" in text
    assert "New figure: 1,800 jobs, was 1,200" in text
    assert "New name: Unite" in text


def test_a_figure_back_at_what_the_reader_knows_is_no_news() -> None:
    first = _copy(1, "Courier", [_figure("1,200", 1200)], [])
    known = snapshot([first])
    up = _copy(1, "Courier", [_figure("1,500", 1500)], [])
    down = _copy(1, "Courier", [_figure("1,200", 1200)], [])
    assert not story_news(known, [first, up, down])
    again = _copy(1, "Courier", [_figure("1,900", 1900)], [])
    news = story_news(known, [first, up, again])
    assert [(f.shown, f.was) for f in news.figures] == [("1,900 jobs", "1,200")]
    # Bare numbers (nothing said of what they measure) are new, never a change of another.
    bare = _copy(1, "Courier", [_figure("12", 12, about="")], [])
    other = _copy(1, "Courier", [_figure("30", 30, about="")], [])
    news = story_news(snapshot([bare]), [bare, other])
    assert [(f.shown, f.was) for f in news.figures] == [("30", None)]


async def _world(sessionmaker: async_sessionmaker[AsyncSession]) -> tuple[list[int], int]:
    """Three outlets and chat 1; the story's first copy from the first outlet."""
    async with sessionmaker() as session, session.begin():
        feeds = [
            Feed(url=f"https://{name}.example/feed", title=name)
            for name in ("Courier", "Gazette", "Wire")
        ]
        session.add_all(feeds)
        session.add(Chat(id=1, timezone="Europe/Berlin"))
        await session.flush()
    article = await _add_copy(sessionmaker, feeds[0].id, 1, "1,200", 1200, ["Maria Lopez"], NOW)
    return [feed.id for feed in feeds], article


async def _add_copy(
    sessionmaker: async_sessionmaker[AsyncSession],
    feed_id: int,
    n: int,
    figure: str,
    value: float,
    names: list[str],
    at: datetime,
) -> int:
    async with sessionmaker() as session, session.begin():
        article = Article(
            canonical_url=f"https://news.example/{n}",
            feed_id=feed_id,
            title=f"Plant to cut {figure} jobs",
            text="…",
            story_key=STORY,
            fetched_at=at,
        )
        session.add(article)
        await session.flush()
        session.add(FeedEntry(feed_id=feed_id, guid=str(n), article_id=article.id, seen_at=at))
        session.add(
            Summary(
                article_id=article.id,
                figures=[_figure(figure, value)],
                entities=[{"text": name, "kind": "person", "mentions": 1} for name in names],
                method="news",
                summarizer_version="test",
            )
        )
        return article.id


async def _follow(
    sessionmaker: async_sessionmaker[AsyncSession], article_id: int, at: datetime
) -> int:
    async with sessionmaker() as session, session.begin():
        article = await session.get(Article, article_id)
        assert article is not None
        followed = await follow_article(session, 1, article, now=at, per_chat=20)
        return followed.follow.id


async def _updates(sessionmaker: async_sessionmaker[AsyncSession]) -> list[Delivery]:
    async with sessionmaker() as session:
        return list(
            await session.scalars(
                select(Delivery).where(Delivery.kind == DeliveryKind.UPDATE).order_by(Delivery.id)
            )
        )


async def test_one_update_per_window_and_what_comes_inside_it_folds_into_the_next(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    feeds, first = await _world(sessionmaker)
    await _follow(sessionmaker, first, NOW)
    assert (await send_story_updates(sessionmaker, now=NOW, options=OPTIONS)).updates == 0

    await _add_copy(
        sessionmaker, feeds[1], 2, "1,800", 1800, ["Maria Lopez"], NOW + timedelta(minutes=5)
    )
    report = await send_story_updates(sessionmaker, now=NOW + timedelta(minutes=6), options=OPTIONS)
    assert report.updates == 1
    # A re-run (or a second worker) finds the news told.
    await send_story_updates(sessionmaker, now=NOW + timedelta(minutes=7), options=OPTIONS)
    [update] = await _updates(sessionmaker)
    assert "1 new outlet: Gazette" in update.payload["text"]
    assert "New figure: 1,800 jobs, was 1,200" in update.payload["text"]
    assert update.payload["reply_markup"]["inline_keyboard"][0][0]["callback_data"].startswith(
        "fu:"
    )

    # Two arrivals inside the window: nothing until it ends, then one update with both.
    await _add_copy(sessionmaker, feeds[2], 3, "1,800", 1800, ["Ken Ito"], NOW + timedelta(hours=1))
    await _add_copy(sessionmaker, feeds[1], 4, "2,000", 2000, [], NOW + timedelta(hours=2))
    waiting = await send_story_updates(sessionmaker, now=NOW + timedelta(hours=3), options=OPTIONS)
    assert (waiting.updates, waiting.waiting) == (0, 1)
    assert len(await _updates(sessionmaker)) == 1
    later = await send_story_updates(
        sessionmaker, now=NOW + timedelta(hours=6, minutes=6), options=OPTIONS
    )
    assert later.updates == 1
    second = (await _updates(sessionmaker))[-1].payload["text"]
    assert "1 new outlet: Wire" in second
    assert "New figure: 2,000 jobs, was 1,800" in second
    assert "New name: Ken Ito" in second
    assert "Gazette" not in second  # told already


async def test_a_muted_source_tells_a_follower_nothing(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    feeds, first = await _world(sessionmaker)
    async with sessionmaker() as session, session.begin():
        session.add_all(
            [
                Subscription(chat_id=1, feed_id=feeds[0]),
                Subscription(chat_id=1, feed_id=feeds[1], muted_at=NOW),  # 🔇 Gazette
                Subscription(chat_id=1, feed_id=feeds[2]),
            ]
        )
    await _follow(sessionmaker, first, NOW)
    at = NOW + timedelta(minutes=5)
    await _add_copy(sessionmaker, feeds[1], 2, "1,800", 1800, ["Ken Ito"], at)
    quiet = await send_story_updates(sessionmaker, now=NOW + timedelta(hours=1), options=OPTIONS)
    assert quiet.updates == 0 and await _updates(sessionmaker) == []
    await _add_copy(sessionmaker, feeds[2], 3, "1,900", 1900, [], NOW + timedelta(hours=2))
    told = await send_story_updates(sessionmaker, now=NOW + timedelta(hours=3), options=OPTIONS)
    assert told.updates == 1
    [update] = await _updates(sessionmaker)
    text = update.payload["text"]
    assert "1 new outlet: Wire" in text and "New figure: 1,900 jobs, was 1,200" in text
    assert "Gazette" not in text and "Ken Ito" not in text
    assert update.payload["source"] == "Wire"


async def test_a_paused_chat_gets_the_news_once_it_resumes_and_quiet_hours_hold_it(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    feeds, first = await _world(sessionmaker)
    await _follow(sessionmaker, first, NOW)
    async with sessionmaker() as session, session.begin():
        await pause_chat(session, 1, now=NOW, duration=None)
        chat = await session.get(Chat, 1)
        assert chat is not None
        chat.quiet_hours = "22:00-07:00"
    await _add_copy(sessionmaker, feeds[1], 2, "1,800", 1800, [], NOW + timedelta(minutes=5))
    paused = await send_story_updates(sessionmaker, now=NOW + timedelta(hours=7), options=OPTIONS)
    assert (paused.updates, paused.waiting) == (0, 1)
    async with sessionmaker() as session, session.begin():
        await resume_chat(session, 1, now=NOW + timedelta(hours=13))
    # 22:00 in Berlin: inside quiet hours, so the update waits for 07:00.
    at = NOW + timedelta(hours=13)
    assert (await send_story_updates(sessionmaker, now=at, options=OPTIONS)).updates == 1
    [update] = await _updates(sessionmaker)
    assert update.next_attempt_at == datetime(2026, 12, 2, 6, 0, tzinfo=UTC)
    # Quiet hours switched off: it waits no more, as alerts do.
    async with sessionmaker() as session, session.begin():
        moved = await retime_held_alerts(
            session, 1, quiet_hours=None, timezone="Europe/Berlin", now=at
        )
    assert moved == 1
    [update] = await _updates(sessionmaker)
    assert update.next_attempt_at == at


async def test_a_quiet_week_ends_the_follow_with_one_notice(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    _, first = await _world(sessionmaker)
    follow_id = await _follow(sessionmaker, first, NOW)
    almost = await send_story_updates(
        sessionmaker, now=NOW + timedelta(days=6, hours=23), options=OPTIONS
    )
    assert almost.ended == 0
    for hours in (0, 1):
        await send_story_updates(
            sessionmaker, now=NOW + timedelta(days=7, hours=hours), options=OPTIONS
        )
    async with sessionmaker() as session:
        follow = await session.get(StoryFollow, follow_id)
        notices = list(
            await session.scalars(select(Delivery).where(Delivery.kind == DeliveryKind.NOTICE))
        )
    assert follow is not None and follow.ended_reason == "quiet"
    [notice] = notices
    assert (
        "Stopped following “Plant to cut 1,200 jobs” — quiet for a week" in notice.payload["text"]
    )


async def test_following_again_restarts_and_the_cap_refuses_clearly(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    feeds, first = await _world(sessionmaker)
    follow_id = await _follow(sessionmaker, first, NOW)
    assert await _follow(sessionmaker, first, NOW) == follow_id  # already followed
    other = await _add_copy(sessionmaker, feeds[1], 9, "7", 7, [], NOW)
    async with sessionmaker() as session, session.begin():
        article = await session.get(Article, other)
        assert article is not None
        article.story_key = "s-other"
    async with sessionmaker() as session, session.begin():
        article = await session.get(Article, other)
        assert article is not None
        with pytest.raises(FollowRefused, match="You follow 1 story, the most I keep"):
            await follow_article(session, 1, article, now=NOW, per_chat=1)


async def test_a_double_tap_follows_once(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Two taps on 🔔 Follow handled at once (the bot handles updates concurrently): one
    follow, the other tap told it is followed already, and no unique-key error."""
    _, first = await _world(sessionmaker)
    async with sessionmaker() as session:
        article = await session.get(Article, first)
    assert article is not None

    async def tap() -> bool:
        async with sessionmaker() as session, session.begin():
            followed = await follow_article(session, 1, article, now=NOW, per_chat=20)
            return followed.started

    assert sorted(await asyncio.gather(tap(), tap())) == [False, True]
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(StoryFollow)) == 1


async def test_a_group_that_became_a_supergroup_keeps_its_follows(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    _, first = await _world(sessionmaker)
    follow_id = await _follow(sessionmaker, first, NOW)
    async with sessionmaker() as session, session.begin():
        session.add(Chat(id=-100, type="supergroup"))  # someone used the supergroup first
        await session.flush()
        await deliveries.migrate_chat(session, 1, -100)
    async with sessionmaker() as session:
        follow = await session.get(StoryFollow, follow_id)
    assert follow is not None and follow.chat_id == -100


async def test_a_follow_button_may_name_what_the_chat_was_sent_and_nothing_else(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    feeds, first = await _world(sessionmaker)
    alerted = await _add_copy(sessionmaker, feeds[1], 2, "5", 5, [], NOW)
    in_old_digest = await _add_copy(sessionmaker, feeds[1], 3, "6", 6, [], NOW)
    in_latest = await _add_copy(sessionmaker, feeds[1], 4, "7", 7, [], NOW)
    never = await _add_copy(sessionmaker, feeds[2], 5, "8", 8, [], NOW)
    async with sessionmaker() as session, session.begin():
        for article_id, key in (
            (alerted, "a"),
            (in_old_digest, "b"),
            (in_latest, "c"),
            (never, "d"),
        ):
            article = await session.get(Article, article_id)
            assert article is not None
            article.story_key = f"s-{key}"
        await deliveries.enqueue(session, chat_id=1, kind=DeliveryKind.ALERT, item_key="story:s-a",
                                 payload={"text": "alert"}, now=NOW)  # fmt: skip
        for part, articles in enumerate(([in_old_digest, first], [first])):
            await deliveries.enqueue(session, chat_id=1, kind=DeliveryKind.DIGEST,
                                     item_key=f"digest:{part}", now=NOW + timedelta(hours=part),
                                     payload={"text": "digest", "articles": articles})  # fmt: skip
        chat = await session.get(Chat, 1)
        assert chat is not None
        chat.last_digest_articles = [in_latest]
    async with sessionmaker() as session:
        articles = await session.scalars(select(Article).order_by(Article.id))
        offered = {article.id for article in articles if await was_offered(session, 1, article)}
    assert offered == {first, alerted, in_old_digest, in_latest}
    assert never not in offered
