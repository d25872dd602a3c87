"""The real Application, polling the Bot API emulator, with real services on SQLite and a feed server."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import TypeHandler

from bot.app import BotApplication, Webhook, build_application, running
from bot.context import Context
from bot.emulator import DEFAULT_TOKEN, BotApiEmulator, FloodLimits, SentMessage, User
from bot.services import Services, fetch_policy, ingest_options
from bot.settings import CatalogFeed, Limits, Secret, Settings
from jobs.fetch import SafeFetcher
from jobs.summarizing import SummarizerPool
from store import migrate
from store.database import create_engine, create_sessionmaker
from store.models import Chat
from tests.feedserver import FeedServer, loopback_only


def catalog(server: FeedServer) -> tuple[CatalogFeed, ...]:
    return (
        CatalogFeed("world", "Coastal Courier", server.url("/teaser.xml")),
        CatalogFeed("world", "Harbour Gazette", server.url("/atom.xml")),
        CatalogFeed("energy", "Energy Wire", server.url("/outlet-b.xml")),
        *(
            CatalogFeed("bench", f"Bench feed {n}", server.url(f"/bench/feed/{n}.xml"))
            for n in range(6)
        ),
    )


@dataclass
class Harness:
    emulator: BotApiEmulator
    app: BotApplication
    services: Services
    server: FeedServer

    admin: User
    errors: list[BaseException] = field(default_factory=list)
    handled_queries: set[str] = field(default_factory=set)
    handled_messages: set[tuple[int, int]] = field(default_factory=set)
    handled_updates: set[int] = field(default_factory=set)

    def user(self, name: str = "Ada", *, language_code: str | None = "en") -> User:
        return self.emulator.create_user(name, language_code=language_code)

    async def ask(self, user: User, text: str, *, timeout: float = 10.0) -> SentMessage:  # noqa: ASYNC109 -- passed to the emulator's own wait
        """Send a command or text as ``user`` and wait for the bot's first reply."""
        if text.startswith("/"):
            user.send_command(text)
        else:
            user.send_text(text)
        return await self.emulator.wait_for_message(user.id, timeout=timeout)

    async def press(self, user: User, message: SentMessage, label: str) -> SentMessage:
        """Press the button whose label contains ``label``; returns the message after the tap."""
        matching = [b for b in message.buttons if label in b.get("text", "")]
        if not matching:
            raise LookupError(
                f"no button with {label!r} in {[b.get('text') for b in message.buttons]}"
            )
        query_id = user.press_button(message, matching[0]["callback_data"])
        await self.handled(query_id)
        return message

    async def press_made_up(self, user: User, message: SentMessage, data: str) -> dict[str, Any]:
        """Tap a button carrying ``data`` under ``message``, whether or not the message shows one
        (a modified client can send any data), and return the bot's answer to the tap."""
        query_id = str(next(self.emulator.query_ids))
        self.emulator.callback_answers[query_id] = None
        self.emulator.push_update(
            "callback_query",
            {
                "id": query_id,
                "from": user.to_api(),
                "chat_instance": str(message.chat_id),
                "message": self.emulator.message_to_api(message),
                "data": data,
            },
        )
        answer: dict[str, Any] = await self.emulator.wait_until(
            lambda: self.emulator.callback_answers[query_id]
        )
        await self.handled(query_id)
        return answer

    async def handled(self, *query_ids: str) -> None:
        """Wait until the bot has handled these taps to the end, error handlers included."""
        await self.emulator.wait_until(lambda: self.handled_queries.issuperset(query_ids))

    async def handled_message(self, chat_id: int, message_id: int) -> None:
        """Wait until the bot has handled this message to the end, whether it answered or not."""
        await self.emulator.wait_until(lambda: (chat_id, message_id) in self.handled_messages)

    async def chat_row(self, chat_id: int) -> Chat:
        """The chat's row as the bot stored it."""
        async with self.services.sessionmaker() as session:
            chat = await session.get(Chat, chat_id)
        assert chat is not None, f"no row for chat {chat_id}"
        return chat

    async def handled_update(self, update_id: int | None) -> None:
        """Wait until the bot has handled this update (any kind) to the end."""
        assert update_id is not None, "the bot did not ask for updates of this kind"
        await self.emulator.wait_until(lambda: update_id in self.handled_updates)

    async def ingest(self) -> None:
        await self.app.bot_data.runtime.pipeline.ingest_tick()


@asynccontextmanager
async def bot_harness(
    tmp_path: Path,
    *,
    limits: Limits | None = None,
    flood: FloodLimits | None = None,
    database_url: str | None = None,
    webhook: bool = False,
) -> AsyncIterator[Harness]:
    """The bot on an empty database (SQLite in ``tmp_path`` unless ``database_url`` is given);
    ``flood`` turns on the emulator's Telegram rate limits."""
    with FeedServer(bench_entries=3) as server:
        async with BotApiEmulator(DEFAULT_TOKEN, limits=flood) as emulator:
            admin = emulator.create_user("Admin")
            settings = Settings(
                data_dir=tmp_path,
                database_url=database_url or f"sqlite:///{tmp_path / 'bot.db'}",
                telegram_token=Secret(DEFAULT_TOKEN),
                telegram_api_url=emulator.base_url,
                fetch_allow=("127.0.0.1",),
                catalog=catalog(server),
                admin_ids=frozenset({admin.id}),
                limits=limits or Limits(),
            )
            engine = create_engine(settings.database_url)
            await migrate.upgrade(engine)
            services = Services(
                settings=settings,
                engine=engine,
                sessionmaker=create_sessionmaker(engine),
                fetcher=SafeFetcher(fetch_policy(settings), resolver=loopback_only),
                summarizer=SummarizerPool(workers=2),
                ingest=ingest_options(settings),
            )
            app = build_application(settings, services=services, background=False)
            harness = Harness(emulator, app, services, server, admin)

            async def record(update: object, context: Context) -> None:
                assert context.error is not None
                harness.errors.append(context.error)

            app.add_error_handler(record)

            async def finished(update: Update, context: Context) -> None:
                # A later group runs after the handler of group 0 and its error handlers.
                harness.handled_updates.add(update.update_id)
                if update.callback_query is not None:
                    harness.handled_queries.add(update.callback_query.id)
                elif update.effective_message is not None:
                    message = update.effective_message
                    harness.handled_messages.add((message.chat_id, message.message_id))
                emulator.notify()

            app.add_handler(TypeHandler(Update, finished), group=99)
            try:
                hook = _local_webhook() if webhook else None
                async with running(app, webhook=hook):
                    if hook is None:
                        await emulator.wait_until(lambda: emulator.pollers == 1)
                    else:
                        await emulator.wait_until(lambda: emulator.webhook_url == hook.url)
                    yield harness
            finally:
                await services.aclose()


def _local_webhook() -> Webhook:
    """A webhook on a free port of 127.0.0.1, with a secret token Telegram would send."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return Webhook(f"http://127.0.0.1:{port}/telegram", "127.0.0.1", port, "webhook-secret-1")


def texts(messages: list[SentMessage]) -> list[str]:
    return [message.text for message in messages]


__all__ = ["Harness", "Update", "bot_harness", "texts"]
