"""The global pace holds for callers that wait at the same time, in every one-second window."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable, Callable

from jobs.outbox import RateLimiter, SenderOptions


class VirtualClock:
    """Monotonic seconds that jump to the earliest sleeper's wake-up once every task waits.

    Unlike the sender tests' FakeClock, a sleep here really suspends its caller, so callers
    that wait at the same time overlap as they do on the event loop.
    """

    def __init__(self) -> None:
        self.seconds = 1000.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def monotonic(self) -> float:
        return self.seconds

    async def sleep(self, seconds: float) -> None:
        woken: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.seconds + seconds, next(self._order), woken))
        await woken

    async def run(self, jobs: list[Callable[[], Awaitable[None]]]) -> None:
        tasks = [asyncio.create_task(job()) for job in jobs]
        while True:
            # Every task runs until it finishes or sleeps on this clock: nothing else awaits.
            await asyncio.sleep(0)
            if all(task.done() for task in tasks):
                break
            wake, _, woken = heapq.heappop(self._sleepers)
            self.seconds = max(self.seconds, wake)
            woken.set_result(None)
        for task in tasks:
            task.result()


def _busiest_window(times: list[float]) -> int:
    return max(sum(1 for u in times if t <= u < t + 1.0) for t in times)


async def _send_together(limiter: RateLimiter, clock: VirtualClock, callers: int) -> list[float]:
    sent_at: list[float] = []

    async def caller() -> None:
        await limiter.wait_global()
        sent_at.append(clock.seconds)

    await clock.run([caller] * callers)
    return sent_at


async def test_concurrent_callers_each_take_their_own_slot() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(SenderOptions(messages_per_second=29.5), clock.monotonic, clock.sleep)
    sent_at = await _send_together(limiter, clock, 100)
    # 100 callers at once take about 100 / 29.5 s, not one shared slot.
    assert max(sent_at) - min(sent_at) >= 99 / 29.5 - 3 / 29.5
    assert _busiest_window(sent_at) <= 30


async def test_an_idle_limiter_starts_a_fan_out_within_the_window() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(SenderOptions(messages_per_second=29.5), clock.monotonic, clock.sleep)
    first = await _send_together(limiter, clock, 20)
    clock.seconds += 0.5  # idle for half a second, then a fan-out and replies together
    second = await _send_together(limiter, clock, 60)
    assert _busiest_window(first + second) <= 30


async def test_slow_sends_catch_up_without_a_window_over_the_ceiling() -> None:
    clock = VirtualClock()

    async def advance(seconds: float) -> None:  # one sender alone: its sleeps just pass
        clock.seconds += seconds

    limiter = RateLimiter(SenderOptions(messages_per_second=29.5), clock.monotonic, advance)
    sent_at: list[float] = []
    for n in range(200):
        await limiter.wait_global()
        sent_at.append(clock.seconds)
        clock.seconds += 0.1 if n % 7 == 0 else 0.001
    assert _busiest_window(sent_at) <= 30
    assert 199 / (sent_at[-1] - sent_at[0]) > 28  # the long-run rate still holds
