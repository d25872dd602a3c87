"""Replies take their global slots from the outbox's pace, so together they keep under 30/s."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from bot.emulator import FloodLimits, busiest_window
from bot.telegram_transport import SharedPaceLimiter
from jobs.outbox import CATCH_UP_SLOTS, RateLimiter, SenderOptions
from tests.bot.harness import bot_harness
from tests.jobs.test_outbox import FakeClock


class VirtualTime:
    """A clock for many tasks at once: time jumps to the earliest sleeper once all are asleep.

    FakeClock advances on each sleep, which serialises concurrent sleepers; a race between
    callers needs them asleep together, as under the real event loop.
    """

    def __init__(self) -> None:
        self.seconds = 1000.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def monotonic(self) -> float:
        return self.seconds

    async def sleep(self, seconds: float) -> None:
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.seconds + seconds, next(self._order), future))
        await future

    async def run(self, coroutines: list[Coroutine[Any, Any, None]]) -> None:
        """Run the coroutines to the end, moving time only when every one of them waits."""
        tasks = [asyncio.ensure_future(c) for c in coroutines]
        while not all(task.done() for task in tasks):
            await self._settle(tasks)
            wake_at, _, future = heapq.heappop(self._sleepers)
            self.seconds = max(self.seconds, wake_at)
            future.set_result(None)
            await asyncio.sleep(0)
        for task in tasks:
            task.result()

    async def _settle(self, tasks: list[asyncio.Future[None]]) -> None:
        """Let the loop run until nothing changes any more: every task sleeps or waits its turn.

        Counted in loop iterations, never in seconds; a handoff of a lock takes two or three.
        """
        state, unchanged = (-1, -1), 0
        while unchanged < 20:
            await asyncio.sleep(0)
            now = (len(self._sleepers), sum(task.done() for task in tasks))
            state, unchanged = now, unchanged + 1 if now == state else 0


async def test_concurrent_callers_each_take_their_own_slot() -> None:
    clock = VirtualTime()
    pace = RateLimiter(SenderOptions(), clock.monotonic, clock.sleep)
    sent: list[float] = []

    async def reply() -> None:
        await pace.wait_global()
        sent.append(clock.seconds)
        await clock.sleep(0.01)  # the request itself

    async def fan_out() -> None:
        for _ in range(100):
            await pace.wait_global()
            sent.append(clock.seconds)
            await clock.sleep(0.02)  # the request and the database, well inside one slot

    # An idle process, then 100 replies at once while an outbox fan-out runs.
    clock.seconds += 60.0
    await clock.run([reply() for _ in range(100)] + [fan_out()])
    sent.sort()
    assert len(sent) == 200
    # Never more than Telegram's 30 in any one-second window ...
    assert busiest_window(sent, 1.0) <= 30
    # ... and no slower than that cap: the 200 take about 200 / 29 s, replies and outbox alike.
    assert sent[-1] - sent[0] <= 200 / 29.0


async def test_requests_delayed_on_the_way_still_arrive_under_30_a_second() -> None:
    """A starved event loop holds requests back and lets them out together; the server counts
    when they arrive, anywhere between our start and its answer."""
    clock = VirtualTime()
    pace = RateLimiter(SenderOptions(), clock.monotonic, clock.sleep)
    arrived: list[float] = []

    async def reply(n: int) -> None:
        async with pace.sending():
            # Requests wait on the way for 0 to 0.9 s and arrive at the last moment, so ones
            # that left a second apart can reach the server within a few milliseconds.
            await clock.sleep((n * 7 % 10) / 10 * 0.9)
            arrived.append(clock.seconds)
            await clock.sleep(0.001)  # the answer

    await clock.run([reply(n) for n in range(200)])
    assert len(arrived) == 200
    assert busiest_window(sorted(arrived), 1.0) <= 29


async def test_catch_up_after_a_slow_send_never_makes_a_window_of_more_than_30() -> None:
    clock = FakeClock()
    pace = RateLimiter(SenderOptions(), clock.monotonic, clock.sleep)
    sent: list[float] = []
    for n in range(300):
        await pace.wait_global()
        sent.append(clock.seconds)
        # Mostly quick sends, and now and then one that misses a few slots (a slow answer).
        await clock.sleep(0.15 if n % 20 == 0 else 0.005)
    # The slots made up after each slow send come on top of a full second of paced ones.
    assert busiest_window(sent, 1.0) <= 30


async def test_replies_and_outbox_sends_are_paced_as_one_stream() -> None:
    clock = FakeClock()
    pace = RateLimiter(SenderOptions(messages_per_second=10), clock.monotonic, clock.sleep)
    limiter = SharedPaceLimiter(pace)
    await limiter.initialize()
    posted: list[tuple[str, float]] = []

    async def post(endpoint: str, data: dict[str, Any]) -> bool:
        posted.append((endpoint, clock.seconds))
        return True

    async def request(endpoint: str, data: dict[str, Any]) -> None:
        await limiter.process_request(post, (endpoint, data), {}, endpoint, data, None)

    start = clock.seconds
    for chat_id in range(5):
        await request("sendMessage", {"chat_id": chat_id, "text": "reply"})
        await pace.wait_global()  # the outbox's send in between
    # Ten sends at 10/s: after the few catch-up slots, one every 0.1 s, replies included.
    assert clock.seconds - start >= (10 - 1 - CATCH_UP_SLOTS) * 0.1 - 1e-9
    before = clock.seconds
    await request("getUpdates", {"timeout": 10})
    # Requests to no chat (polling, getMe) do not count towards the ceiling.
    assert clock.seconds == before
    assert [endpoint for endpoint, _ in posted] == ["sendMessage"] * 5 + ["getUpdates"]
    await limiter.shutdown()


async def test_a_crowd_of_commands_through_the_application_stays_under_30_a_second(
    tmp_path: Path,
) -> None:
    async with bot_harness(tmp_path, flood=FloodLimits()) as harness:
        users = [harness.user(f"Crowd {n}") for n in range(100)]
        for user in users:
            user.send_command("/help")
        for user in users:
            await harness.emulator.wait_for_message(user.id, timeout=30)
        assert harness.errors == []
        # Telegram counts any one-second window: the replies, run concurrently, queue for slots.
        assert harness.emulator.busiest_second <= 30
        assert harness.emulator.rate_limited == 0
        assert all(len(harness.emulator.sent_to(user.id)) == 1 for user in users)


async def test_a_quick_summary_on_a_busy_pace_still_shows_typing(tmp_path: Path) -> None:
    async with bot_harness(tmp_path) as harness:
        user = harness.user("Quick")
        text = "The harbour council approved the north pier plan on Monday. " * 3
        await harness.ask(user, f"/summary {text}", timeout=30)  # the workers are warm now
        before = len(harness.emulator.chats[user.id].actions)
        pace = harness.app.bot_data.runtime.pipeline.sender
        assert pace is not None
        # A fan-out's 90 sends queue for the next three seconds of slots, ahead of the reply.
        queued = [asyncio.ensure_future(pace.limiter.wait_global()) for _ in range(90)]
        await asyncio.sleep(0)  # one turn of the loop: they are all in the queue now
        user.send_command(f"/summary {text}")
        await harness.emulator.wait_until(
            lambda: len(harness.emulator.sent_to(user.id)) == 2, timeout=30
        )
        # The summary is ready long before a slot is free; "typing…" must not be cancelled.
        assert len(harness.emulator.chats[user.id].actions) > before
        assert harness.errors == []
        await asyncio.gather(*queued)
