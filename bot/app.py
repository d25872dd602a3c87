"""The composition root: ``build_application`` wires settings, services, handlers, jobs and errors."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from telegram.error import TelegramError
from telegram.ext import ApplicationBuilder, CallbackContext, ContextTypes
from telegram.request import BaseRequest

from bot.command_list import bot_commands
from bot.context import App, BotData, Context
from bot.handlers import register_handlers
from bot.pipeline import DIGEST_TICK_SECONDS, INGEST_TICK_SECONDS, Pipeline, build_pipeline
from bot.services import Services, open_services
from bot.settings import Settings

log = logging.getLogger(__name__)

# Updates handled at once: one slow /summary must not hold up anyone's /help.
CONCURRENT_UPDATES = 64


class BotSetupError(ValueError):
    """The settings cannot run a Telegram bot (no token)."""


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    services: Services | None = None,
    summarizer_workers: int = 2,
    background: bool = False,
) -> App:
    """Build the bot: resources open in post_init and close in post_shutdown.

    ``services`` given by the caller stay the caller's to close. ``background`` also runs
    ingestion, scheduled digests and the outbox sender in this process (``newsdigest run``).
    """
    if settings.telegram_token is None:
        raise BotSetupError("a Telegram bot needs NEWSDIGEST_TELEGRAM_TOKEN")
    api = settings.telegram_api_url
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_token.reveal())
        .base_url(api)
        .base_file_url(api.removesuffix("/bot") + "/file/bot")
        .context_types(ContextTypes(context=CallbackContext, bot_data=BotData))
        .concurrent_updates(CONCURRENT_UPDATES)
    )
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    owned: list[Services] = []
    tasks: list[asyncio.Task[None]] = []
    stop_sender = asyncio.Event()

    async def post_init(app: App) -> None:
        opened = services
        if opened is None:
            opened = await open_services(settings, summarizer_workers=summarizer_workers)
            owned.append(opened)
        app.bot_data.open(opened)
        # Loading the language model takes seconds: do it before the first /summary waits on it.
        await opened.summarizer.warm_up()
        try:
            await app.bot.set_my_commands(bot_commands())
        except TelegramError as exc:  # a menu is a nicety: the bot works without it
            log.warning("setMyCommands failed: %s", exc)
        if background:
            pipeline = build_pipeline(opened, bot=app.bot)
            schedule_background(app, pipeline)
            tasks.append(asyncio.create_task(pipeline.run_sender(stop_sender)))

    async def post_shutdown(app: App) -> None:
        stop_sender.set()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        app.bot_data.take()
        for opened in owned:
            await opened.aclose()
        owned.clear()

    app: App = builder.post_init(post_init).post_shutdown(post_shutdown).build()  # type: ignore[assignment]
    register_handlers(app)
    return app


def schedule_background(app: App, pipeline: Pipeline) -> None:
    """Ingestion and due digests on PTB's job queue (the one scheduler of the bot process)."""
    queue = app.job_queue
    if queue is None:
        raise BotSetupError("the job queue is missing: install python-telegram-bot[job-queue]")

    async def ingest(_context: Context) -> None:
        await pipeline.ingest_tick()

    async def digests(_context: Context) -> None:
        await pipeline.digest_tick()

    # Stable names; APScheduler's defaults keep one instance of each running at a time.
    queue.run_repeating(
        ingest, interval=timedelta(seconds=INGEST_TICK_SECONDS), first=0, name="ingest"
    )
    queue.run_repeating(
        digests, interval=timedelta(seconds=DIGEST_TICK_SECONDS), first=0, name="digests"
    )
