"""A per-user sliding-window limit for expensive requests such as /summary."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class SlidingWindowLimiter:
    """At most ``limit`` uses per ``window`` seconds per key.

    Hand-written: a dozen lines over a deque per user, where a library (aiolimiter, limits)
    would add a dependency for less control over the "try again in N s" answer.
    """

    def __init__(
        self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._uses: dict[int, deque[float]] = {}

    def try_acquire(self, key: int) -> float | None:
        """Record a use and return None, or return the seconds until one is allowed."""
        now = self.clock()
        uses = self._uses.setdefault(key, deque())
        while uses and uses[0] <= now - self.window:
            uses.popleft()
        if len(uses) >= self.limit:
            return uses[0] + self.window - now
        uses.append(now)
        return None
