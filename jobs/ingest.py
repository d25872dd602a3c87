"""Ingestion: claim due feeds, fetch them politely, store new and edited articles with summaries.

The pipeline for one feed: conditional GET → parse → for each entry: known? edited? → full text when
the entry is a teaser → canonical URL → duplicate checks (entry GUID, URL, content hash) → story
grouping → summary → one short transaction. Network and CPU work happen outside transactions.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.extract import ExtractedArticle, is_teaser
from jobs.feeds import FeedEntry, FeedParseError, NotAFeed, ParsedFeed, parse_feed
from jobs.fetch.errors import FetchError
from jobs.fetch.fetcher import SafeFetcher
from jobs.on_demand import LinkError, fetch_article_page
from jobs.stories import StorySignature, content_hash, pick_story, text_signature
from jobs.summarizing import SummarizerPool
from jobs.urls import canonicalize_url, told_apart_by_fragment
from store import alerting
from store import articles as article_store
from store import feeds as feed_store
from store.models import Article, DateSource, Feed, identity_hash, utcnow

log = logging.getLogger(__name__)

# Back-off after failures doubles the interval each time, up to this.
MAX_BACKOFF = timedelta(hours=12)
# How far ahead of the fetch an entry's date may be: a feed writing local time as UTC is off by
# up to 14 hours; anything later is a wrong date, not news from tomorrow.
FUTURE_TOLERANCE = timedelta(hours=24)
# Jitter spreads feeds that share an interval so they are not all fetched in the same second.
JITTER = 0.1


class FeedCrashed(Exception):
    """An unexpected error while ingesting one feed; recorded as that feed's failure."""


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """The knobs of ingestion; the composition root builds this from settings."""

    failure_threshold: int = 5
    max_entries: int = 200
    max_article_chars: int = 200_000
    lease: timedelta = timedelta(minutes=10)
    claim_batch: int = 50
    concurrency: int = 16
    story_window: timedelta = timedelta(days=2)
    fetch_full_text: bool = True
    summary_sentences: int = 3
    # Entries a crash kept from alert matching are matched by the next tick while this young,
    # at most this many a tick; older ones are given up (an alert a day late is news no more).
    alert_sweep_window: timedelta = timedelta(hours=24)
    alert_sweep_batch: int = 500


# What ingestion hands to alert matching: one stored, not-backlog article. The store's record,
# so an article matched straight after storing and one swept after a crash are the same thing.
NewArticle = alerting.ArticleForAlerts


@dataclass(slots=True)
class FeedOutcome:
    feed_id: int
    url: str
    new: int = 0
    updated: int = 0
    not_modified: bool = False
    error: str | None = None
    # Entries that could not be stored (each logged with its reason); the feed itself was read.
    entry_errors: int = 0
    became_broken: bool = False
    new_articles: list[NewArticle] = field(default_factory=list)


@dataclass(slots=True)
class TickReport:
    feeds: int = 0
    new: int = 0
    updated: int = 0
    not_modified: int = 0
    errors: int = 0
    entry_errors: int = 0
    outcomes: list[FeedOutcome] = field(default_factory=list)

    def add(self, outcome: FeedOutcome) -> None:
        self.feeds += 1
        self.new += outcome.new
        self.updated += outcome.updated
        self.not_modified += int(outcome.not_modified)
        self.errors += int(outcome.error is not None)
        self.entry_errors += outcome.entry_errors
        self.outcomes.append(outcome)


NewArticlesHandler = Callable[[Sequence[NewArticle]], Awaitable[object]]
FeedBrokenHandler = Callable[[int, str], Awaitable[object]]
ProgressHandler = Callable[[FeedOutcome], None]


@dataclass(frozen=True, slots=True)
class _ClaimedFeed:
    """The fields a fetch needs, copied out of the claiming transaction."""

    id: int
    url: str
    etag: str | None
    last_modified: str | None
    interval: int
    failures: int
    backlog: bool


def next_poll_at(now: datetime, interval: int, rng: random.Random) -> datetime:
    return now + timedelta(seconds=interval * rng.uniform(1 - JITTER, 1 + JITTER))


def backoff_until(
    now: datetime, interval: int, failures: int, retry_after: float | None, rng: random.Random
) -> datetime:
    """When to try a failing feed again: exponential back-off, never before Retry-After.

    Retry-After is honoured up to :data:`MAX_BACKOFF` only: a server asking for years (or for
    more seconds than a timedelta holds) would otherwise park the feed where no further failure
    is ever counted, and its subscribers would never learn that it is down.
    """
    # Seconds as floats, capped before they become a timedelta, which overflows past ~2.7e6 years.
    cap = MAX_BACKOFF.total_seconds()
    delay = min(interval * 2.0 ** min(max(failures - 1, 0), 64), cap)
    delay *= rng.uniform(1 - JITTER, 1 + JITTER)
    if retry_after is not None:
        delay = max(delay, min(retry_after, cap))
    return now + timedelta(seconds=delay)


class Ingestor:
    """Runs ingestion ticks; holds the shared fetcher, summarizer pool and the hand-off callbacks."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        fetcher: SafeFetcher,
        summarizer: SummarizerPool,
        options: IngestOptions,
        *,
        on_new_articles: NewArticlesHandler | None = None,
        on_feed_broken: FeedBrokenHandler | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.fetcher = fetcher
        self.summarizer = summarizer
        self.options = options
        self.on_new_articles = on_new_articles
        self.on_feed_broken = on_feed_broken
        self.rng = rng or random.Random()
        # New articles get their story one at a time (see store.articles.lock_story_assignment).
        self._story_lock = asyncio.Lock()
        # SQLite has one writer at a time: concurrent write transactions only wait in its busy
        # handler (sleeping up to 100 ms a try), so this process queues its writes instead.
        # PostgreSQL takes concurrent writers as they come.
        bind = sessionmaker.kw.get("bind")
        self._write_lock: asyncio.Lock | None = (
            asyncio.Lock() if bind is not None and bind.dialect.name == "sqlite" else None
        )

    @contextlib.asynccontextmanager
    async def _writing(self) -> AsyncIterator[AsyncSession]:
        """A write transaction, queued behind this process's other writes on SQLite."""
        async with contextlib.AsyncExitStack() as stack:
            if self._write_lock is not None:
                await stack.enter_async_context(self._write_lock)
            session = await stack.enter_async_context(self.sessionmaker())
            await stack.enter_async_context(session.begin())
            yield session

    async def run_tick(
        self, *, now: datetime | None = None, progress: ProgressHandler | None = None
    ) -> TickReport:
        """Claim due feeds in batches until none are due, ingesting each batch concurrently."""
        report = TickReport()
        limit = asyncio.Semaphore(self.options.concurrency)
        await self._announce_owed_breakages()
        await self._match_pending_alerts(now or utcnow())

        async def one(feed: _ClaimedFeed) -> None:
            async with limit:
                outcome = await self._ingest_feed_isolated(feed, now=now or utcnow())
            report.add(outcome)
            if progress is not None:
                progress(outcome)

        while True:
            claimed = await self._claim(now or utcnow())
            if not claimed:
                return report
            await asyncio.gather(*(one(feed) for feed in claimed))

    async def _match_pending_alerts(self, now: datetime) -> None:
        """Hand alert matching the entries a crash kept from it (their mark is in the database).

        One bounded batch a tick: a handler that leaves marks in place cannot loop the tick.
        Matching twice is harmless, as each alert's outbox key is unique.
        """
        if self.on_new_articles is None:
            return
        since = now - self.options.alert_sweep_window
        async with self._writing() as session:
            await alerting.expire_pending(session, before=since)
            pending = await alerting.pending_entries(
                session, since=since, limit=self.options.alert_sweep_batch
            )
        if not pending:
            return
        log.info("matching alerts for %d articles stored before a stop", len(pending))
        try:
            await self.on_new_articles(pending)
        except Exception:
            # The marks stay: the next tick tries again, and this one's feeds go on.
            log.exception("matching alerts for articles stored before a stop failed")

    async def _announce_owed_breakages(self) -> None:
        """Queue the feed-broken notices a crash kept from being queued (state, not memory)."""
        if self.on_feed_broken is None:
            return
        async with self.sessionmaker() as session:
            owed = await feed_store.feeds_owed_broken_notice(session)
        for feed_id, error in owed:
            await self.on_feed_broken(feed_id, error)

    async def _claim(self, now: datetime) -> list[_ClaimedFeed]:
        async with self._writing() as session:
            feeds = await feed_store.claim_due_feeds(
                session, now=now, limit=self.options.claim_batch, lease=self.options.lease
            )
            return [_claimed(feed) for feed in feeds]

    async def _ingest_feed_isolated(self, feed: _ClaimedFeed, *, now: datetime) -> FeedOutcome:
        """One feed's work as its own unit: whatever escapes it is that feed's failure.

        Without this, one exception would win the tick's ``gather``: the other feeds of the batch
        would stay leased and the failing one would never count toward broken.
        """
        try:
            return await self.ingest_feed(feed, now=now)
        except Exception as exc:
            log.exception("feed %d (%s): ingestion failed", feed.id, feed.url)
            outcome = FeedOutcome(feed.id, feed.url)
            crash = FeedCrashed(
                f"ingestion failed unexpectedly ({type(exc).__name__}: {exc}); it is retried "
                "with back-off and reported as broken if it keeps failing"
            )
            try:
                await self._record_failure(feed, now, crash, outcome, logged=True)
            except Exception:
                # The database itself failing: the lease expires and the feed is tried again.
                log.exception("feed %d: its failure could not be recorded", feed.id)
                outcome.error = str(crash)
            return outcome

    async def ingest_feed(self, feed: _ClaimedFeed, *, now: datetime) -> FeedOutcome:
        outcome = FeedOutcome(feed.id, feed.url)
        try:
            result = await self.fetcher.fetch(
                feed.url, etag=feed.etag, last_modified=feed.last_modified
            )
            if result.not_modified:
                outcome.not_modified = True
                await self._record_success(feed, now, result.etag, result.last_modified, None)
                return outcome
            # Parsing is CPU work (and a hostile feed is made to be slow): off the event loop.
            parsed = await asyncio.to_thread(
                parse_feed,
                result.body,
                url=result.url,
                max_entries=self.options.max_entries,
                content_type=result.content_type,
                charset=result.charset,
            )
        except (FetchError, FeedParseError) as exc:
            await self._record_failure(feed, now, exc, outcome)
            return outcome

        if parsed.warning:
            log.info("feed %s parsed leniently: %s", feed.url, parsed.warning)
        started = time.monotonic()
        by_fragment = told_apart_by_fragment(entry.link for entry in parsed.entries if entry.link)
        for entry in parsed.entries:
            # Each entry is stamped when its turn comes, not when the feed was fetched: page
            # fetches and summaries of the entries before it may take minutes, and digests
            # read by this stamp (see DigestOptions.settle).
            at = now + timedelta(seconds=time.monotonic() - started)
            try:
                await self._ingest_entry(
                    feed,
                    entry,
                    at,
                    outcome,
                    parsed.language,
                    keep_fragment=entry.link in by_fragment,
                )
            except Exception:
                # One bad entry must not cost the feed's other entries; it is counted, so the
                # tick's summary never says "0 errors" over entries that were lost.
                log.exception("feed %s: entry %s failed", feed.url, entry.guid[:200])
                outcome.entry_errors += 1
        await self._record_success(feed, now, result.etag, result.last_modified, parsed)
        if outcome.new_articles and self.on_new_articles is not None:
            await self.on_new_articles(outcome.new_articles)
        return outcome

    async def _record_success(
        self,
        feed: _ClaimedFeed,
        now: datetime,
        etag: str | None,
        last_modified: str | None,
        parsed: ParsedFeed | None,
    ) -> None:
        async with self._writing() as session:
            await feed_store.record_fetch_success(
                session,
                feed.id,
                now=now,
                next_due_at=next_poll_at(now, feed.interval, self.rng),
                etag=etag if etag is not None or parsed is not None else feed.etag,
                last_modified=last_modified
                if last_modified is not None or parsed is not None
                else feed.last_modified,
                title=parsed.title if parsed else None,
                site_url=parsed.link if parsed else None,
            )
            if feed.backlog:
                await feed_store.mark_backlog_done(session, feed.id, now=now)

    async def _record_failure(
        self,
        feed: _ClaimedFeed,
        now: datetime,
        exc: Exception,
        outcome: FeedOutcome,
        *,
        logged: bool = False,
    ) -> None:
        message = _user_message(exc)
        retry_after = getattr(exc, "retry_after", None)
        outcome.error = message
        if not logged:
            log.warning("feed %s: %s", feed.url, message)
        async with self._writing() as session:
            outcome.became_broken = await feed_store.record_fetch_failure(
                session,
                feed.id,
                now=now,
                next_due_at=backoff_until(
                    now, feed.interval, feed.failures + 1, retry_after, self.rng
                ),
                error=message,
                failure_threshold=self.options.failure_threshold,
            )
        if outcome.became_broken and self.on_feed_broken is not None:
            await self.on_feed_broken(feed.id, message)

    async def _ingest_entry(
        self,
        feed: _ClaimedFeed,
        entry: FeedEntry,
        now: datetime,
        outcome: FeedOutcome,
        feed_language: str | None = None,
        *,
        keep_fragment: bool = False,
    ) -> None:
        entry_hash = content_hash(f"{entry.title}\n{entry.text}")
        async with self.sessionmaker() as session:
            known = await article_store.entry_for_guid(session, feed.id, entry.guid)
        if known is not None and known.entry_hash == entry_hash:
            return

        # A link told apart by its fragment is a route in one page that HTTP fetches whole (the
        # fragment is never sent): that page is every item's, so neither its text nor its
        # canonical URL is this item's.
        text, page = await self._full_text(entry, fetch_page=not keep_fragment)
        if page is not None:
            canonical = page.url
        elif entry.link:
            canonical = canonicalize_url(entry.link, keep_fragment=keep_fragment)
        else:
            canonical = _linkless_url(feed.url, entry.guid)
        title = entry.title or (page.title if page else "") or ""
        # The page's <html lang> (or its identified language) first, then the feed's tag.
        hints = (page.language if page else None, feed_language)
        if known is not None:
            # An edited entry: the article stays, what changed is refreshed.
            await self._update_article(
                known.article, feed, entry, entry_hash, title, text, now, hints
            )
            outcome.updated += 1
            return

        digest_fields, language = await self._summarize(text, title, hints)
        signature = _signature_or_none(text)
        async with (
            self._story_lock,
            self._write_lock or contextlib.nullcontext(),
            self.sessionmaker() as session,
        ):
            try:
                async with session.begin():
                    await article_store.lock_story_assignment(session)
                    article, created = await self._store_article(
                        session,
                        feed,
                        entry,
                        entry_hash,
                        canonical,
                        title,
                        text,
                        page,
                        language,
                        signature,
                        now,
                    )
                    if created and digest_fields is not None:
                        await article_store.save_summary(session, article.id, **digest_fields)
            except IntegrityError:
                # Another worker stored the same URL a moment ago: link to its article instead.
                async with session.begin():
                    existing = await article_store.article_by_url(session, canonical)
                    if existing is None:
                        raise
                    await _link(session, feed, entry, entry_hash, existing.id, now)
                article, created = existing, False
        outcome.new += int(created)
        if not feed.backlog:
            # A story this feed carries for the first time is news to its readers even when
            # another feed brought it before; those readers' alerts find the story's key taken.
            outcome.new_articles.append(
                NewArticle(
                    article.id,
                    feed.id,
                    article.title,
                    article.text,
                    article.canonical_url,
                    article.story_key,
                )
            )

    async def _full_text(
        self, entry: FeedEntry, *, fetch_page: bool = True
    ) -> tuple[str, ExtractedArticle | None]:
        """The entry's text, or the article page's when the entry is only a teaser."""
        text = entry.text
        page: ExtractedArticle | None = None
        if fetch_page and self.options.fetch_full_text and entry.link and is_teaser(text):
            page = await self._fetch_page(entry.link)
            if page is not None and len(page.text) > len(text):
                text = page.text
        return text[: self.options.max_article_chars], page

    async def _store_article(
        self,
        session: AsyncSession,
        feed: _ClaimedFeed,
        entry: FeedEntry,
        entry_hash: str,
        canonical: str,
        title: str,
        text: str,
        page: ExtractedArticle | None,
        language: str | None,
        signature: StorySignature | None,
        now: datetime,
    ) -> tuple[Article, bool]:
        """Find the article this entry duplicates, or create it; returns (article, created)."""
        published_at, date_source = publication_time(entry, page, now)
        hashed = content_hash(text) if text else None
        existing = await article_store.article_by_url(session, canonical)
        if existing is None and hashed is not None:
            existing = await article_store.article_by_content_hash(session, hashed)
        if existing is not None:
            await _link(session, feed, entry, entry_hash, existing.id, now)
            return existing, False
        article = Article(
            canonical_url=canonical,
            feed_id=feed.id,
            guid=entry.guid,
            title=title[:1000],
            # Display fields are cut to their columns (PostgreSQL refuses longer values).
            author=(entry.author or (page.author if page else None) or "")[:500] or None,
            published_at=published_at,
            date_source=date_source,
            fetched_at=now,
            text=text,
            language=language,
            content_hash=hashed,
            signature=signature.to_bytes() if signature else None,
            is_backlog=feed.backlog,
        )
        session.add(article)
        await session.flush()
        article.story_key = await self._story_key(session, article, signature, now)
        if signature is not None:
            await article_store.save_story_bands(session, article.id, signature.band_keys())
        await _link(session, feed, entry, entry_hash, article.id, now)
        return article, True

    async def _story_key(
        self,
        session: AsyncSession,
        article: Article,
        signature: StorySignature | None,
        now: datetime,
    ) -> str:
        """The story of the most similar recent article, or a new story named after this one."""
        if signature is not None:
            candidates = await article_store.story_candidates(
                session,
                signature.band_keys(),
                since=now - self.options.story_window,
                exclude_id=article.id,
            )
            story = pick_story(
                signature,
                (
                    (candidate.story_key, StorySignature.from_bytes(candidate.signature))
                    for candidate in candidates
                    if candidate.signature is not None and candidate.story_key
                ),
            )
            if story is not None:
                return story
        return f"s{article.id}"

    async def _update_article(
        self,
        article: Article,
        feed: _ClaimedFeed,
        entry: FeedEntry,
        entry_hash: str,
        title: str,
        text: str,
        now: datetime,
        hints: tuple[str | None, ...] = (),
    ) -> None:
        changed = text != article.text
        digest_fields, language = (
            await self._summarize(text, title, hints) if changed else (None, None)
        )
        async with self._writing() as session:
            stored = await session.get(Article, article.id)
            if stored is None:
                return
            stored.title = title[:1000]
            stored.updated_at = now
            if changed:
                stored.text = text
                stored.content_hash = content_hash(text) if text else None
                stored.language = language or stored.language
            if digest_fields is not None:
                await article_store.save_summary(session, stored.id, **digest_fields)
            await _link(session, feed, entry, entry_hash, stored.id, now)

    async def _fetch_page(self, url: str) -> ExtractedArticle | None:
        # The same fetch and extraction as /summary URL, so both read a page's charset alike.
        try:
            return await fetch_article_page(
                self.fetcher, url, max_chars=self.options.max_article_chars
            )
        except (FetchError, LinkError) as exc:
            log.info("full text of %s not read: %s", url, exc)
            return None

    async def _summarize(
        self, text: str, title: str, hints: tuple[str | None, ...]
    ) -> tuple[dict[str, object] | None, str | None]:
        """The summary's fields (None when there is none) and the text's ISO 639-1 language."""
        from summarizer import SummarizerError, UnsupportedLanguageError
        from summarizer.languages import primary_code

        # Without a summary, the first tag is the best guess there is.
        fallback = next((code for code in map(primary_code, hints) if code), None)
        if not text.strip():
            return None, fallback
        try:
            digest = await self.summarizer.summarize(
                text,
                title=title or None,
                max_sentences=self.options.summary_sentences,
                hints=hints,
            )
        except UnsupportedLanguageError as exc:
            log.info("not summarized (%s): %s", title[:60], exc)
            return None, (exc.language if exc.language != "und" else fallback)
        except SummarizerError as exc:
            log.info("not summarized (%s): %s", title[:60], exc)
            return None, fallback
        except Exception:
            # A summarizer bug must not lose the article: store it without a summary.
            log.exception("summarizer failed on %r", title[:60])
            return None, fallback
        data = digest.to_dict()
        return {
            "sentences": data["sentences"],
            "entities": data["entities"],
            "figures": data["figures"],
            "method": digest.method,
            "summarizer_version": digest.version,
            "reading_minutes": max(1, round(digest.reading_minutes)),
        }, digest.language


async def _link(
    session: AsyncSession,
    feed: _ClaimedFeed,
    entry: FeedEntry,
    entry_hash: str,
    article_id: int,
    now: datetime,
) -> None:
    await article_store.link_entry(
        session,
        feed_id=feed.id,
        guid=entry.guid,
        article_id=article_id,
        entry_hash=entry_hash,
        now=now,
        # Backlog is never alerted; anything else is owed to matching until its alerts are queued.
        alerts_pending=not feed.backlog,
    )


def publication_time(
    entry: FeedEntry, page: ExtractedArticle | None, fetched: datetime
) -> tuple[datetime, DateSource]:
    """The article's published time and where it came from, best source first.

    RSS 1.0 and dc:date feeds give only "updated" (feedparser's name for dc:date); the fetch
    time is the last resort, recorded as such so nobody mistakes it for a date the feed gave.
    A date further ahead than :data:`FUTURE_TOLERANCE` is not believed: digests rank by
    freshness, and an entry dated 2099 would head every digest for decades.
    """
    candidates = (
        (entry.published, DateSource.PUBLISHED),
        (entry.updated, DateSource.UPDATED),
        (page.published if page else None, DateSource.PAGE),
    )
    for value, source in candidates:
        if value is not None and value <= fetched + FUTURE_TOLERANCE:
            return value, source
    return fetched, DateSource.FETCHED


def _linkless_url(feed_url: str, guid: str) -> str:
    """The URL of an entry without a web link: the feed's, told apart by the entry's GUID.

    The feed's address alone would make every such entry of the feed one article (the URL is
    an article's identity); a fragment keeps the link opening the feed.
    """
    return canonicalize_url(f"{feed_url}#entry-{identity_hash(guid)[:16]}", keep_fragment=True)


def _signature_or_none(text: str) -> StorySignature | None:
    """The text's story signature; None for a text without words ("…"), which has none."""
    try:
        return text_signature(text)
    except ValueError:
        return None


def _claimed(feed: Feed) -> _ClaimedFeed:
    return _ClaimedFeed(
        id=feed.id,
        url=feed.url,
        etag=feed.etag,
        last_modified=feed.last_modified,
        interval=feed.interval_seconds,
        failures=feed.consecutive_failures,
        backlog=feed.backlog_done_at is None,
    )


def _user_message(exc: Exception) -> str:
    if isinstance(exc, NotAFeed):
        return f"{exc} — add the site's feed URL instead"
    return str(exc)
