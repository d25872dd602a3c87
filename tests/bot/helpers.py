"""Factories for the bot's tests: a running bot against the emulator, and stored articles."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update

from bot.app import build_application
from bot.context import App, Context
from bot.emulator import BotApiEmulator, SentMessage, User
from bot.settings import Limits, Secret, Settings
from store import chats as chat_store
from store.articles import link_entry, save_summary
from store.feeds import add_feed
from store.models import Article


@dataclass
class RunningBot:
    """The real Application polling the emulator, and every exception its handlers raised."""

    app: App
    emulator: BotApiEmulator
    settings: Settings
    admins: list[User] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)

    @property
    def sessionmaker(self) -> async_sessionmaker[AsyncSession]:
        return self.app.bot_data.services.sessionmaker

    async def ask(
        self, user: User, text: str, *, expect: str | None = None, **kwargs: Any
    ) -> SentMessage:
        """Send ``text`` as ``user`` and await the bot's answer (containing ``expect``)."""
        chat = kwargs.pop("chat", None)
        if text.startswith("/"):
            user.send_command(text, chat=chat)
        else:
            user.send_text(text, chat=chat, **kwargs)
        target = chat.id if chat is not None else user.id
        return await self.emulator.wait_for_message(
            target, (lambda m: expect in m.text) if expect else None
        )

    async def press(self, user: User, message: SentMessage, label: str) -> str:
        """Press the button labelled ``label`` and await the answer to the callback query."""
        query_id = user.press_button(message, message.button_data(label))
        await self.emulator.wait_until(lambda: self.emulator.callback_answers.get(query_id))
        return query_id


@asynccontextmanager
async def running_bot(data_dir: Path, *, limits: Limits | None = None) -> AsyncIterator[RunningBot]:
    """Start the emulator and the bot polling it; stop both and close every resource after.

    The bot has one admin (``running.admins[0]``), a user the emulator creates first.
    """
    async with BotApiEmulator(limits=None) as emulator:
        admin = emulator.create_user("Admin", username="admin")
        settings = Settings(
            data_dir=data_dir,
            database_url=f"sqlite:///{data_dir / 'bot.db'}",
            telegram_token=Secret(emulator.token),
            telegram_api_url=emulator.base_url,
            admin_ids=frozenset({admin.id}),
            fetch_allow=("127.0.0.1",),
            limits=limits or Limits(),
        )
        app = build_application(settings, summarizer_workers=2)
        running = RunningBot(app, emulator, settings, [admin])

        async def record(update: object, context: Context) -> None:
            assert context.error is not None
            running.errors.append(context.error)

        app.add_error_handler(record)
        # run_polling() would own the event loop; these are the steps it takes, in its order.
        await app.initialize()
        assert app.post_init is not None and app.updater is not None
        await app.post_init(app)
        await app.updater.start_polling(poll_interval=0, allowed_updates=Update.ALL_TYPES)
        await app.start()
        try:
            await emulator.wait_until(lambda: emulator.pollers == 1)
            yield running
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()
            assert app.post_shutdown is not None
            await app.post_shutdown(app)


async def store_article(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    feed_url: str,
    feed_title: str,
    chat_id: int | None,
    url: str,
    title: str,
    text: str,
    sentences: Sequence[str],
    fetched_at: datetime,
    story_key: str | None = None,
    entities: Sequence[dict[str, Any]] = (),
    figures: Sequence[dict[str, Any]] = (),
) -> int:
    """An article as ingestion leaves it: in a feed, summarized, and (optionally) subscribed to."""
    async with sessionmaker() as session, session.begin():
        feed, _ = await add_feed(
            session, feed_url, now=fetched_at, interval_seconds=900, title=feed_title
        )
        if chat_id is not None:
            await chat_store.subscribe(session, chat_id, feed.id, now=fetched_at)
        article = Article(
            canonical_url=url,
            feed_id=feed.id,
            title=title,
            text=text,
            fetched_at=fetched_at,
            published_at=fetched_at,
            story_key=story_key or url,
        )
        session.add(article)
        await session.flush()
        await link_entry(
            session,
            feed_id=feed.id,
            guid=url,
            article_id=article.id,
            entry_hash=None,
            now=fetched_at,
        )
        await save_summary(
            session,
            article.id,
            sentences=list(sentences),
            entities=list(entities),
            figures=list(figures),
            method="news",
            summarizer_version="test",
            reading_minutes=1,
        )
        return article.id
