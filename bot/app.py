"""The composition root: settings in, a ready python-telegram-bot Application out."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TypeAlias, cast
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ContextTypes,
    ExtBot,
    JobQueue,
)
from telegram.request import BaseRequest

from bot.command_menu import register_command_menus
from bot.context import BotData, Context, Runtime
from bot.pipeline import DIGEST_TICK_SECONDS, INGEST_TICK_SECONDS, build_pipeline
from bot.rate_limit import SlidingWindowLimiter
from bot.routes import register_handlers
from bot.services import Services, open_services
from bot.settings import Settings
from bot.startup import connect_bot
from bot.telegram_transport import SharedPaceLimiter, sender_bot
from jobs.outbox import RateLimiter, SenderOptions

log = logging.getLogger(__name__)

BotApplication: TypeAlias = Application[
    ExtBot[None], Context, dict[object, object], dict[object, object], BotData, JobQueue[Context]
]


def file_base_url(api_url: str) -> str:
    """Telegram serves files under /file/bot<token>; derive that from the API base URL."""
    base = api_url.rstrip("/")
    return (base[: -len("/bot")] if base.endswith("/bot") else base) + "/file/bot"


async def _ingest_job(context: Context) -> None:
    """Fetch the due feeds (JobQueue adapter)."""
    await context.bot_data.runtime.pipeline.ingest_tick()


async def _digest_job(context: Context) -> None:
    """Queue the digests that are due (JobQueue adapter)."""
    await context.bot_data.runtime.pipeline.digest_tick()


def build_application(
    settings: Settings,
    *,
    services: Services | None = None,
    request: BaseRequest | None = None,
    background: bool = True,
) -> BotApplication:
    """Wire settings, database, fetcher, summarizer, handlers, jobs and the error handler.

    ``services`` lets a caller (tests, the demo) share already-open services; the application
    then leaves closing them to that caller. ``background`` False runs no scheduled jobs and no
    sender, for tests that drive those directly.
    """
    if settings.telegram_token is None:
        raise ValueError("build_application needs a Telegram token (the demo brings its own)")
    owns_services = services is None
    pace = RateLimiter(SenderOptions())

    async def post_init(app: BotApplication) -> None:
        opened = services or await open_services(settings)
        token = settings.telegram_token
        assert token is not None  # checked when the application was built
        # Replies go through app.bot and its limiter; the sender has its own Bot (see
        # sender_bot), and both draw on one pace.
        outbox_bot = sender_bot(token.reveal(), settings.telegram_api_url)
        await outbox_bot.initialize()
        pipeline = build_pipeline(opened, bot=outbox_bot, pace=pace)
        runtime = Runtime(
            services=opened,
            pipeline=pipeline,
            summaries=SlidingWindowLimiter(settings.limits.summaries_per_minute),
            sender_bot=outbox_bot,
        )
        app.bot_data.runtime = runtime
        app.bot_data.settings = settings
        # The language model loads in seconds: in the background, so the bot answers /help at
        # once and the first /summary finds it loaded (or waits for it in the pool's queue).
        runtime.background.append(asyncio.create_task(opened.summarizer.warm_up()))
        try:
            await register_command_menus(app.bot)
        except TelegramError as exc:
            log.warning("could not register the command list with Telegram: %s", exc)
        if background:
            assert app.job_queue is not None
            app.job_queue.run_repeating(
                _ingest_job, interval=INGEST_TICK_SECONDS, first=1, name="ingest"
            )
            app.job_queue.run_repeating(
                _digest_job, interval=DIGEST_TICK_SECONDS, first=5, name="digests"
            )
            runtime.background.append(asyncio.create_task(pipeline.run_sender(runtime.stop)))

    async def post_stop(app: BotApplication) -> None:
        runtime: Runtime = app.bot_data.runtime
        runtime.stop.set()
        for task in runtime.background:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def post_shutdown(app: BotApplication) -> None:
        if app.bot_data.runtime.sender_bot is not None:
            await app.bot_data.runtime.sender_bot.shutdown()
        if owns_services:
            await app.bot_data.runtime.services.aclose()

    builder = (
        ApplicationBuilder()
        .token(settings.telegram_token.reveal())
        .base_url(settings.telegram_api_url)
        .base_file_url(file_base_url(settings.telegram_api_url))
        .context_types(ContextTypes(bot_data=BotData))
        # Updates are handled concurrently: one slow /summary never holds up another's /help.
        .concurrent_updates(True)
        # PTB's limiter retries a 429 after retry_after instead of failing the handler; replies
        # and the outbox (on a Bot of its own) share one global pace.
        .rate_limiter(SharedPaceLimiter(pace))
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
    )
    if request is not None:
        builder = builder.request(request)
    # The builder cannot carry our context types into its static type; they are set above.
    app = cast(BotApplication, builder.build())
    register_handlers(app)
    return app


@dataclass(frozen=True, slots=True)
class Webhook:
    """Where Telegram should POST updates, and where this process listens for them."""

    url: str
    listen: str
    port: int
    secret: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Webhook | None:
        if not settings.webhook_url:
            return None
        secret = settings.webhook_secret.reveal() if settings.webhook_secret else None
        return cls(settings.webhook_url, settings.webhook_listen, settings.webhook_port, secret)


@asynccontextmanager
async def running(
    app: BotApplication, *, webhook: Webhook | None = None
) -> AsyncIterator[BotApplication]:
    """Start the application in the running event loop: polling, or a webhook server.

    What run_polling and run_webhook do, for callers that keep the loop for themselves: the
    demo, the tests and `newsdigest run`, so all of them go through this one path.
    """
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.start()
    assert app.updater is not None
    if webhook is None:
        await app.updater.start_polling(poll_interval=0.0, allowed_updates=Update.ALL_TYPES)
    else:
        await app.updater.start_webhook(
            listen=webhook.listen,
            port=webhook.port,
            # The public URL's path is where the local server takes the POSTs.
            url_path=urlsplit(webhook.url).path.lstrip("/"),
            webhook_url=webhook.url,
            secret_token=webhook.secret,
            allowed_updates=Update.ALL_TYPES,
        )
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        if app.post_stop is not None:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


async def serve(app: BotApplication, settings: Settings, *, webhook: Webhook | None) -> None:
    """Run until SIGINT or SIGTERM (`newsdigest run`), once the Bot API answers."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    token = settings.telegram_token
    assert token is not None  # build_application refuses to build without one
    if not await connect_bot(app.bot, token, settings.telegram_api_url, stop=stop):
        return  # stopped while the Bot API was out of reach
    async with running(app, webhook=webhook):
        log.info("bot running (%s); Ctrl-C to stop", "webhook" if webhook else "polling")
        await stop.wait()
