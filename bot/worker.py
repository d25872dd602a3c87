"""The scheduler of `newsdigest worker` and `newsdigest ingest`: APScheduler running the pipeline."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from datetime import UTC, datetime
from types import TracebackType

from apscheduler.executors.asyncio import AsyncIOExecutor
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from telegram import Bot

from bot.pipeline import DIGEST_TICK_SECONDS, INGEST_TICK_SECONDS, Pipeline
from bot.startup import connect_bot

log = logging.getLogger(__name__)


def schedule_pipeline(scheduler: AsyncIOScheduler, pipeline: Pipeline, *, deliver: bool) -> None:
    # Stable job ids; max_instances=1 so a slow tick is never overlapped by the next one; the
    # first tick runs now rather than a whole interval after start.
    common = {"max_instances": 1, "coalesce": True, "next_run_time": datetime.now(UTC)}
    scheduler.add_job(
        pipeline.ingest_tick,
        "interval",
        seconds=INGEST_TICK_SECONDS,
        id="ingest",
        **common,
    )
    if deliver:
        scheduler.add_job(
            pipeline.digest_tick,
            "interval",
            seconds=DIGEST_TICK_SECONDS,
            id="digests",
            **common,
        )


class StoppableExecutor(AsyncIOExecutor):  # type: ignore[misc]  # APScheduler 3 is untyped
    """APScheduler's asyncio executor, for which a tick cancelled by shutdown is no error.

    Its shutdown cancels running and just-submitted jobs and logs each cancellation as a job
    failure with a traceback. Stopping mid-tick is safe by design (every step commits its own
    state and the next tick picks up what is left), so it is a line in the log instead.
    """

    def _run_job_error(
        self, job_id: str, exc: BaseException, traceback: TracebackType | None = None
    ) -> None:
        if isinstance(exc, asyncio.CancelledError):
            log.info(
                "%s tick stopped by shutdown; the next start goes on from the database", job_id
            )
            self._run_job_success(job_id, [])  # counts the running instance down, as for success
            return
        super()._run_job_error(job_id, exc, traceback)


async def run_worker(pipeline: Pipeline, *, deliver: bool, bot: Bot | None = None) -> None:
    """Run ingestion (and, with ``deliver``, digests and sending) until SIGINT or SIGTERM."""
    scheduler = AsyncIOScheduler(timezone=UTC, executors={"default": StoppableExecutor()})
    schedule_pipeline(scheduler, pipeline, deliver=deliver)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    sender: asyncio.Task[None] | None = None
    try:
        if bot is not None and not await _connect(bot, pipeline, stop):
            return  # stopped while the Bot API was out of reach
        scheduler.start()
        if deliver and pipeline.sender is not None:
            sender = asyncio.create_task(pipeline.run_sender(stop))
        log.info(
            "worker running (%s); Ctrl-C to stop", "ingest and deliver" if deliver else "ingest"
        )
        await stop.wait()
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=False)
        if sender is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await sender
        if bot is not None:
            await bot.shutdown()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


async def _connect(bot: Bot, pipeline: Pipeline, stop: asyncio.Event) -> bool:
    settings = pipeline.services.settings
    assert settings.telegram_token is not None  # a bot is only built from a token
    return await connect_bot(bot, settings.telegram_token, settings.telegram_api_url, stop=stop)
