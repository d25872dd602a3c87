"""kill -9 the real `newsdigest ingest` as it queues a followed story's update: told once.

The update and the follow's new snapshot are one transaction (jobs/follows.py): a run killed
before its commit leaves neither, and the next run queues the update from the stored copies;
a run killed after it leaves the row, which no later run queues again.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jobs.follows import follow_article
from store import feeds as feed_store
from store.database import create_sessionmaker
from store.models import Article, Chat, Delivery, DeliveryKind, StoryFollow, utcnow
from tests.crash_news import environment, migrated
from tests.crashpoint import CommandServer, KillAt
from tests.feedserver import FeedServer, Route

TEXT = (
    "The port authority said on Tuesday that {jobs} jobs would go at the container terminal "
    "in Hull, as the new cranes arrive from Rotterdam next spring. The terminal handles most of "
    "the timber and steel shipped across the North Sea, and dock workers have staged two short "
    "strikes since the plan was first reported in the local papers. The union said it would "
    "ballot its members again before the end of the year, while the authority promised "
    "retraining for anyone who wished to stay on at the port after the cranes are installed. "
    "{extra}"
)


def feed(title: str, items: list[tuple[str, str]]) -> bytes:
    body = "".join(
        f"<item><title>Hull terminal to cut jobs</title><link>{link}</link><guid>{link}</guid>"
        f"<description>{text}</description></item>"
        for link, text in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{body}'
        "</channel></rss>"
    ).encode()


@pytest.fixture(scope="module")
def commands(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CommandServer]:
    server = CommandServer(tmp_path_factory.mktemp("runs"))
    try:
        yield server
    finally:
        server.close()


async def _state(database_url: str) -> tuple[int, list[Delivery], StoryFollow]:
    engine = await migrated(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            articles = await session.scalar(select(func.count()).select_from(Article))
            updates = list(
                await session.scalars(select(Delivery).where(Delivery.kind == DeliveryKind.UPDATE))
            )
            follow = await session.scalar(select(StoryFollow))
    finally:
        await engine.dispose()
    assert follow is not None
    return articles or 0, updates, follow


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_ingest_killed_around_queueing_an_update_tells_it_once(
    commands: CommandServer, database_url: str, tmp_path: Path
) -> None:
    env = environment(database_url, tmp_path)
    with FeedServer() as server:
        courier = server.url("/hull/courier/1.html")
        server.route(
            "/courier.xml",
            Route(feed("Hull Courier", [(courier, TEXT.format(jobs="300", extra=""))])),
        )
        server.route("/wire.xml", Route(feed("Dock Wire", [])))
        engine = await migrated(database_url)
        try:
            async with create_sessionmaker(engine)() as session, session.begin():
                for path in ("/courier.xml", "/wire.xml"):
                    await feed_store.add_feed(
                        session, server.url(path), now=utcnow(), interval_seconds=900
                    )
                session.add(Chat(id=1))
            first = await commands.run(["ingest", "--once"], env)
            assert first.code == 0 and "1 new article" in first.output, first.output
            async with create_sessionmaker(engine)() as session, session.begin():
                article = await session.scalar(select(Article))
                assert article is not None
                await follow_article(session, 1, article, now=utcnow(), per_chat=20)
        finally:
            await engine.dispose()

        wire = server.url("/hull/wire/1.html")
        copy = TEXT.format(jobs="450", extra="Harbour master Ruth Okafor called it a sad day.")
        server.route("/wire.xml", Route(feed("Dock Wire", [(wire, copy)])))
        argv = ["ingest", "--once", "--all"]
        # Killed with the update's row written, before its commit: neither it nor the snapshot.
        before_commit = KillAt("store.deliveries:enqueue", 1, "after")
        killed = await commands.run(argv, env, kill_at=before_commit)
        assert killed.killed, killed.output
        articles, updates, follow = await _state(database_url)
        assert (articles, updates, follow.last_update_at) == (2, [], None)

        # Killed once the follow tick has committed: the row is there, for the sender.
        after_commit = KillAt("bot.pipeline:Pipeline.follow_tick", 1, "after")
        killed = await commands.run(argv, env, kill_at=after_commit)
        assert killed.killed, killed.output
        last = await commands.run(argv, env)
        assert last.code == 0 and "Traceback" not in last.output, last.output

    articles, updates, follow = await _state(database_url)
    assert articles == 2
    [update] = updates
    assert follow.last_update_at is not None
    assert "1 new outlet: Dock Wire" in update.payload["text"]
    assert "New figure: 450 jobs, was 300" in update.payload["text"]
    assert "Ruth Okafor" in update.payload["text"]
