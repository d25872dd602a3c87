"""Ingestion throughput from the local feed server: articles/s through the whole pipeline, feeds/s on 304s.

Run from the repository root: ``python -m tests.benchmarks.bench_ingest`` (200 feeds × 20 entries;
``--db postgresql`` for PostgreSQL, ``--feeds 40`` for a quick run, ``--pages template`` for pages
that are all near-duplicates of one story).

Each feed's entries are teasers linking to full-text pages (distinct stories), so every entry
goes through fetch, extraction, duplicate checks, story grouping, summarizing in worker processes
and storage. The first pass over a new feed is its backlog: speed is the same, only alerts differ.
The second pass polls every feed again and every feed answers 304 Not Modified.

Rows, each on a fresh database and measured in the same run:

- ours: ``IngestOptions()`` (8 feeds at a time), summarizer in ``--summarizer-processes`` processes;
- the same with one summarizer process;
- the baseline: the same pipeline one feed at a time (``IngestOptions(concurrency=1)``), on
  ``--compare-feeds`` feeds (rates per second are comparable across feed counts).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import os
import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from multiprocessing.connection import Connection
from pathlib import Path

from sqlalchemy import func, select

from jobs.fetch import FetchPolicy, SafeFetcher
from jobs.ingest import IngestOptions, Ingestor
from jobs.summarizing import SummarizerPool
from store import feeds as feed_store
from store.database import create_engine, create_sessionmaker
from store.models import Article, Summary, utcnow
from tests.benchmarks._common import machine_facts, print_table, scratch_database
from tests.feedserver import FeedServer

INTERVAL = 900
TARGET_ARTICLES = 10.0
TARGET_FEEDS = 200.0


@dataclass(frozen=True, slots=True)
class IngestResult:
    name: str
    feeds: int
    processes: int
    concurrency: int
    articles: int
    summarized: int
    seconds: float
    repoll_feeds: int
    repoll_seconds: float
    cpu_seconds: float  # first pass: this process (all threads) and the summarizer processes

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds

    @property
    def cpu_ms_per_article(self) -> float:
        return 1000 * self.cpu_seconds / self.articles

    @property
    def feeds_per_second(self) -> float:
        return self.repoll_feeds / self.repoll_seconds


def _serve_feeds(entries: int, distinct: bool, conn: Connection) -> None:
    with FeedServer(bench_entries=entries, bench_distinct_stories=distinct) as server:
        conn.send(server.base_url)
        conn.recv()  # until the benchmark says stop


@contextmanager
def feed_server_process(entries: int, *, distinct: bool) -> Iterator[str]:
    """The feed server in a process of its own, as real feeds are elsewhere: in this process its
    handler threads would compete with the event loop for the GIL and slow ingestion down."""
    ours, theirs = multiprocessing.Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=_serve_feeds, args=(entries, distinct, theirs), daemon=True
    )
    process.start()
    try:
        yield str(ours.recv())
    finally:
        ours.send("stop")
        process.join(timeout=10)


def worker_cpu_seconds(pool: SummarizerPool) -> float:
    """CPU time used so far by the pool's worker processes, from /proc (Linux)."""
    # The executor keeps its worker processes in a private attribute; the benchmark only reads
    # their pids, so that CPU cost per article can be told apart from waiting.
    processes = getattr(pool._executor, "_processes", None) or {}
    total = 0.0
    for pid in processes:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


async def ingest_run(
    name: str,
    base_url: str,
    *,
    db: str,
    feeds: int,
    processes: int,
    concurrency: int,
) -> IngestResult:
    """Ingest ``feeds`` new feeds on a fresh database, then poll them all again (all 304)."""
    print(f"{name}: {feeds} feeds, {processes} summarizer processes, {concurrency} at a time ...")
    pool = SummarizerPool(workers=processes, processes=True)
    await pool.warm_up()  # model loading is start-up cost, not throughput
    async with scratch_database(db) as url:
        engine = create_engine(url)
        sessionmaker = create_sessionmaker(engine)
        start = utcnow()
        async with sessionmaker() as session, session.begin():
            for feed in range(feeds):
                await feed_store.add_feed(
                    session,
                    f"{base_url}/bench/feed/{feed}.xml",
                    now=start,
                    interval_seconds=INTERVAL,
                )
        # Every feed is served from 127.0.0.1, but stands for a site of its own: the per-host cap
        # would otherwise measure one very busy site instead of a feed list.
        policy = FetchPolicy(
            allow=("127.0.0.1",), total_timeout=30.0, read_timeout=20.0, per_host=concurrency
        )
        try:
            async with SafeFetcher(policy) as fetcher:
                ingestor = Ingestor(
                    sessionmaker,
                    fetcher,
                    pool,
                    IngestOptions(concurrency=concurrency),
                    rng=random.Random(7),
                )
                cpu_before = time.process_time() + worker_cpu_seconds(pool)
                started = time.perf_counter()
                first = await ingestor.run_tick(now=start)
                seconds = time.perf_counter() - started
                cpu_seconds = time.process_time() + worker_cpu_seconds(pool) - cpu_before
                started = time.perf_counter()
                # Every feed is due again two intervals later, whatever its jitter.
                second = await ingestor.run_tick(now=start + timedelta(seconds=2 * INTERVAL))
                repoll_seconds = time.perf_counter() - started
            async with sessionmaker() as session:
                articles = await session.scalar(select(func.count()).select_from(Article))
                summarized = await session.scalar(select(func.count()).select_from(Summary))
        finally:
            await engine.dispose()
            pool.close()
    if first.errors or second.errors:
        print(f"  errors: first pass {first.errors}, second pass {second.errors}")
    if second.not_modified != feeds:
        print(f"  only {second.not_modified} of {feeds} feeds answered 304 on the second pass")
    return IngestResult(
        name,
        feeds,
        processes,
        concurrency,
        int(articles or 0),
        int(summarized or 0),
        seconds,
        second.not_modified,
        repoll_seconds,
        cpu_seconds,
    )


async def run(args: argparse.Namespace) -> list[IngestResult]:
    default = IngestOptions().concurrency
    # (row name, feeds, summarizer processes, feeds at once)
    runs = [("ours", args.feeds, args.summarizer_processes, default)]
    if args.compare_feeds and args.summarizer_processes != 1:
        runs.append(("ours, 1 summarizer process", args.compare_feeds, 1, default))
    if args.compare_feeds:
        runs.append(
            ("baseline: one feed at a time", args.compare_feeds, args.summarizer_processes, 1)
        )
    distinct = args.pages == "distinct"
    with feed_server_process(args.entries, distinct=distinct) as base_url:
        return [
            await ingest_run(
                name,
                base_url,
                db=args.db,
                feeds=feeds,
                processes=processes,
                concurrency=concurrency,
            )
            for name, feeds, processes, concurrency in runs
        ]


def report(args: argparse.Namespace, results: Sequence[IngestResult]) -> None:
    print()
    print(machine_facts())
    print(
        f"database: {args.db}; {args.entries} entries a feed, each a teaser with a full-text page"
    )
    print_table(
        [
            "run",
            "feeds",
            "summ. procs",
            "feeds at once",
            "articles",
            "summarized",
            "seconds",
            "articles/s",
            "CPU ms/article",
            "304 feeds",
            "re-poll s",
            "feeds/s (304)",
        ],
        [
            (
                r.name,
                r.feeds,
                r.processes,
                r.concurrency,
                r.articles,
                r.summarized,
                r.seconds,
                f"{r.articles_per_second:.2f}",
                f"{r.cpu_ms_per_article:.0f}",
                r.repoll_feeds,
                f"{r.repoll_seconds:.2f}",
                f"{r.feeds_per_second:.0f}",
            )
            for r in results
        ],
    )
    print(
        f"CPU ms/article: this process and the summarizer processes, first pass; "
        f"{os.cpu_count()} free cores could do at most {os.cpu_count() or 1} × 1000 / that."
    )
    print(
        f"targets: ≥ {TARGET_ARTICLES:g} articles/s full pipeline, "
        f"≥ {TARGET_FEEDS:g} feeds/s unchanged re-poll"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--summarizer-processes", type=int, default=2)
    parser.add_argument(
        "--pages",
        choices=("distinct", "template"),
        default="distinct",
        help="full-text pages as distinct stories, or one template (all near-duplicates)",
    )
    parser.add_argument(
        "--compare-feeds",
        type=int,
        default=50,
        help="feeds for the 1-process and one-at-a-time rows (0 skips them)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    report(args, asyncio.run(run(args)))


if __name__ == "__main__":
    main()
