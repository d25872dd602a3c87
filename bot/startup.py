"""Reaching the Bot API at start: wait while it cannot be reached, give up when it refuses the token.

A bot started before its network (a container up before its DNS, a host booting, Telegram down
for a minute) should come up once the Bot API answers, not exit with a traceback. A token
Telegram refuses will never work however long we wait: that ends the process with one line
that says what to fix, and the token masked (PTB's ``InvalidToken`` message holds it in full).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, RetryAfter

from bot.settings import DEFAULT_API_URL, Secret

log = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 1.0
MAX_RETRY_SECONDS = 60.0


class TokenRefused(Exception):
    """Telegram answered getMe with 401 or 404: the token, or the API URL, is wrong."""

    def __init__(self, token: Secret, api_url: str) -> None:
        hint = "check NEWSDIGEST_TELEGRAM_TOKEN"
        if api_url != DEFAULT_API_URL:
            # A 404 is also what a wrong API URL gets, from Telegram or from another server.
            hint += f" and NEWSDIGEST_TELEGRAM_API_URL ({api_url})"
        super().__init__(f"Telegram refused the token {token.masked()}: {hint}")


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def connect_bot(
    bot: Bot,
    token: Secret,
    api_url: str,
    *,
    stop: asyncio.Event,
    first_retry: float = FIRST_RETRY_SECONDS,
    max_retry: float = MAX_RETRY_SECONDS,
) -> bool:
    """Initialize ``bot`` (its getMe), retrying with back-off while the Bot API cannot be reached.

    Returns False when ``stop`` was set while waiting (SIGTERM during an outage), True once
    Telegram answered. Raises TokenRefused, never PTB's InvalidToken, when the token is refused.
    """
    delay = first_retry
    attempt = 0
    while not stop.is_set():
        attempt += 1
        try:
            await bot.initialize()
            if attempt > 1:
                log.info("reached the Telegram Bot API after %d tries", attempt)
            return True
        except InvalidToken:
            # from None: the chained InvalidToken's message carries the token in full.
            raise TokenRefused(token, api_url) from None
        except RetryAfter as exc:
            wait = max(delay, _seconds(exc.retry_after))
            reason = "flood control"
        except NetworkError as exc:  # TimedOut and 5xx answers included
            wait, delay = delay, min(delay * 2, max_retry)
            reason = str(exc).replace(token.reveal(), token.masked())
        log.warning(
            "cannot reach the Telegram Bot API at %s (%s); try %d, next in %.0f s",
            api_url,
            reason,
            attempt,
            wait,
        )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), wait)
    return False
