"""Flood: a crowd of readers' commands at once while an alert fan-out drains, through the emulator.

Run from the repository root: ``python -m tests.benchmarks.bench_flood`` (200 readers, 2,000
alerts, about three minutes for both passes; ``--readers``/``--alerts`` to change them).

The real Application (built by ``build_application``, as in tests/bot/harness.py) polls the Bot API
emulator with Telegram's default flood limits. One alert per private chat is queued in the outbox
(rows as the alert matcher writes them) and the application's own OutboxSender drains it; once the
fan-out runs at full pace, every reader sends the command at the same moment. Replies (through
PTB's Bot and SharedPaceLimiter) and alerts draw on the one process-wide pace.

Measured from the emulator's log of admitted messages: the busiest sliding one-second window
(Telegram counts any window; ≤ 30 allowed), the 429 answers, messages per chat (every reply and
every alert exactly once), the sustained rate from first to last message, and each reply's latency
from the moment its update was queued. Beside the emulator's peak, the busiest window of the
slots the pace gave, by our clock: where the two differ, sends bunched between slot and server
(the emulator runs in the bot's event loop, which a loaded machine starves).

The baseline, measured in the same run on the same scenario: the global pace as it was before
commit cbbfdce (``git show f264739^:jobs/outbox.py``), which computes a slot, sleeps, and only then
moves the next slot, with CATCH_UP_SLOTS = 3 and no window log; vendored below as UnlockedPace.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.emulator import BotApiEmulator, FloodLimits, busiest_window
from bot.telegram_transport import SharedPaceLimiter
from jobs.messages import render_alert
from jobs.outbox import CATCH_UP_SLOTS, RateLimiter, Send, SenderOptions
from store.models import DeliveryKind
from tests.benchmarks._common import machine_facts, print_table
from tests.benchmarks.bench_delivery_fanout import queue_for_new_chats
from tests.bot.harness import Harness, bot_harness

CEILING = 30
# Alerts delivered before the crowd writes: the fan-out is at its full pace by then.
LEAD_ALERTS = 60
APOLOGY = "Sorry, something went wrong"


class TimedPace(RateLimiter):
    """This tree's pace, remembering when it gave each slot: the busiest window by our own clock,
    beside the emulator's count, tells pacing apart from bunching on the way to the server."""

    def __init__(self, options: SenderOptions) -> None:
        super().__init__(options)
        self.slots: list[float] = []

    async def take_slot(self) -> Send:
        send = await super().take_slot()
        self.slots.append(send.started)
        return send


class UnlockedPace(TimedPace):
    """The baseline: the global pace of f264739^ (before cbbfdce), everything else as today.

    Concurrent callers each read ``_next_global`` before any of them moves it, so they all sleep
    until the same slot; an idle sender gets CATCH_UP_SLOTS slots back at once.
    """

    async def take_slot(self) -> Send:
        interval = 1.0 / self.options.messages_per_second
        now = self.clock()
        start = max(self._next_global, now - CATCH_UP_SLOTS * interval)
        if start > now:
            await self.sleep(start - now)
        self._next_global = start + interval
        self.slots.append(self.clock())
        return Send(self.clock())


@dataclass(frozen=True, slots=True)
class FloodResult:
    name: str
    messages: int
    peak: int
    peak_at_slots: int
    rate_429: int
    replies_missing: int
    replies_doubled: int
    alerts_missing: int
    alerts_doubled: int
    sustained: float
    lead_rate: float
    crowd_seconds: float
    reply_p50: float
    reply_max: float
    handler_errors: int
    apologies: int
    finished: bool


def alert_text() -> str:
    return render_alert(
        rules=["harbour"],
        title="Harbour council approves the north pier plan",
        url="https://news.example/harbour-pier",
        source="The Coastal Gazette",
        sentences=(
            "The council voted 7 to 2 for the plan on Monday.",
            "Works start in spring and should end within two years.",
        ),
    )


def use_pace(harness: Harness, pace: RateLimiter) -> None:
    """Put ``pace`` where build_application put the shared one: replies' limiter and the sender."""
    sender = harness.app.bot_data.runtime.pipeline.sender
    limiter = harness.app.bot.rate_limiter
    assert sender is not None and isinstance(limiter, SharedPaceLimiter)
    limiter.pace = pace
    sender.limiter = pace


def first_sends(emulator: BotApiEmulator) -> tuple[Counter[int], dict[int, float], int]:
    """Messages admitted per chat, when each chat's first one was, and how many apologies."""
    per_chat: Counter[int] = Counter()
    first: dict[int, float] = {}
    apologies = 0
    for call in emulator.calls:
        if call.method == "sendMessage" and call.status == 200:
            if str(call.params.get("text", "")).startswith(APOLOGY):
                apologies += 1  # the error handler's, after a failed reply: not the reply
                continue
            chat_id = int(call.params["chat_id"])
            per_chat[chat_id] += 1
            first.setdefault(chat_id, call.time)
    return per_chat, first, apologies


def _everyone_has_one(emulator: BotApiEmulator, chat_ids: Sequence[int]) -> Callable[[], bool]:
    return lambda: all(emulator.chats[chat_id].messages for chat_id in chat_ids)


async def flood_pass(
    name: str, baseline: bool, *, readers: int, alerts: int, command: str, patience: float
) -> FloodResult:
    with tempfile.TemporaryDirectory(prefix="newsdigest-flood-") as scratch:
        async with bot_harness(Path(scratch), flood=FloodLimits()) as harness:
            emulator = harness.emulator
            pace = UnlockedPace(SenderOptions()) if baseline else TimedPace(SenderOptions())
            use_pace(harness, pace)
            sender = harness.app.bot_data.runtime.pipeline.sender
            assert sender is not None
            alert_chats = [emulator.create_user(f"Reader {n}").id for n in range(alerts)]
            users = [harness.user(f"Asker {n}") for n in range(readers)]
            await queue_for_new_chats(
                harness.services.sessionmaker,
                alert_chats,
                kind=DeliveryKind.ALERT,
                item_key="alert:bench:1",
                text=alert_text(),
            )
            stop = asyncio.Event()
            sending = asyncio.create_task(sender.run(stop))
            await emulator.wait_until(lambda: len(emulator.admitted) >= LEAD_ALERTS, timeout=60)
            asked = time.monotonic()
            for user in users:
                user.send_command(command)
            everyone = [*alert_chats, *(user.id for user in users)]
            finished = True
            try:
                await emulator.wait_until(_everyone_has_one(emulator, everyone), timeout=patience)
            except TimeoutError:
                finished = False
            stop.set()
            await sending
            per_chat, first, apologies = first_sends(emulator)
            latencies = sorted(first[user.id] - asked for user in users if user.id in first)
            admitted = sorted(emulator.admitted)
            span = admitted[-1] - admitted[0] if len(admitted) > 1 else 0.0
            return FloodResult(
                name=name,
                messages=len(admitted),
                peak=busiest_window(admitted, 1.0),
                peak_at_slots=busiest_window(sorted(pace.slots), 1.0),
                rate_429=emulator.rate_limited,
                replies_missing=sum(1 for user in users if per_chat[user.id] == 0),
                replies_doubled=sum(1 for user in users if per_chat[user.id] > 1),
                alerts_missing=sum(1 for chat_id in alert_chats if per_chat[chat_id] == 0),
                alerts_doubled=sum(1 for chat_id in alert_chats if per_chat[chat_id] > 1),
                sustained=(len(admitted) - 1) / span if span else 0.0,
                lead_rate=(LEAD_ALERTS - 1) / (admitted[LEAD_ALERTS - 1] - admitted[0]),
                crowd_seconds=max(first.get(user.id, asked) for user in users) - asked,
                reply_p50=latencies[len(latencies) // 2] if latencies else float("nan"),
                reply_max=latencies[-1] if latencies else float("nan"),
                handler_errors=len(harness.errors),
                apologies=apologies,
                finished=finished,
            )


async def run(args: argparse.Namespace) -> None:
    def scenario(name: str, *, baseline: bool) -> Coroutine[Any, Any, FloodResult]:
        return flood_pass(
            name,
            baseline,
            readers=args.readers,
            alerts=args.alerts,
            command=args.command,
            patience=args.timeout,
        )

    print(f"pass 1: shared pace of this tree, {args.readers} × {args.command!r} ...", flush=True)
    ours = await scenario(
        "this tree (lock + window counting sends until 1 s after their answer)", baseline=False
    )
    print("pass 2: baseline pace (f264739^: slot computed, then sleep) ...", flush=True)
    base = await scenario("baseline: pace of f264739^", baseline=True)
    print()
    print(machine_facts())
    print(
        f"scenario: {args.alerts} alerts through the outbox; after {LEAD_ALERTS} of them, "
        f"{args.readers} readers send {args.command!r} at once; emulator: default FloodLimits"
    )
    print_table(
        [
            "pace",
            "messages",
            "peak/1 s",
            "peak/1 s at slots",
            "429s",
            "replies lost/doubled",
            "alerts lost/doubled",
            "msg/s",
            "msg/s before crowd",
            "crowd answered in s",
            "reply p50 s",
            "slowest reply s",
            "handler errors",
            "apologies",
        ],
        [
            (
                r.name,
                r.messages,
                r.peak,
                r.peak_at_slots,
                r.rate_429,
                f"{r.replies_missing}/{r.replies_doubled}",
                f"{r.alerts_missing}/{r.alerts_doubled}",
                f"{r.sustained:.2f}",
                f"{r.lead_rate:.2f}",
                f"{r.crowd_seconds:.2f}",
                f"{r.reply_p50:.2f}",
                f"{r.reply_max:.2f}",
                r.handler_errors,
                r.apologies,
            )
            for r in (ours, base)
        ],
    )
    for r in (ours, base):
        if not r.finished:
            print(f"{r.name}: not everyone had a message after {args.timeout:g} s")
    print(
        f"targets: peak ≤ {CEILING} in any sliding 1-s window, 0 429s, every reply and alert "
        "exactly once"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--alerts", type=int, default=2000)
    parser.add_argument("--command", default="/alert harbour pier")
    parser.add_argument(
        "--timeout", type=float, default=300.0, help="seconds a pass may take before it ends"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # httpx logs each request line, which carries the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
