"""Ingestion end to end: a real HTTP server, a real database, the real summarizer."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.digests import DESCRIPTION_CHARS, compose_for_chat
from jobs.fetch import FetchPolicy, SafeFetcher
from jobs.ingest import IngestOptions, Ingestor, NewArticle
from jobs.notices import queue_feed_broken_notices
from jobs.summarizing import SummarizerPool
from store import alerting
from store import feeds as feed_store
from store.models import (
    Article,
    Chat,
    Delivery,
    DeliveryKind,
    Feed,
    FeedEntry,
    Subscription,
    Summary,
)
from tests.feedserver import FeedServer, Route, loopback_only

T0 = datetime(2026, 11, 29, 6, 0, tzinfo=UTC)
INTERVAL = 900


@pytest.fixture(scope="module")
def summarizer() -> AsyncIterator[SummarizerPool]:
    pool = SummarizerPool(workers=1)
    yield pool  # type: ignore[misc]
    pool.close()


class Harness:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        fetcher: SafeFetcher,
        summarizer: SummarizerPool,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.handed_to_alerts: list[NewArticle] = []
        self.broken: list[tuple[int, str]] = []
        self.ingestor = Ingestor(
            sessionmaker,
            fetcher,
            summarizer,
            IngestOptions(failure_threshold=3),
            on_new_articles=self._alerts,
            on_feed_broken=self._broken,
            rng=random.Random(7),
        )

    async def _alerts(self, articles: list[NewArticle]) -> None:  # type: ignore[override]
        # As the real matcher does: an article handed over is no longer owed to matching.
        async with self.sessionmaker() as session, session.begin():
            await alerting.clear_pending(session, [(a.feed_id, a.article_id) for a in articles])
        self.handed_to_alerts.extend(articles)

    async def _broken(self, feed_id: int, message: str) -> None:
        # As the bot's handler does: notices are queued and the feed marked as announced.
        await queue_feed_broken_notices(self.sessionmaker, feed_id, message, now=T0)
        self.broken.append((feed_id, message))

    async def add(self, url: str) -> int:
        async with self.sessionmaker() as session, session.begin():
            feed, _ = await feed_store.add_feed(session, url, now=T0, interval_seconds=INTERVAL)
        return feed.id

    async def articles(self) -> list[Article]:
        async with self.sessionmaker() as session:
            return list(await session.scalars(select(Article).order_by(Article.id)))

    async def feed(self, feed_id: int) -> Feed:
        async with self.sessionmaker() as session:
            feed = await session.get(Feed, feed_id)
        assert feed is not None
        return feed


@pytest.fixture
async def harness(
    sessionmaker: async_sessionmaker[AsyncSession], summarizer: SummarizerPool
) -> AsyncIterator[Harness]:
    policy = FetchPolicy(allow=("127.0.0.1",), total_timeout=10.0, read_timeout=5.0)
    async with SafeFetcher(policy, resolver=loopback_only) as fetcher:
        yield Harness(sessionmaker, fetcher, summarizer)


@pytest.fixture
def server() -> AsyncIterator[FeedServer]:
    with FeedServer() as feed_server:
        yield feed_server  # type: ignore[misc]


async def test_teasers_get_full_text_clean_urls_and_summaries(
    harness: Harness, server: FeedServer
) -> None:
    await harness.add(server.url("/teaser.xml"))
    report = await harness.ingestor.run_tick(now=T0)
    assert (report.feeds, report.new, report.errors) == (1, 2, 0)
    wind, wine = await harness.articles()
    # The teaser was replaced by the page's story, and tracking parameters are gone.
    assert "utm_" not in wind.canonical_url and "fbclid" not in wind.canonical_url
    assert len(wind.text.split()) > 200
    assert any(p.startswith("/articles/wind-farm-a.html") for p in server.paths_requested())
    async with harness.sessionmaker() as session:
        summary = await session.scalar(select(Summary).where(Summary.article_id == wind.id))
    assert summary is not None and 1 <= len(summary.sentences) <= 3
    assert all(sentence in wind.text for sentence in summary.sentences)
    # The German story is stored (for search) but has no English summary.
    assert wine.text
    async with harness.sessionmaker() as session:
        assert await session.scalar(select(Summary).where(Summary.article_id == wine.id)) is None


async def test_backlog_is_stored_as_seen_and_later_entries_reach_alerts(
    harness: Harness, server: FeedServer
) -> None:
    await harness.add(server.url("/rss2.xml"))
    first = await harness.ingestor.run_tick(now=T0)
    assert first.new == 3
    assert harness.handed_to_alerts == []
    assert all(article.is_backlog for article in await harness.articles())

    server.route("/rss2.xml", Route(server.fixture("edited-v1.xml")))
    later = T0 + timedelta(seconds=INTERVAL * 2)
    second = await harness.ingestor.run_tick(now=later)
    assert second.new == 1
    [alerted] = harness.handed_to_alerts
    assert alerted.title == "Fish auction prices fall"
    assert not (await harness.articles())[-1].is_backlog


async def test_articles_stored_before_a_crash_reach_alerts_on_the_next_tick(
    harness: Harness, server: FeedServer
) -> None:
    await harness.add(server.url("/rss2.xml"))
    await harness.ingestor.run_tick(now=T0)  # the backlog: never owed to alerts
    server.route("/rss2.xml", Route(server.fixture("edited-v1.xml")))
    handler = harness.ingestor.on_new_articles

    class Killed(BaseException):
        """Like SIGKILL, nothing in the process catches it."""

    async def killed(articles: list[NewArticle]) -> None:
        # The process dies after the feed's articles are committed, before matching them.
        raise Killed

    harness.ingestor.on_new_articles = killed
    later = T0 + timedelta(seconds=INTERVAL * 2)
    with pytest.raises(Killed):
        await harness.ingestor.run_tick(now=later)
    assert [a.title for a in await harness.articles()][-1] == "Fish auction prices fall"
    assert harness.handed_to_alerts == []

    harness.ingestor.on_new_articles = handler  # the restarted process
    for _ in range(2):
        report = await harness.ingestor.run_tick(now=later + timedelta(minutes=1))
        assert report.new == 0
    # Matched once, and only the article that was news: the backlog stays out.
    assert [a.title for a in harness.handed_to_alerts] == ["Fish auction prices fall"]


async def test_edited_entry_updates_its_article(harness: Harness, server: FeedServer) -> None:
    server.route("/market.xml", Route(server.fixture("edited-v1.xml")))
    await harness.add(server.url("/market.xml"))
    await harness.ingestor.run_tick(now=T0)
    server.route("/market.xml", Route(server.fixture("edited-v2.xml")))
    report = await harness.ingestor.run_tick(now=T0 + timedelta(seconds=INTERVAL * 2))
    assert (report.new, report.updated) == (0, 1)
    [article] = await harness.articles()
    assert article.title == "Fish auction prices fall for second week"
    assert "Correction" in article.text
    assert article.updated_at is not None
    # Unchanged on the next poll: nothing updated again.
    report = await harness.ingestor.run_tick(now=T0 + timedelta(seconds=INTERVAL * 4))
    assert (report.new, report.updated) == (0, 0)


async def test_one_story_from_two_outlets_is_grouped(harness: Harness, server: FeedServer) -> None:
    await harness.add(server.url("/teaser.xml"))
    await harness.add(server.url("/outlet-b.xml"))
    await harness.ingestor.run_tick(now=T0)
    by_title = {article.title: article for article in await harness.articles()}
    courier = by_title["Storm cuts power cable to offshore wind farm"]
    wire = by_title["North Bank wind farm cut off after storm damages cable"]
    other = by_title["Grid operator plans second interconnector"]
    assert courier.story_key == wire.story_key
    assert other.story_key not in (courier.story_key, wire.story_key)


async def test_same_article_in_two_feeds_is_stored_once(
    harness: Harness, server: FeedServer
) -> None:
    server.route("/copy.xml", Route(server.fixture("outlet-b.xml")))
    first = await harness.add(server.url("/outlet-b.xml"))
    second = await harness.add(server.url("/copy.xml"))
    await harness.ingestor.run_tick(now=T0)
    assert len(await harness.articles()) == 2
    async with harness.sessionmaker() as session:
        entries = await session.scalar(select(func.count()).select_from(FeedEntry))
        feeds = set(await session.scalars(select(FeedEntry.feed_id)))
    assert entries == 4 and feeds == {first, second}


async def test_a_story_reaching_a_second_feed_goes_to_that_feeds_alerts_too(
    harness: Harness, server: FeedServer
) -> None:
    for path in ("/a.xml", "/b.xml"):
        server.route(path, Route(server.fixture("rss2.xml")))
    first, second = await harness.add(server.url("/a.xml")), await harness.add(server.url("/b.xml"))
    await harness.ingestor.run_tick(now=T0)  # both backlogs: seen, no alerts
    server.route("/a.xml", Route(server.fixture("edited-v1.xml")))
    await harness.ingestor.run_tick(now=T0 + timedelta(seconds=INTERVAL * 2))
    server.route("/b.xml", Route(server.fixture("edited-v1.xml")))
    report = await harness.ingestor.run_tick(now=T0 + timedelta(seconds=INTERVAL * 4))

    # Stored once; handed to alerts once per feed, so readers of either feed hear of it (the
    # alert's story key keeps a reader of both from hearing twice).
    assert report.new == 0
    assert [(a.feed_id, a.title) for a in harness.handed_to_alerts] == [
        (first, "Fish auction prices fall"),
        (second, "Fish auction prices fall"),
    ]
    assert len({a.article_id for a in harness.handed_to_alerts}) == 1


async def test_not_modified_feed_costs_one_request(harness: Harness, server: FeedServer) -> None:
    feed_id = await harness.add(server.url("/conditional.xml"))
    await harness.ingestor.run_tick(now=T0)
    assert (await harness.feed(feed_id)).etag
    report = await harness.ingestor.run_tick(now=T0 + timedelta(seconds=INTERVAL * 2))
    assert report.not_modified == 1 and report.new == 0
    conditional = [r for r in server.requests if r.path == "/conditional.xml"]
    assert len(conditional) == 2
    assert conditional[1].headers.get("if-none-match") == (await harness.feed(feed_id)).etag


async def test_failures_back_off_and_break_the_feed_once(
    harness: Harness, server: FeedServer
) -> None:
    feed_id = await harness.add(server.url("/status/500"))
    now = T0
    for _ in range(5):
        report = await harness.ingestor.run_tick(now=now)
        assert report.errors == 1
        feed = await harness.feed(feed_id)
        # Each failure waits longer than the last before the next try.
        assert feed.next_due_at > now + timedelta(seconds=INTERVAL * 0.85)
        now = feed.next_due_at
    feed = await harness.feed(feed_id)
    assert feed.consecutive_failures == 5 and feed.broken_at is not None
    assert "500" in (feed.last_error or "")
    assert [fid for fid, _ in harness.broken] == [feed_id]


async def test_a_breakage_announced_by_no_one_before_a_crash_is_announced_next_tick(
    harness: Harness, server: FeedServer
) -> None:
    feed_id = await harness.add(server.url("/status/500"))
    async with harness.sessionmaker() as session, session.begin():
        session.add(Chat(id=77))
        session.add(Subscription(chat_id=77, feed_id=feed_id))
        feed = await session.get(Feed, feed_id)
        assert feed is not None
        # What a kill between record_fetch_failure's commit and the notice leaves behind.
        feed.broken_at, feed.last_error = T0, "HTTP 500 from the server"
        feed.next_due_at = T0 + timedelta(days=1)
    for _ in range(2):
        await harness.ingestor.run_tick(now=T0)
    async with harness.sessionmaker() as session:
        notices = list(
            await session.scalars(select(Delivery).where(Delivery.kind == DeliveryKind.NOTICE))
        )
    assert [(n.chat_id, "HTTP 500" in n.payload["text"]) for n in notices] == [(77, True)]
    assert (await harness.feed(feed_id)).broken_notified_at is not None


async def test_retry_after_is_honoured(harness: Harness, server: FeedServer) -> None:
    feed_id = await harness.add(server.url("/status/503"))
    await harness.ingestor.run_tick(now=T0)
    feed = await harness.feed(feed_id)
    assert feed.next_due_at >= T0 + timedelta(seconds=INTERVAL * 0.9)
    assert feed.last_error and "503" in feed.last_error


async def test_a_web_page_is_not_a_feed(harness: Harness, server: FeedServer) -> None:
    feed_id = await harness.add(server.url("/page.html"))
    report = await harness.ingestor.run_tick(now=T0)
    assert report.errors == 1
    assert "feed URL" in ((await harness.feed(feed_id)).last_error or "")


async def test_refused_address_is_recorded_with_a_reason(
    harness: Harness, server: FeedServer
) -> None:
    feed_id = await harness.add(server.url("/redirect/to?url=http://10.0.0.5/feed.xml"))
    await harness.ingestor.run_tick(now=T0)
    error = (await harness.feed(feed_id)).last_error or ""
    assert "10.0.0.5" in error and "private" in error


async def test_two_workers_store_every_article_exactly_once(
    database_url: str, sessionmaker: async_sessionmaker[AsyncSession], summarizer: SummarizerPool
) -> None:
    """Two workers (own engines, as two processes would have) tick at once over the same feeds."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite runs one worker; several workers need PostgreSQL")
    from store.database import create_engine, create_sessionmaker

    with FeedServer(bench_entries=3) as feed_server:
        urls = [feed_server.url(f"/bench/feed/{n}.xml") for n in range(8)]
        async with sessionmaker() as session, session.begin():
            for url in urls:
                await feed_store.add_feed(session, url, now=T0, interval_seconds=INTERVAL)
        policy = FetchPolicy(allow=("127.0.0.1",), total_timeout=20.0, read_timeout=10.0)
        engines = [create_engine(database_url) for _ in range(2)]
        try:
            async with (
                SafeFetcher(policy, resolver=loopback_only) as one,
                SafeFetcher(policy, resolver=loopback_only) as two,
            ):
                workers = [
                    Ingestor(
                        create_sessionmaker(engine),
                        fetcher,
                        summarizer,
                        IngestOptions(claim_batch=2, concurrency=2),
                    )
                    for engine, fetcher in zip(engines, (one, two), strict=True)
                ]
                reports = await asyncio.gather(*(w.run_tick(now=T0) for w in workers))
        finally:
            for engine in engines:
                await engine.dispose()
        # Both took part, no feed was fetched twice, and every entry became exactly one article.
        assert all(report.feeds > 0 for report in reports)
        assert sum(report.feeds for report in reports) == len(urls)
        feed_paths = [p for p in feed_server.paths_requested() if p.startswith("/bench/feed/")]
        assert sorted(feed_paths) == sorted(set(feed_paths))
    async with sessionmaker() as session:
        articles = await session.scalar(select(func.count()).select_from(Article))
        entries = await session.scalar(select(func.count()).select_from(FeedEntry))
        urls_stored = await session.scalar(select(func.count(func.distinct(Article.canonical_url))))
    assert articles == entries == urls_stored == sum(report.new for report in reports)
    assert articles == len(urls) * feed_server.bench_entries


UNSUMMARIZED_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Quay Post</title><link>{base}/</link>
<description>Harbour news.</description>
<item><title>Ferry strike ends after talks</title><link>{base}/gone/ferry.html</link>
<guid>quay-1</guid>
<description>&lt;p&gt;The &lt;b&gt;ferry&lt;/b&gt; crews return on Monday after the union and the
operator agreed on pay.&lt;/p&gt;</description></item>
<item><title>Hafenfest abgesagt</title><link>{base}/gone/fest.html</link><guid>quay-2</guid>
<description>Das Hafenfest in Kiel wird in diesem Jahr wegen der Bauarbeiten am Kai nicht
stattfinden, teilte die Stadt am Montag mit. {padding}</description></item>
<item><title>Pier closed</title><link>{base}/gone/pier.html</link><guid>quay-3</guid>
<description></description></item>
</channel></rss>"""


async def test_articles_without_a_summary_still_reach_the_digest(
    harness: Harness, server: FeedServer
) -> None:
    # Teasers whose pages answer 404 (one in German, which the summarizer does not take) and one
    # with no text at all: each is an item of the digest all the same.
    body = UNSUMMARIZED_FEED.format(
        base=server.base_url, padding="Weitere Gespräche folgen am Dienstag. " * 20
    )
    server.route("/quay.xml", Route(body.encode()))
    feed_id = await harness.add(server.url("/quay.xml"))
    report = await harness.ingestor.run_tick(now=T0)
    assert (report.new, report.errors) == (3, 0)
    async with harness.sessionmaker() as session, session.begin():
        session.add(Chat(id=5, timezone="UTC", digest_schedule="daily 08:00"))
        await session.flush()
        session.add(Subscription(chat_id=5, feed_id=feed_id))
    async with harness.sessionmaker() as session:
        chat = await session.get(Chat, 5)
        assert chat is not None
        [message] = await compose_for_chat(
            session, chat, now=T0 + timedelta(minutes=5), window=timedelta(hours=48)
        )
    assert "Ferry strike ends after talks" in message
    assert "Hafenfest abgesagt" in message and "Das Hafenfest in Kiel" in message
    assert "Pier closed" in message
    # The description is cleaned of its markup and cut to the summary budget.
    assert "&lt;" not in message and "<p>" not in message
    assert "The ferry crews return" in message
    fest = next(line for line in message.splitlines() if line.startswith("Das Hafenfest"))
    assert len(fest) <= DESCRIPTION_CHARS and fest.endswith("…")
