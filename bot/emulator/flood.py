"""Telegram's flood control as token buckets per bot, private chat and group, on a given clock."""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FloodLimits:
    """Sending rates Telegram documents for bots; a burst lets a short run through, as it does."""

    per_bot_per_second: float = 30.0
    bot_burst: int = 30
    per_private_chat_per_second: float = 1.0
    private_chat_burst: int = 3
    per_group_per_minute: float = 20.0
    group_burst: int = 20


class TokenBucket:
    """``capacity`` tokens refilled at ``rate`` per second; each message takes one."""

    __slots__ = ("capacity", "rate", "stamp", "tokens")

    def __init__(self, rate: float, capacity: int, now: float) -> None:
        self.rate = rate
        self.capacity = float(capacity)
        self.tokens = float(capacity)
        self.stamp = now

    def wait(self, now: float) -> float:
        """Seconds until a token is available (0 if one is available now)."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        # The epsilon keeps a sender pacing at exactly the rate from being refused by rounding.
        missing = 1.0 - self.tokens
        return 0.0 if missing <= 1e-9 else missing / self.rate

    def take(self) -> None:
        self.tokens -= 1.0


class FloodControl:
    """Admit or refuse one message; a refusal says how long to wait, in whole seconds."""

    def __init__(self, limits: FloodLimits, clock: Callable[[], float]) -> None:
        self.limits = limits
        self.clock = clock
        self.refused = 0
        self._bot = TokenBucket(limits.per_bot_per_second, limits.bot_burst, clock())
        self._chats: dict[int, TokenBucket] = {}

    def _chat_bucket(self, chat_id: int, is_group: bool, now: float) -> TokenBucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            limits = self.limits
            bucket = (
                TokenBucket(limits.per_group_per_minute / 60.0, limits.group_burst, now)
                if is_group
                else TokenBucket(limits.per_private_chat_per_second, limits.private_chat_burst, now)
            )
            self._chats[chat_id] = bucket
        return bucket

    def admit(self, chat_id: int, *, is_group: bool) -> int | None:
        """Take a token from both buckets and return None, or take none and return retry_after."""
        now = self.clock()
        chat = self._chat_bucket(chat_id, is_group, now)
        # Check both before taking either, so a refused message costs nothing.
        wait = max(self._bot.wait(now), chat.wait(now))
        if wait > 0:
            self.refused += 1
            return max(1, math.ceil(wait))
        self._bot.take()
        chat.take()
        return None


def busiest_window(times: Sequence[float], seconds: float) -> int:
    """The most of ``times`` (sorted) in any half-open window ``[t, t + seconds)``.

    A busiest window can always be slid to start at one of the times, so checking those is enough.
    """
    return max(
        (bisect.bisect_left(times, t + seconds, lo=i) - i for i, t in enumerate(times)), default=0
    )
