"""The typed state handlers share: services opened in post_init, rate limits, reached via ``context.bot_data``."""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.rate_limit import RateLimiter
from bot.services import Services


class ServicesNotOpen(RuntimeError):
    """A handler ran before post_init opened the services, or after post_shutdown closed them."""


@dataclass(slots=True)
class BotData:
    """What every handler may use; PTB creates it empty, ``post_init`` fills it in."""

    _services: Services | None = None
    summary_limiter: RateLimiter = field(default_factory=lambda: RateLimiter(5, 60.0))

    @property
    def services(self) -> Services:
        if self._services is None:
            raise ServicesNotOpen("the bot's services are not open")
        return self._services

    def open(self, services: Services) -> None:
        self._services = services
        self.summary_limiter = RateLimiter(services.settings.limits.summaries_per_minute, 60.0)

    def take(self) -> Services | None:
        """Hand the services over for closing, leaving none behind."""
        services, self._services = self._services, None
        return services


# One alias for handlers' ``context`` argument, so each signature stays short and typed.
Context = CallbackContext[ExtBot[None], dict[object, object], dict[object, object], BotData]
App = Application[
    ExtBot[None],
    Context,
    dict[object, object],
    dict[object, object],
    BotData,
    JobQueue[Context],
]
