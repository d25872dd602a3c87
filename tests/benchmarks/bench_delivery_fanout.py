"""Digest fan-out through the Bot API emulator: rate, 429s, lost and doubled, with and without a crash.

Run from the repository root: ``python -m tests.benchmarks.bench_delivery_fanout`` (10,000 chats,
about six minutes a pass; ``--chats 2000`` for a quick run, ``--db postgresql`` for PostgreSQL).

One digest per private chat is queued in the outbox; the emulator (in this process, Telegram's
default flood limits) receives them from the real sender (OutboxSender + TelegramTransport over
PTB's Bot) running in a separate process, as in production. Two passes:

1. the sender drains the outbox undisturbed;
2. the sender is killed with SIGKILL when half the chats have their digest, and a new one started.

Rate is messages received by the emulator from the first to the last. Lost = chats without their
digest, doubled = chats with it twice or more. The baseline, measured in the same run, is a plain
loop over PTB's ``send_message`` that waits out each 429 (what a bot without an outbox does).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import RetryAfter

from bot.emulator import DEFAULT_TOKEN, BotApiEmulator
from bot.telegram_transport import TelegramTransport
from jobs.digests import DigestItem, DigestStyle, render_digest
from jobs.outbox import OutboxSender
from store import deliveries
from store.database import create_engine, create_sessionmaker
from store.models import Chat, DeliveryKind, DeliveryStatus, utcnow
from tests.benchmarks._common import machine_facts, print_table, scratch_database

NOW = datetime(2026, 11, 29, 7, 0, tzinfo=UTC)
TARGET_RATE = 28.0
CEILING = 30.0
# With no message for this long the sender is taken to have stalled and the pass ends.
STALL_SECONDS = 30.0


def digest_text() -> str:
    """A realistic digest message (eight items, links, entities, figures) as the sender sends it."""
    items = [
        DigestItem(
            story_key=f"s{n}",
            title=f"Harbour council approves plan {n} for the north pier",
            url=f"https://news.example/{n}",
            source="The Coastal Gazette",
            also=("Wire", "Courier") if n % 3 == 0 else (),
            sentences=(
                f"The council voted {n + 5} to 2 for the plan on Monday.",
                "Works start in spring and should end within two years.",
            ),
            entities=({"text": "Harbour Council"}, {"text": "Anna Berg"}),
            figures=({"text": "€12 million", "about": "cost"},),
            score=1.0,
        )
        for n in range(8)
    ]
    style = DigestStyle(items=8, summary_sentences=2, show_entities=True, show_figures=True)
    [text] = render_digest(items, style, local_now=NOW)
    return text


# --- the sender process -------------------------------------------------------------------------


async def run_sender_child(database_url: str, api_url: str) -> None:
    """The sender as production runs it, until SIGTERM (or SIGKILL, which is the point)."""
    engine = create_engine(database_url)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    try:
        async with Bot(DEFAULT_TOKEN, base_url=api_url) as bot:
            sender = OutboxSender(create_sessionmaker(engine), TelegramTransport(bot))
            await sender.run(stop)
    finally:
        await engine.dispose()


async def start_sender(database_url: str, api_url: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.benchmarks.bench_delivery_fanout",
        "--sender-child",
        database_url,
        api_url,
        env={**os.environ, "PTB_TIMEDELTA": "true"},
    )


# --- the benchmark ------------------------------------------------------------------------------


class Tally:
    """What the emulator accepted, read incrementally from its call log."""

    def __init__(self, emulator: BotApiEmulator) -> None:
        self.emulator = emulator
        self.seen = 0
        self.times: list[float] = []
        self.per_chat: Counter[int] = Counter()

    def update(self) -> int:
        """Chats reached so far."""
        calls = self.emulator.calls
        for call in calls[self.seen :]:
            if call.method == "sendMessage" and call.status == 200:
                self.times.append(call.time)
                self.per_chat[int(call.params["chat_id"])] += 1
        self.seen = len(calls)
        return len(self.per_chat)


@dataclass(frozen=True, slots=True)
class PassResult:
    name: str
    chats: int
    received: int
    seconds: float
    rate: float
    rate_429: int
    lost: int
    doubled: int
    restart_gap: float | None
    outbox_left: int

    @property
    def rate_without_gap(self) -> float:
        """The rate while a sender was up: the restart (process start, imports) left out."""
        return (self.received - 1) / (self.seconds - (self.restart_gap or 0.0))


def _more_than(tally: Tally, reached: int) -> Callable[[], bool]:
    return lambda: tally.update() > reached


async def wait_for_chats(
    emulator: BotApiEmulator, tally: Tally, target: int, sender: asyncio.subprocess.Process
) -> None:
    """Until ``target`` chats have their digest, the sender exits, or nothing arrives for a while."""
    while tally.update() < target:
        progress = asyncio.ensure_future(
            emulator.wait_until(_more_than(tally, len(tally.per_chat)), STALL_SECONDS)
        )
        exited = asyncio.ensure_future(sender.wait())
        done, pending = await asyncio.wait({progress, exited}, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        if exited in done:
            print(f"  sender exited with {sender.returncode} at {len(tally.per_chat)} chats")
            return
        if progress.exception() is not None:
            print(f"  stalled at {len(tally.per_chat)} chats")
            return


async def wait_for_drain(database_url: str, sender: asyncio.subprocess.Process) -> None:
    """Until every outbox row is recorded as sent; the outbox lives in another process's
    database, so this polls (a benchmark may wait; a test would not)."""
    deadline = time.monotonic() + STALL_SECONDS
    while await outbox_left(database_url) and sender.returncode is None:
        if time.monotonic() > deadline:
            print("  the outbox did not drain")
            return
        await asyncio.sleep(0.2)


async def stop_sender(sender: asyncio.subprocess.Process) -> None:
    if sender.returncode is None:
        sender.send_signal(signal.SIGTERM)
        await sender.wait()


async def queue_for_new_chats(
    sessionmaker: async_sessionmaker[AsyncSession],
    chat_ids: Sequence[int],
    *,
    kind: DeliveryKind,
    item_key: str,
    text: str,
) -> None:
    """Store the private chats and queue one message for each, as a fan-out leaves the outbox."""
    async with sessionmaker() as session, session.begin():
        session.add_all(Chat(id=chat_id, type="private") for chat_id in chat_ids)
        await session.flush()
        for chat_id in chat_ids:
            await deliveries.enqueue(
                session,
                chat_id=chat_id,
                kind=kind,
                item_key=item_key,
                payload={"text": text, "preview": False},
                now=utcnow(),  # the sender claims by the wall clock
            )


async def fill_outbox(database_url: str, chat_ids: Sequence[int]) -> None:
    engine = create_engine(database_url)
    try:
        await queue_for_new_chats(
            create_sessionmaker(engine),
            chat_ids,
            kind=DeliveryKind.DIGEST,
            item_key="digest:20261129T0700:0",
            text=digest_text(),
        )
    finally:
        await engine.dispose()


async def outbox_left(database_url: str) -> int:
    """Rows not recorded as sent: each one is a message the outbox still owes or lost track of."""
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            counts = await deliveries.counts_by_status(session)
    finally:
        await engine.dispose()
    return sum(n for status, n in counts.items() if status != str(DeliveryStatus.SENT))


async def fanout_pass(name: str, db: str, chats: int, *, kill_at_half: bool) -> PassResult:
    async with scratch_database(db) as database_url, BotApiEmulator() as emulator:
        chat_ids = [emulator.create_user(f"Reader {n}").id for n in range(chats)]
        await fill_outbox(database_url, chat_ids)
        tally = Tally(emulator)
        gap: float | None = None
        sender = await start_sender(database_url, emulator.base_url)
        try:
            if kill_at_half:
                await wait_for_chats(emulator, tally, chats // 2, sender)
                sender.kill()  # SIGKILL: no cleanup, rows claimed as 'sending' stay so
                await sender.wait()
                killed_at = time.monotonic()
                received_before = len(tally.times)
                print(f"  killed the sender at {len(tally.per_chat)} chats; restarting")
                sender = await start_sender(database_url, emulator.base_url)
                await wait_for_chats(emulator, tally, received_before + 1, sender)
                if len(tally.times) > received_before:
                    gap = tally.times[received_before] - killed_at
            await wait_for_chats(emulator, tally, chats, sender)
            # A row requeued after the kill goes to the back of the queue: wait for the outbox
            # to drain, or a repeat sent after the last new chat would go uncounted.
            await wait_for_drain(database_url, sender)
        finally:
            await stop_sender(sender)
        tally.update()
        left = await outbox_left(database_url)
    seconds = tally.times[-1] - tally.times[0] if len(tally.times) > 1 else 0.0
    return PassResult(
        name,
        chats,
        len(tally.times),
        seconds,
        (len(tally.times) - 1) / seconds if seconds else 0.0,
        emulator.rate_limited,
        sum(1 for chat_id in chat_ids if tally.per_chat[chat_id] == 0),
        sum(1 for chat_id in chat_ids if tally.per_chat[chat_id] > 1),
        gap,
        left,
    )


async def naive_pass(chats: int) -> PassResult:
    """The baseline: send in a loop as fast as answers come, sleeping out each 429."""
    async with BotApiEmulator() as emulator:
        chat_ids = [emulator.create_user(f"Reader {n}").id for n in range(chats)]
        tally = Tally(emulator)
        text = digest_text()
        async with Bot(DEFAULT_TOKEN, base_url=emulator.base_url) as bot:
            for chat_id in chat_ids:
                while True:
                    try:
                        await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
                        break
                    except RetryAfter as exc:
                        delay = exc.retry_after
                        await asyncio.sleep(
                            delay if isinstance(delay, int | float) else delay.total_seconds()
                        )
        tally.update()
    seconds = tally.times[-1] - tally.times[0]
    return PassResult(
        "baseline: plain send loop, waits out 429s",
        chats,
        len(tally.times),
        seconds,
        (len(tally.times) - 1) / seconds,
        emulator.rate_limited,
        sum(1 for chat_id in chat_ids if tally.per_chat[chat_id] == 0),
        sum(1 for chat_id in chat_ids if tally.per_chat[chat_id] > 1),
        None,
        0,
    )


async def run(args: argparse.Namespace) -> None:
    results = []
    if args.baseline_chats:
        print(f"baseline: plain loop to {args.baseline_chats} chats ...", flush=True)
        results.append(await naive_pass(args.baseline_chats))
    print(f"pass 1: outbox sender to {args.chats} chats ...", flush=True)
    results.append(await fanout_pass("outbox sender", args.db, args.chats, kill_at_half=False))
    if not args.skip_crash:
        print(f"pass 2: outbox sender to {args.chats} chats, SIGKILL half way ...", flush=True)
        results.append(
            await fanout_pass(
                "outbox sender, kill -9 half way", args.db, args.chats, kill_at_half=True
            )
        )
    print()
    print(machine_facts())
    print(f"database: {args.db}; emulator: default FloodLimits (30 msg/s per bot, 1/s per chat)")
    print_table(
        [
            "run",
            "chats",
            "received",
            "seconds",
            "msg/s",
            "% of 30/s",
            "429s",
            "lost",
            "doubled",
            "restart gap s",
            "msg/s w/o gap",
            "outbox unsent",
        ],
        [
            (
                r.name,
                r.chats,
                r.received,
                r.seconds,
                f"{r.rate:.2f}",
                f"{100 * r.rate / CEILING:.1f}%",
                r.rate_429,
                r.lost,
                r.doubled,
                "-" if r.restart_gap is None else f"{r.restart_gap:.2f}",
                "-" if r.restart_gap is None else f"{r.rate_without_gap:.2f}",
                r.outbox_left,
            )
            for r in results
        ],
    )
    print(
        f"targets: ≥ {TARGET_RATE:g} msg/s, 0 429s, 0 lost, 0 doubled; "
        "after kill -9: 0 lost, ≤ 1 doubled"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--baseline-chats",
        type=int,
        default=1000,
        help="chats for the plain-loop baseline (0 skips it)",
    )
    parser.add_argument("--skip-crash", action="store_true", help="only the undisturbed pass")
    parser.add_argument(
        "--sender-child", nargs=2, metavar=("DB_URL", "API_URL"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING, format="%(process)d %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs each request line, which carries the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if args.sender_child:
        asyncio.run(run_sender_child(*args.sender_child))
        return
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
