"""/search of stored articles, and /trend: a chart of mentions per day."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from telegram import Update
from telegram.constants import ChatAction

from bot.chart import daily_series, trend_png
from bot.context import Context
from bot.handlers.replies import argument_text, reply, reply_usage, send_all
from bot.render import escape, render_search_results
from store.models import utcnow
from store.search import mentions_per_day, search_articles, search_words

SEARCH_WINDOW = timedelta(days=30)
SEARCH_RESULTS = 5
TREND_DAYS = 28


async def search(update: Update, context: Context) -> None:
    """Recent stored articles matching every word, with their summaries."""
    words = argument_text(update)
    if not search_words(words):
        await reply_usage(update, context, "search")
        return
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        found = await search_articles(
            session, words, since=utcnow() - SEARCH_WINDOW, limit=SEARCH_RESULTS
        )
    assert update.effective_chat is not None
    await send_all(context, update.effective_chat.id, render_search_results(words, found))


async def trend(update: Update, context: Context) -> None:
    """A PNG chart of how many stored articles mentioned the words each day."""
    words = argument_text(update)
    if not search_words(words):
        await reply_usage(update, context, "trend")
        return
    assert update.effective_chat is not None
    now = utcnow()
    first = (now - timedelta(days=TREND_DAYS - 1)).date()
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        counts = await mentions_per_day(session, words, since=now - timedelta(days=TREND_DAYS))
    total = sum(count for _, count in counts)
    if not total:
        await reply(
            update,
            context,
            f"No stored article mentioned <b>{escape(words)}</b> in the last {TREND_DAYS} days.",
        )
        return
    await context.bot.send_chat_action(update.effective_chat.id, ChatAction.UPLOAD_PHOTO)
    series = daily_series(counts, first=first, last=now.date())
    # Drawing takes a few hundred milliseconds of CPU: off the event loop.
    png = await asyncio.to_thread(trend_png, words, series)
    await context.bot.send_photo(
        update.effective_chat.id,
        png,
        caption=f"{total} articles mentioned “{words[:200]}” in the last {TREND_DAYS} days.",
    )
