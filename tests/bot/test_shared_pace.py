"""Replies take their global slots from the outbox's pace, so together they keep under 30/s."""

from __future__ import annotations

from typing import Any

from bot.telegram_transport import SharedPaceLimiter
from jobs.outbox import CATCH_UP_SLOTS, RateLimiter, SenderOptions
from tests.jobs.test_outbox import FakeClock


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
