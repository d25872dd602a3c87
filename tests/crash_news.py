"""The world of the crash tests: a feed of 60 teasers, a broken feed, readers with alert rules, and counts.

Used by tests/jobs/test_ingest_crash.py and tests/benchmarks/bench_ingest_crash.py: both kill
`newsdigest ingest` and then count here, from the database alone, what a reader would miss
(lost) or get twice (doubled).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from store import feeds as feed_store
from store import migrate
from store.database import create_engine, create_sessionmaker
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
    utcnow,
)
from tests.feedserver import FeedServer, Route, bench_article

ENTRIES = 60
NEWS_PATH = "/crash/news.xml"
BROKEN_PATH = "/status/500"
# Chats and their alert rules; every chat reads the news feed, 1001 and 1003 the broken one too.
RULES: dict[int, tuple[str, ...]] = {
    1001: ("lighthouse",),
    1002: ("glacier",),
    1003: ("lighthouse", "glacier"),
    1004: (),
}
BROKEN_FEED_READERS = (1001, 1003)


def topics(entry: int) -> list[str]:
    """The alert words in an entry's title: every 4th and every 5th entry, so rules match a subset."""
    return [word for word, every in (("lighthouse", 4), ("glacier", 5)) if entry % every == 0]


def title(entry: int) -> str:
    return f"Coast report {entry}: " + (" and ".join(topics(entry)) or "harbour") + " news"


def news_feed(base_url: str) -> bytes:
    """Teasers (so each article page is fetched), each a story of its own."""
    items = "".join(
        f"<item><title>{title(j)}</title><link>{base_url}/crash/article/{j}.html</link>"
        f"<guid isPermaLink='false'>crash-{j}</guid>"
        f"<pubDate>Thu, 03 Dec 2026 05:{j:02d}:00 GMT</pubDate>"
        f"<description>{title(j)}, read on…</description></item>"
        for j in range(ENTRIES)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Coast news</title><link>{base_url}/</link><description>Crash test</description>"
        f"{items}</channel></rss>"
    ).encode()


def expected_alerts() -> set[tuple[int, str]]:
    """(chat, article title) of every alert owed: one per chat and matching article."""
    return {
        (chat_id, title(j))
        for j in range(ENTRIES)
        for chat_id, rules in RULES.items()
        if set(rules) & set(topics(j))
    }


def environment(database_url: str, folder: Path, **extra: str) -> dict[str, str]:
    """What a `newsdigest` run needs: this database, feeds on 127.0.0.1 allowed."""
    return {
        "NEWSDIGEST_DATABASE_URL": database_url,
        "NEWSDIGEST_DATA_DIR": str(folder),
        "NEWSDIGEST_FETCH_ALLOW": "127.0.0.1",
        # The broken feed is broken at its first failure, so a run can crash as it is announced.
        "NEWSDIGEST_FEED_FAILURE_THRESHOLD": "1",
        "HOME": str(folder),
        "PATH": "/usr/bin:/bin",
        **extra,
    }


async def migrated(database_url: str) -> AsyncEngine:
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    return engine


async def set_up(database_url: str, server: FeedServer) -> None:
    """The news feed past its backlog (its new entries are alerted), the broken feed, the chats."""
    server.route(NEWS_PATH, Route(news_feed(server.base_url)))
    for j in range(ENTRIES):
        # Two paragraphs: distinct stories, cheap enough to extract and summarize 60 times.
        page = bench_article(91, j, distinct=True, distinct_paragraphs=2)
        server.route(f"/crash/article/{j}.html", Route(page, "text/html; charset=utf-8"))
    engine = await migrated(database_url)
    now = utcnow()
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            news, _ = await feed_store.add_feed(
                session, server.url(NEWS_PATH), now=now, interval_seconds=900
            )
            broken, _ = await feed_store.add_feed(
                session, server.url(BROKEN_PATH), now=now, interval_seconds=900
            )
            news.backlog_done_at = now - timedelta(days=1)
            for chat_id, rules in RULES.items():
                session.add(Chat(id=chat_id))
                session.add(Subscription(chat_id=chat_id, feed_id=news.id))
                session.add_all(AlertRule(chat_id=chat_id, query=rule) for rule in rules)
            session.add_all(Subscription(chat_id=c, feed_id=broken.id) for c in BROKEN_FEED_READERS)
    finally:
        await engine.dispose()


@dataclass(frozen=True, slots=True)
class Count:
    """How many of one kind are there, and of those owed once, how many are missing or extra."""

    total: int
    lost: int
    doubled: int

    @classmethod
    def of(cls, seen: Counter[tuple[int, str]], owed: set[tuple[int, str]]) -> Count:
        return cls(
            sum(seen.values()),
            len(owed - set(seen)),
            sum(n - 1 for n in seen.values() if n > 1),
        )


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the database holds after a run: the crash tests' whole verdict."""

    articles: Count
    summaries: int
    stories: int
    alerts: Count
    unexpected_alerts: tuple[tuple[int, str], ...]
    notices: Count
    notices_owed: int  # feeds marked broken whose notices were never queued
    still_pending: int  # entries still owed to alert matching

    @property
    def clean(self) -> bool:
        return (
            self.articles.lost == self.articles.doubled == 0
            and self.alerts.lost == self.alerts.doubled == 0
            and not self.unexpected_alerts
            and self.notices.lost == self.notices.doubled == 0
        )


async def count_outcome(database_url: str) -> Outcome:
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            titles = Counter(await session.scalars(select(Article.title)))
            summaries = await session.scalar(select(func.count()).select_from(Summary)) or 0
            story_of = dict((await session.execute(select(Article.story_key, Article.title))).all())
            rows = (
                await session.execute(
                    select(Delivery.chat_id, Delivery.kind, Delivery.item_key).where(
                        Delivery.kind.in_([DeliveryKind.ALERT, DeliveryKind.NOTICE])
                    )
                )
            ).all()
            pending = await session.scalar(
                select(func.count()).select_from(FeedEntry).where(FeedEntry.alerts_pending)
            )
            owed = await session.scalar(
                select(func.count())
                .select_from(Feed)
                .where(Feed.broken_at.is_not(None), Feed.broken_notified_at.is_(None))
            )
    finally:
        await engine.dispose()
    # An alert's key names its story; each article here is a story of its own.
    alerts = Counter(
        (chat_id, story_of.get(key.removeprefix("story:"), key))
        for chat_id, kind, key in rows
        if kind == DeliveryKind.ALERT
    )
    notices = Counter(
        (chat_id, "notice") for chat_id, kind, _ in rows if kind == DeliveryKind.NOTICE
    )
    return Outcome(
        articles=Count.of(
            Counter({(0, t): n for t, n in titles.items()}), {(0, title(j)) for j in range(ENTRIES)}
        ),
        summaries=summaries,
        stories=len(story_of),
        alerts=Count.of(alerts, expected_alerts()),
        unexpected_alerts=tuple(sorted(set(alerts) - expected_alerts())),
        notices=Count.of(notices, {(chat_id, "notice") for chat_id in BROKEN_FEED_READERS}),
        notices_owed=owed or 0,
        still_pending=pending or 0,
    )
