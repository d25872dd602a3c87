"""The typed bot_data every handler reaches its services through (never string keys)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from telegram import Bot
from telegram.ext import CallbackContext, ExtBot

from bot.pipeline import Pipeline
from bot.rate_limit import SlidingWindowLimiter
from bot.services import Services
from bot.settings import Settings


@dataclass(slots=True)
class Runtime:
    """What post_init opens: the services, the background pipeline and the sender's stop switch."""

    services: Services
    pipeline: Pipeline
    summaries: SlidingWindowLimiter
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    background: list[asyncio.Task[None]] = field(default_factory=list)
    # The outbox's own Bot (see telegram_transport.sender_bot), shut down with the app.
    sender_bot: Bot | None = None


class BotData:
    """PTB creates this empty; post_init fills ``runtime`` before any update is handled."""

    def __init__(self) -> None:
        self._runtime: Runtime | None = None
        self.settings: Settings | None = None

    @property
    def runtime(self) -> Runtime:
        if self._runtime is None:
            raise RuntimeError("the application was not initialised through post_init")
        return self._runtime

    @runtime.setter
    def runtime(self, value: Runtime) -> None:
        self._runtime = value

    @property
    def services(self) -> Services:
        return self.runtime.services


Context = CallbackContext[ExtBot[None], dict[object, object], dict[object, object], BotData]
