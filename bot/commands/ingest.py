"""`newsdigest ingest`: fetch the due feeds once (with a progress bar) or keep doing it."""

from __future__ import annotations

import argparse
import asyncio
import sys

from tqdm import tqdm

from bot.pipeline import build_pipeline
from bot.services import services_for
from bot.settings import Settings
from bot.worker import run_worker
from jobs.ingest import FeedOutcome, TickReport
from jobs.plurals import counted
from store import feeds as feed_store
from store.models import utcnow


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--once", action="store_true", help="fetch the feeds that are due now, then exit"
    )
    parser.add_argument(
        "--all", action="store_true", help="with --once: fetch every enabled feed, due or not"
    )
    parser.add_argument(
        "--workers", type=int, default=1, metavar="N", help="summarizer processes (default 1)"
    )


def summary_line(report: TickReport) -> str:
    line = (
        f"{counted(report.feeds, 'feed', 'feeds')} fetched: "
        f"{counted(report.new, 'new article', 'new articles')}, {report.updated} updated, "
        f"{report.not_modified} unchanged, {counted(report.errors, 'error', 'errors')}"
    )
    if report.entry_errors:
        line += f", {counted(report.entry_errors, 'entry', 'entries')} not stored (see the log)"
    return line


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    async with services_for(
        settings, summarizer_workers=max(1, args.workers), summarizer_processes=args.workers > 1
    ) as services:
        pipeline = build_pipeline(services, bot=None)
        async with services.sessionmaker() as session, session.begin():
            if args.all:
                await feed_store.make_all_due(session, now=utcnow())
            due = await feed_store.count_due_feeds(session, now=utcnow())
        if not args.once:
            await run_worker(pipeline, deliver=False)
            return 0
        bar = tqdm(total=due, desc="feeds", unit="feed", file=sys.stderr, disable=None)
        new = 0
        errors: list[FeedOutcome] = []

        def progress(outcome: FeedOutcome) -> None:
            nonlocal new
            new += outcome.new
            if outcome.error:
                errors.append(outcome)
            bar.update(1)
            bar.set_postfix(new=new, errors=len(errors), refresh=False)

        report = await pipeline.ingestor.run_tick(progress=progress)
        bar.close()
        # Followed stories' updates are queued like alerts, for the sender (run, worker).
        await pipeline.follow_tick()
        for outcome in errors:
            print(f"  {outcome.url}: {outcome.error}", file=sys.stderr)
        print(summary_line(report))
        return 1 if report.errors and report.errors == report.feeds else 0


def run(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_run(args, settings))
