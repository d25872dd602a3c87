"""/summary of a link, of a replied-to message, or of a pasted or forwarded text."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable

from telegram import Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError

from bot.context import Context
from bot.handlers.replies import argument_text, reply, reply_usage, send_all
from bot.render import DigestView, escape, render_digest_html
from jobs.fetch import FetchError
from jobs.on_demand import LinkError, summarize_link
from summarizer import SummarizerError

log = logging.getLogger(__name__)

URL = re.compile(r"https?://\S+", re.IGNORECASE)
ONLY_URL = re.compile(r"^\s*(https?://\S+)\s*$", re.IGNORECASE)
# Shorter pasted texts are chat, not articles; the summarizer wants a few paragraphs anyway.
LONG_TEXT_CHARS = 400
# Telegram shows "typing" for 5 s; renewing a little before keeps it on without a gap.
TYPING_RENEW_SECONDS = 4.0


@contextlib.asynccontextmanager
async def typing(context: Context, chat_id: int) -> AsyncIterator[None]:
    """Show "typing…" in the chat for as long as the block runs."""

    async def renew() -> None:
        while True:
            with contextlib.suppress(TelegramError):
                await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
            await asyncio.sleep(TYPING_RENEW_SECONDS)

    task = asyncio.create_task(renew())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def summary(update: Update, context: Context) -> None:
    """``/summary URL``, or ``/summary`` in reply to a message with a link or a long text."""
    argument = argument_text(update)
    message = update.effective_message
    replied = message.reply_to_message if message is not None else None
    source = argument or (replied.text or replied.caption or "" if replied is not None else "")
    if not source:
        await reply_usage(update, context, "summary")
        return
    # A short text with a link in it means the link; a long one is the text to summarize.
    found = URL.search(source) if len(source) < LONG_TEXT_CHARS else None
    if found:
        await summarize_url(update, context, found.group(0))
    else:
        await summarize_text(update, context, source)


async def plain_message(update: Update, context: Context) -> None:
    """A message that is a link, or a long pasted or forwarded text: summarize it."""
    message = update.effective_message
    if message is None or not message.text:
        return
    found = ONLY_URL.match(message.text)
    if found:
        await summarize_url(update, context, found.group(1))
    elif len(message.text) >= LONG_TEXT_CHARS or message.forward_origin is not None:
        await summarize_text(update, context, message.text)
    elif update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE:
        await reply(
            update,
            context,
            "Send me a link or paste a long text and I summarize it. /help lists what else I do.",
        )


async def _summarize(
    update: Update, context: Context, what: str, work: Callable[[], Awaitable[DigestView]]
) -> None:
    """Rate-limit, show "typing…" while ``work`` runs off the loop, send the result or the reason."""
    user, chat = update.effective_user, update.effective_chat
    assert chat is not None
    wait = context.bot_data.summary_limiter.try_acquire(user.id if user is not None else chat.id)
    if wait:
        await reply(
            update, context, f"⏳ That's a lot of summaries at once: try again in {wait} s."
        )
        return
    try:
        async with typing(context, chat.id):
            view = await work()
    except (FetchError, LinkError, SummarizerError) as exc:
        await reply(update, context, f"❌ Could not summarize {escape(what)}: {escape(str(exc))}")
        return
    await send_all(context, chat.id, render_digest_html(view))


async def summarize_url(update: Update, context: Context, url: str) -> None:
    services = context.bot_data.services

    async def work() -> DigestView:
        result = await summarize_link(
            services.fetcher,
            services.summarizer,
            url,
            max_chars=services.settings.limits.max_article_chars,
        )
        return DigestView(result.digest, result.title, result.url)

    await _summarize(update, context, url, work)


async def summarize_text(update: Update, context: Context, text: str) -> None:
    services = context.bot_data.services

    async def work() -> DigestView:
        digest = await services.summarizer.summarize(
            text, max_chars=services.settings.limits.max_article_chars
        )
        return DigestView(digest, None, None)

    await _summarize(update, context, "that text", work)
