"""The background work shared by `newsdigest run` and `newsdigest worker`, wired from services.

Jobs stay plain async functions; this only binds them to the open services. The bot process
schedules the ticks on PTB's JobQueue, the worker on its own APScheduler: one scheduler a process.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from telegram import Bot

from bot.services import Services, digest_options, follow_options
from bot.telegram_transport import TelegramTransport
from jobs.alerts import AlertMatcher
from jobs.digests import DigestReport, queue_due_digests
from jobs.follows import FollowReport, send_story_updates
from jobs.ingest import Ingestor, TickReport
from jobs.leadership import serve_role
from jobs.notices import queue_feed_broken_notices
from jobs.outbox import OutboxSender, RateLimiter
from jobs.pause import resume_expired_pauses
from store import feeds as feed_store
from store.models import utcnow

log = logging.getLogger(__name__)

# How often due feeds and due digests are looked for; each feed and chat has its own clock.
INGEST_TICK_SECONDS = 30
DIGEST_TICK_SECONDS = 30


@dataclass(slots=True)
class Pipeline:
    services: Services
    ingestor: Ingestor
    matcher: AlertMatcher
    sender: OutboxSender | None
    # One tick at a time in this process, so "fetch everything now" can wait for a running tick
    # (which would otherwise set the feeds' next fetch after it and leave nothing due).
    ingest_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def wake_sender(self) -> None:
        if self.sender is not None:
            self.sender.wake()

    async def ingest_tick(self) -> TickReport:
        """Fetch the due feeds; new articles go to alert matching on the way."""
        async with self.ingest_lock:
            report = await self.ingestor.run_tick()
        if report.feeds:
            log.info(
                "ingest: %d feeds, %d new, %d updated, %d unchanged, %d errors",
                report.feeds,
                report.new,
                report.updated,
                report.not_modified,
                report.errors,
            )
            # Whatever was fetched: a new outlet's copy may be an article stored before.
            await self.follow_tick()
        return report

    async def ingest_everything_now(self) -> TickReport:
        """Fetch every feed now, after any tick already running (the demo's ':news')."""
        async with self.ingest_lock:
            async with self.services.sessionmaker() as session, session.begin():
                await feed_store.make_all_due(session, now=utcnow())
            report = await self.ingestor.run_tick()
        await self.follow_tick()
        return report

    async def follow_tick(self) -> FollowReport:
        """Queue the updates owed to followed stories; end the quiet ones (see jobs.follows)."""
        report = await send_story_updates(
            self.services.sessionmaker,
            now=utcnow(),
            options=follow_options(self.services.settings),
            on_enqueued=self.wake_sender,
        )
        if report.updates or report.ended:
            log.info("follows: %d updates queued, %d ended", report.updates, report.ended)
        return report

    async def digest_tick(self) -> DigestReport:
        """End the pauses whose time is up, then queue the digests that are due."""
        resumed = await resume_expired_pauses(self.services.sessionmaker, now=utcnow())
        if resumed:
            log.info("pauses: %d ended", resumed)
            self.wake_sender()
        report = await queue_due_digests(
            self.services.sessionmaker,
            options=digest_options(self.services.settings),
            on_enqueued=self.wake_sender,
        )
        if report.chats:
            log.info(
                "digests: %d chats due, %d queued, %d empty",
                report.chats,
                report.sent,
                report.empty,
            )
        for error in report.errors:
            log.warning("digest: %s", error)
        # Also here, every tick: news held by the window or a pause is due without new articles.
        await self.follow_tick()
        return report

    async def run_sender(self, stop: asyncio.Event) -> None:
        """Send the outbox while this process holds the sender role (others stand by)."""
        if self.sender is not None:
            await serve_role(self.services.engine, "newsdigest-sender", self.sender.run, stop)


def build_pipeline(
    services: Services, *, bot: Bot | None, pace: RateLimiter | None = None
) -> Pipeline:
    """Wire ingestion → alert matching → outbox → sender; ``bot`` None means no sending here.

    ``pace`` is the process's shared global pace (see telegram_transport.SharedPaceLimiter).
    """
    sender = (
        OutboxSender(services.sessionmaker, TelegramTransport(bot), limiter=pace)
        if bot is not None
        else None
    )
    matcher = AlertMatcher(services.sessionmaker, on_enqueued=sender.wake if sender else None)

    async def feed_broken(feed_id: int, message: str) -> None:
        queued = await queue_feed_broken_notices(
            services.sessionmaker, feed_id, message, now=utcnow()
        )
        if queued and sender is not None:
            sender.wake()

    ingestor = Ingestor(
        services.sessionmaker,
        services.fetcher,
        services.summarizer,
        services.ingest,
        on_new_articles=matcher.handle_new_articles,
        on_feed_broken=feed_broken,
    )
    return Pipeline(services, ingestor, matcher, sender)
