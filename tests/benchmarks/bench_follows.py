"""The follow job's cost per tick (it runs after every ingest tick and every digest tick).

Run from the repository root: ``python -m tests.benchmarks.bench_follows [--chats N]``.

A SQLite database (in a temporary folder) with ``--chats`` chats following 20 stories each,
drawn from a pool of stories of 5 copies (each with 3 figures and 4 names, as summaries
have). Timed: a tick with nothing new (the steady state) and a tick after a new copy joined
a tenth of the stories (updates queued).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from jobs.follows import FollowOptions, send_story_updates
from jobs.story_news import snapshot
from store import follows as follow_store
from store import migrate
from store.database import create_engine, create_sessionmaker
from store.models import Article, Chat, Feed, FeedEntry, StoryFollow, Summary, utcnow

FOLLOWS_PER_CHAT = 20
COPIES = 5


def _summary(article_id: int, rng: random.Random) -> Summary:
    return Summary(
        article_id=article_id,
        figures=[
            {"text": f"{rng.randint(1, 999)}", "value": 1.0 * n, "unit": None, "kind": "count",
             "about": about}
            for n, about in enumerate(("jobs", "people", "homes"))
        ],
        entities=[{"text": f"Name {rng.randint(1, 99)}", "kind": "person", "mentions": 1}
                  for _ in range(4)],
        method="news",
        summarizer_version="bench",
    )  # fmt: skip


async def build(url: str, chats: int, stories: int, rng: random.Random) -> None:
    engine = create_engine(url)
    await migrate.upgrade(engine)
    now = utcnow() - timedelta(hours=1)
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker() as session, session.begin():
        feeds = [
            Feed(url=f"https://outlet{n}.example/feed", title=f"Outlet {n}")
            for n in range(COPIES + 1)
        ]
        session.add_all(feeds)
        session.add_all(Chat(id=n + 1) for n in range(chats))
        await session.flush()
        for story in range(stories):
            for copy in range(COPIES):
                article = Article(canonical_url=f"https://o.example/{story}/{copy}", title=f"Story {story}",
                                  story_key=f"k{story}", fetched_at=now)  # fmt: skip
                session.add(article)
                await session.flush()
                session.add(FeedEntry(feed_id=feeds[copy].id, guid=f"{story}-{copy}", article_id=article.id, seen_at=now))  # fmt: skip
                session.add(_summary(article.id, rng))
        await session.flush()
        copies = await follow_store.story_copies(session, [f"k{n}" for n in range(stories)])
        for chat in range(chats):
            for key in rng.sample(range(stories), FOLLOWS_PER_CHAT):
                session.add(StoryFollow(chat_id=chat + 1, story_key=f"k{key}", title=f"Story {key}",
                                        started_at=now, **_known(snapshot(copies[f"k{key}"]))))  # fmt: skip
    await engine.dispose()


def _known(known: dict[str, list[object]]) -> dict[str, list[object]]:
    return {f"known_{name}": value for name, value in known.items()}


async def add_news(url: str, stories: int, rng: random.Random) -> None:
    engine = create_engine(url)
    async with create_sessionmaker(engine)() as session, session.begin():
        for story in range(0, stories, 10):
            article = Article(canonical_url=f"https://o.example/{story}/new", title="New", story_key=f"k{story}", fetched_at=utcnow())  # fmt: skip
            session.add(article)
            await session.flush()
            session.add(FeedEntry(feed_id=COPIES + 1, guid=f"{story}-new", article_id=article.id))
            session.add(_summary(article.id, rng))
    await engine.dispose()


async def tick(url: str) -> tuple[float, int]:
    engine = create_engine(url)
    try:
        started = time.perf_counter()
        report = await send_story_updates(
            create_sessionmaker(engine), now=utcnow(), options=FollowOptions()
        )
        return time.perf_counter() - started, report.updates
    finally:
        await engine.dispose()


async def main(chats: int, stories: int) -> None:
    rng = random.Random(20261203)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        await build(url, chats, stories, rng)
        quiet, _ = await tick(url)
        await add_news(url, stories, rng)
        busy, updates = await tick(url)
    follows = chats * FOLLOWS_PER_CHAT
    print(f"{follows} follows of {stories} stories ({COPIES} copies each), SQLite:")
    print(f"  tick with nothing new: {quiet:.2f} s")
    print(f"  tick after news in a tenth of the stories: {busy:.2f} s, {updates} updates queued")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=500)
    parser.add_argument("--stories", type=int, default=1000)
    args = parser.parse_args()
    asyncio.run(main(args.chats, args.stories))
