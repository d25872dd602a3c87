"""kill -9 the real `newsdigest ingest` and `newsdigest worker` at chosen points, rerun, count.

Each run is the real command line in a process of its own (forked from one preloaded process,
see tests/crashpoint.py) against a real database and the local feed server, and kills itself
with SIGKILL at the N-th call of a named function. After the last crash a clean run must leave
every article stored once and every alert and feed-broken notice owed queued once, and the
sender must deliver every message, a second time only the one in flight at a kill.
"""

from __future__ import annotations

import os
import signal
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.emulator import DEFAULT_TOKEN, BotApiEmulator
from store import deliveries
from store.database import create_engine, create_sessionmaker
from store.models import Article, Chat, Delivery, DeliveryKind, DeliveryStatus, FeedEntry, utcnow
from tests.crash_news import (
    BROKEN_FEED_READERS,
    ENTRIES,
    Count,
    count_outcome,
    environment,
    expected_alerts,
    migrated,
    set_up,
)
from tests.crashpoint import CommandServer, Finished, KillAt
from tests.feedserver import FeedServer

# The crashes, in order: each run dies at its point, the next starts from what it left. Every
# counted function is called only for new work, so each point falls where its comment says.
INGEST_CRASHES = (
    # The broken feed is marked broken (committed), its notices not yet queued.
    KillAt("store.feeds:subscriber_chat_ids", 1, "before"),
    # The 7th new entry's article and feed entry written, the transaction not committed.
    KillAt("store.articles:link_entry", 7, "after"),
    # In the summarizer's thread, as the 4th summary starts.
    KillAt("summarizer:summarize", 4, "before"),
    # Between two entries: three committed (none of them matched yet), the next not begun.
    KillAt("jobs.ingest:Ingestor._full_text", 4, "before"),
    # A page fetched and extracted, its article not yet summarized or stored.
    KillAt("jobs.ingest:fetch_article_page", 5, "after"),
    # Every entry stored; the feed's success written, not committed; its new entries unmatched.
    KillAt("store.feeds:record_fetch_success", 1, "after"),
    # Matching what the last run left: an alert's outbox row written, not committed.
    KillAt("store.deliveries:enqueue", 5, "after"),
    # Matching again: a third article's alerts and its cleared mark committed.
    KillAt("jobs.alerts:AlertMatcher._queue", 3, "after"),
)


@pytest.fixture(scope="module")
def commands(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CommandServer]:
    server = CommandServer(tmp_path_factory.mktemp("runs"))
    try:
        yield server
    finally:
        server.close()


def died_at(point: KillAt, finished: Finished) -> str:
    return f"the run was to die {point}, and ended with {finished.code}:\n{finished.output[-3000:]}"


@dataclass(frozen=True, slots=True)
class Left:
    """What a crash left for the next run: stored articles, queued alerts, entries owed matching."""

    articles: int
    alerts: int
    pending: int


async def left_behind(database_url: str) -> Left:
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            articles = await session.scalar(select(func.count()).select_from(Article))
            alerts = await session.scalar(
                select(func.count())
                .select_from(Delivery)
                .where(Delivery.kind == DeliveryKind.ALERT)
            )
            pending = await session.scalar(
                select(func.count()).select_from(FeedEntry).where(FeedEntry.alerts_pending)
            )
    finally:
        await engine.dispose()
    return Left(articles or 0, alerts or 0, pending or 0)


# Sixty entries through extraction and the summarizer cost a few CPU seconds a database: the
# suite runs SQLite; tests/benchmarks/bench_ingest_crash.py runs random points on both.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_ingest_killed_at_eight_points_loses_and_doubles_nothing(
    commands: CommandServer, database_url: str, tmp_path: Path
) -> None:
    env = environment(database_url, tmp_path)
    left: list[Left] = []
    with FeedServer() as server:
        await set_up(database_url, server)
        # Runs after the first take --all: a killed run leaves its feeds leased for 10 minutes
        # (so that another worker may take them over), and --all stands for those minutes.
        argv: Sequence[str] = ["ingest", "--once"]
        for point in INGEST_CRASHES:
            finished = await commands.run(argv, env, kill_at=point)
            assert finished.killed, died_at(point, finished)
            left.append(await left_behind(database_url))
            argv = ["ingest", "--once", "--all"]
        last = await commands.run(argv, env)
        assert last.code == 0 and "Traceback" not in last.output, last.output
        again = await commands.run(argv, env)
        assert "0 new articles" in again.output, again.output

    # Each crash left work undone for the next run, as its comment says: storing went on
    # crash after crash, then every entry was stored but not matched, then matching went on.
    stored = [step.articles for step in left]
    assert stored[:5] == sorted(set(stored[:5])) and stored[4] < ENTRIES, left
    assert stored[5] == ENTRIES and left[5].pending > 0, left
    assert left[6].alerts < left[7].alerts < len(expected_alerts()), left
    assert left[7].pending > 0, left

    outcome = await count_outcome(database_url)
    assert outcome.articles == Count(ENTRIES, lost=0, doubled=0)
    assert (outcome.summaries, outcome.stories) == (ENTRIES, ENTRIES)
    assert outcome.alerts == Count(len(expected_alerts()), lost=0, doubled=0)
    assert outcome.unexpected_alerts == ()
    assert outcome.notices == Count(len(BROKEN_FEED_READERS), lost=0, doubled=0)
    assert (outcome.notices_owed, outcome.still_pending) == (0, 0)


# --- the sending side -----------------------------------------------------------------------------

READERS = 30
# Each kill comes between Telegram accepting a message and "sent" being committed: the one
# window the README documents, so each costs exactly one message sent twice.
SENDER_CRASHES = (
    KillAt("store.deliveries:mark_sent", 6, "before"),
    KillAt("store.deliveries:mark_sent", 9, "before"),
    # And one after claiming a batch as "sending", before anything went out: costs nothing.
    KillAt("store.deliveries:claim_due", 1, "after"),
)
DOUBLED_BY_CRASHES = 2


async def queue_alerts(database_url: str, chat_ids: Sequence[int]) -> None:
    """One alert owed to each chat, as matching leaves them in the outbox."""
    engine = await migrated(database_url)
    now = utcnow()
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            session.add_all(Chat(id=chat_id) for chat_id in chat_ids)
            await session.flush()
            for chat_id in chat_ids:
                await deliveries.enqueue(
                    session,
                    chat_id=chat_id,
                    kind=DeliveryKind.ALERT,
                    item_key=f"article:{chat_id}",
                    payload={"text": f"<b>Alert</b> for {chat_id}", "preview": False},
                    now=now,
                )
    finally:
        await engine.dispose()


async def statuses(database_url: str) -> Counter[DeliveryStatus]:
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            return Counter(await session.scalars(select(Delivery.status)))
    finally:
        await engine.dispose()


async def test_sender_killed_mid_send_repeats_at_most_the_message_in_flight(
    commands: CommandServer, database_url: str, tmp_path: Path
) -> None:
    # Flood control off: the pace is not what is tested, and a resent message would otherwise
    # meet its chat's one-a-second limit and wait out a 429.
    async with BotApiEmulator(limits=None) as emulator:
        readers = [emulator.create_user(f"Reader {n}").id for n in range(READERS)]
        await queue_alerts(database_url, readers)
        env = environment(
            database_url,
            tmp_path,
            NEWSDIGEST_TELEGRAM_TOKEN=DEFAULT_TOKEN,
            NEWSDIGEST_TELEGRAM_API_URL=emulator.base_url,
        )
        for point in SENDER_CRASHES:
            finished = await commands.run(["worker"], env, kill_at=point)
            assert finished.killed, died_at(point, finished)

        def received() -> Counter[int]:
            return Counter(
                int(call.params["chat_id"])
                for call in emulator.calls_to("sendMessage")
                if call.status == 200
            )

        log = commands.launch(["worker"], env)
        try:
            await emulator.wait_until(lambda: len(received()) == READERS, timeout=120)
        finally:
            # The worker we started stops as a service is stopped (also when the wait failed).
            assert commands.pid is not None
            os.kill(commands.pid, signal.SIGTERM)
            last = await commands.finish(log)
        assert last.code == 0 and "Traceback" not in last.output, last.output

    per_chat = received()
    lost = READERS - len(per_chat)
    doubled = sum(n - 1 for n in per_chat.values())
    assert (lost, doubled) == (0, DOUBLED_BY_CRASHES)
    # The ones sent twice were in flight at a kill: the 6th, then the 9th after the restart
    # (the requeued rows go out in their order, the interrupted one first).
    assert [chat for chat, n in per_chat.items() if n > 1] == [readers[5], readers[5 + 8]]
    assert await statuses(database_url) == Counter({DeliveryStatus.SENT: READERS})
