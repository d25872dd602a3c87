"""Digest composition speed: queue the digests of 10,000 due chats, against composing each chat alone.

Run from the repository root: ``python -m tests.benchmarks.bench_digest_compose`` (``--db
postgresql`` for PostgreSQL, ``--chats`` and ``--profiles`` to change the mix).

The data is synthetic and seeded: ``--feeds`` feeds, ``--articles`` summarized articles from the
last day (some stories carried by several outlets), and chats drawn from ``--profiles`` reader
profiles (a feed set, a digest style and a time zone), as readers of a bot cluster around a few
popular combinations. Every chat is due now.

- ours: ``queue_due_digests``, which composes once per (feeds, since, style) and queues every
  chat's messages in the outbox and moves its schedule on;
- baseline, in the same run: ``compose_for_chat`` for each chat alone (what /digest does), on
  ``--baseline-chats`` chats; it only composes (no outbox rows, no schedule), so it does less.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.digests import compose_for_chat, queue_due_digests
from store.database import create_engine, create_sessionmaker
from store.models import Article, Chat, Delivery, Feed, FeedEntry, Subscription, Summary, utcnow
from tests.benchmarks._common import machine_facts, print_table, scratch_database

SEED = 20261129
TARGET = 300.0
TIMEZONES = ("Europe/Berlin", "UTC", "America/New_York", "Asia/Kolkata", "Europe/London")
# Stories carried by more than one outlet: this share of articles copies an earlier story.
SHARED_STORY_SHARE = 0.25
WINDOW = timedelta(hours=48)


@dataclass(frozen=True, slots=True)
class Profile:
    feeds: tuple[int, ...]
    items: int
    summary_sentences: int
    show_entities: bool
    show_figures: bool
    timezone: str


async def populate(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    feeds: int,
    articles: int,
    chats: int,
    profiles: int,
    rng: random.Random,
) -> None:
    now = utcnow()
    async with sessionmaker() as session, session.begin():
        feed_ids = list(
            await session.scalars(
                insert(Feed).returning(Feed.id, sort_by_parameter_order=True),
                [
                    {"url": f"https://outlet{n}.example/feed", "title": f"Outlet {n}"}
                    for n in range(feeds)
                ],
            )
        )
        article_rows = []
        for n in range(articles):
            story = f"s{rng.randrange(n)}" if n and rng.random() < SHARED_STORY_SHARE else f"s{n}"
            article_rows.append(
                {
                    "canonical_url": f"https://news.example/{n}",
                    "feed_id": rng.choice(feed_ids),
                    "title": f"Council approves plan {n} for the harbour & the north pier",
                    "text": "text",
                    "story_key": story,
                    "fetched_at": now - timedelta(minutes=rng.randrange(24 * 60)),
                    "is_backlog": False,
                }
            )
        article_ids = list(
            await session.scalars(
                insert(Article).returning(Article.id, sort_by_parameter_order=True), article_rows
            )
        )
        await session.execute(
            insert(FeedEntry),
            [
                {"feed_id": row["feed_id"], "guid": f"g{article_id}", "article_id": article_id}
                for article_id, row in zip(article_ids, article_rows, strict=True)
            ],
        )
        await session.execute(
            insert(Summary),
            [
                {
                    "article_id": article_id,
                    "sentences": [
                        f"The council voted {article_id % 9 + 3} to 2 for plan {article_id}.",
                        "Works start in spring and should end within two years.",
                        "Residents asked about noise and traffic during the works.",
                    ],
                    "entities": [
                        {"text": "Harbour Council", "label": "organisation", "mentions": 3},
                        {"text": "Anna Berg", "label": "person", "mentions": 2},
                    ],
                    "figures": [{"text": "€12 million", "value": 1.2e7, "about": "cost"}],
                    "method": "news",
                    "summarizer_version": "bench",
                }
                for article_id in article_ids
            ],
        )
        mix = [
            Profile(
                tuple(sorted(rng.sample(feed_ids, rng.randint(3, min(12, len(feed_ids)))))),
                rng.choice((5, 8, 10)),
                rng.choice((1, 2, 3)),
                rng.random() < 0.7,
                rng.random() < 0.5,
                rng.choice(TIMEZONES),
            )
            for _ in range(profiles)
        ]
        # Popular profiles are much more common than rare ones (a Zipf-like draw).
        weights = [1 / rank for rank in range(1, profiles + 1)]
        chosen = rng.choices(mix, weights=weights, k=chats)
        last_digest = now - timedelta(hours=24)
        await session.execute(
            insert(Chat),
            [
                {
                    "id": 100_000 + n,
                    "type": "private",
                    "timezone": profile.timezone,
                    "digest_schedule": "daily 08:00",
                    "next_digest_at": now - timedelta(minutes=1),
                    "last_digest_at": last_digest,
                    "items_per_digest": profile.items,
                    "summary_sentences": profile.summary_sentences,
                    "show_entities": profile.show_entities,
                    "show_figures": profile.show_figures,
                    "active": True,
                }
                for n, profile in enumerate(chosen)
            ],
        )
        await session.execute(
            insert(Subscription),
            [
                {"chat_id": 100_000 + n, "feed_id": feed_id}
                for n, profile in enumerate(chosen)
                for feed_id in profile.feeds
            ],
        )


async def compose_each(
    sessionmaker: async_sessionmaker[AsyncSession], limit: int
) -> tuple[int, int, float]:
    """The baseline: compose_for_chat per chat; returns (chats, non-empty digests, seconds)."""
    now = utcnow()
    async with sessionmaker() as session:
        chats = list(await session.scalars(select(Chat).order_by(Chat.id).limit(limit)))
        started = time.perf_counter()
        composed = 0
        for chat in chats:
            if await compose_for_chat(session, chat, now=now, window=WINDOW):
                composed += 1
        seconds = time.perf_counter() - started
    return len(chats), composed, seconds


async def run(args: argparse.Namespace) -> None:
    rng = random.Random(SEED)
    async with scratch_database(args.db) as url:
        engine = create_engine(url)
        sessionmaker = create_sessionmaker(engine)
        try:
            print(
                f"populating: {args.feeds} feeds, {args.articles} articles, {args.chats} chats "
                f"from {args.profiles} profiles ...",
                flush=True,
            )
            await populate(
                sessionmaker,
                feeds=args.feeds,
                articles=args.articles,
                chats=args.chats,
                profiles=args.profiles,
                rng=rng,
            )
            print("baseline: compose_for_chat per chat ...", flush=True)
            base_chats, base_digests, base_seconds = await compose_each(
                sessionmaker, args.baseline_chats
            )
            print("ours: queue_due_digests ...", flush=True)
            started = time.perf_counter()
            report = await queue_due_digests(sessionmaker)
            seconds = time.perf_counter() - started
            async with sessionmaker() as session:
                queued = await session.scalar(select(func.count()).select_from(Delivery))
        finally:
            await engine.dispose()
    print()
    print(machine_facts())
    print(
        f"database: {args.db}; {args.feeds} feeds, {args.articles} summarized articles in the "
        f"last day, {args.chats} chats from {args.profiles} profiles (feed set, style, time zone)"
    )
    print_table(
        [
            "run",
            "chats",
            "digests",
            "compositions",
            "outbox rows",
            "seconds",
            "digests/s",
            "ms/chat",
        ],
        [
            (
                "ours: queue_due_digests",
                report.chats,
                report.sent,
                report.compositions,
                int(queued or 0),
                seconds,
                f"{report.sent / seconds:,.0f}",
                f"{1000 * seconds / report.chats:.2f}",
            ),
            (
                "baseline: compose_for_chat each",
                base_chats,
                base_digests,
                base_chats,
                0,
                base_seconds,
                f"{base_digests / base_seconds:,.0f}",
                f"{1000 * base_seconds / base_chats:.2f}",
            ),
        ],
    )
    if report.errors:
        print(f"errors: {report.errors[:5]}")
    print(
        f"target: ≥ {TARGET:g} digests/s (faster than sending them at 30 messages/s needs ≥ 30/s)"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--profiles", type=int, default=20)
    parser.add_argument("--feeds", type=int, default=60)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--baseline-chats", type=int, default=2000)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
