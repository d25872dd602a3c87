"""The scheduler of `newsdigest worker` and `newsdigest ingest`: APScheduler running plain job functions."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.services import Services
from jobs.ingest import Ingestor, TickReport

log = logging.getLogger(__name__)

# How often a worker looks for due feeds; each feed still has its own interval.
INGEST_TICK_SECONDS = 30


def build_ingestor(services: Services) -> Ingestor:
    return Ingestor(services.sessionmaker, services.fetcher, services.summarizer, services.ingest)


async def ingest_tick(ingestor: Ingestor) -> TickReport:
    """Run one ingestion tick; a failure is logged and the next tick tries again."""
    report = await ingestor.run_tick()
    if report.feeds:
        log.info(
            "ingest: %d feeds, %d new, %d updated, %d unchanged, %d errors",
            report.feeds,
            report.new,
            report.updated,
            report.not_modified,
            report.errors,
        )
    return report


async def run_worker(services: Services, *, deliver: bool) -> None:
    """Run ingestion (and, with ``deliver``, delivery) on a schedule until SIGINT or SIGTERM."""
    ingestor = build_ingestor(services)
    scheduler = AsyncIOScheduler(timezone=UTC)
    # Stable job ids; max_instances=1 so a slow tick is never overlapped by the next one.
    scheduler.add_job(
        ingest_tick,
        "interval",
        args=[ingestor],
        seconds=INGEST_TICK_SECONDS,
        id="ingest",
        max_instances=1,
        coalesce=True,
        # The first tick runs now rather than a whole interval after start.
        next_run_time=datetime.now(UTC),
    )
    if deliver:
        log.info("delivery is not built yet; this worker ingests only")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    scheduler.start()
    log.info("worker running; Ctrl-C to stop")
    try:
        await stop.wait()
    finally:
        scheduler.shutdown(wait=False)
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
