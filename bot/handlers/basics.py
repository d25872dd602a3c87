"""/start (with topic deep links), /help, the unknown-command hint and the error handler."""

from __future__ import annotations

import logging
import secrets

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot.command_list import help_html
from bot.context import Context
from bot.handlers.digest import send_digest_now
from bot.handlers.replies import chat_row, may_configure, reply
from jobs.chat_config import CatalogChoice, subscribe_catalog
from jobs.messages import escape
from store.models import utcnow

log = logging.getLogger(__name__)

WELCOME = (
    "👋 <b>NewsDigest</b> sends you a calm digest of the news from sources you pick, "
    "summarized, with the names and figures that matter; instant alerts for keywords you choose; "
    "and summaries of any link or text you send.\n\n"
    "Tap a topic for a first digest, or pick sources one by one with /sources. /help lists everything."
)


def topics_keyboard(topics: list[str]) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(topic.title(), callback_data=f"start:{topic}") for topic in topics
    ]
    return InlineKeyboardMarkup([buttons[i : i + 3] for i in range(0, len(buttons), 3)])


def catalog_topics(context: Context) -> list[str]:
    return list(dict.fromkeys(feed.topic for feed in context.bot_data.services.settings.catalog))


async def start(update: Update, context: Context) -> None:
    """Welcome the user; ``/start TOPIC`` (a deep link) subscribes to that catalog topic."""
    services = context.bot_data.services
    async with services.sessionmaker() as session, session.begin():
        await chat_row(session, update)
    topic = (context.args or [""])[0].lower()
    if topic:
        await subscribe_topic(update, context, topic)
        return
    await reply(update, context, WELCOME, keyboard=topics_keyboard(catalog_topics(context)))


async def start_button(update: Update, context: Context) -> None:
    """A topic tapped under the welcome: subscribe to it and send the digest right away."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    await subscribe_topic(update, context, query.data.split(":", 1)[1])


async def subscribe_topic(update: Update, context: Context, topic: str) -> None:
    if not await may_configure(update, context):
        return
    services = context.bot_data.services
    choices = [
        CatalogChoice(feed.topic, feed.title, feed.url)
        for feed in services.settings.catalog
        if feed.topic == topic
    ]
    if not choices:
        topics = ", ".join(catalog_topics(context))
        await reply(
            update, context, f"There is no topic {escape(topic)!r}. Topics: {escape(topics)}."
        )
        return
    async with services.sessionmaker() as session, session.begin():
        chat = await chat_row(session, update)
        added = await subscribe_catalog(
            session, chat.id, choices, now=utcnow(), interval=services.settings.poll_interval
        )
    names = ", ".join(escape(choice.title) for choice in choices)
    await reply(
        update,
        context,
        f"✅ Subscribed to <b>{escape(topic)}</b> ({added} new): {names}.",
    )
    await send_digest_now(update, context)


async def help_command(update: Update, context: Context) -> None:
    """List every command with an example."""
    await reply(update, context, help_html())


async def unknown_command(update: Update, context: Context) -> None:
    """Answer a command we do not know with a hint."""
    message = update.effective_message
    word = (message.text or "").split(maxsplit=1)[0] if message is not None else ""
    await reply(
        update, context, f"I don't know the command {escape(word)}. /help lists the ones I do."
    )


async def error_handler(update: object, context: Context) -> None:
    """Log the traceback under a short id and tell the user only the id."""
    error_id = secrets.token_hex(4)
    log.error("error %s while handling %r", error_id, update, exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(
                update.effective_chat.id,
                f"Sorry, something went wrong on our side (error id {error_id}). Please try again later.",
            )
        except TelegramError:
            log.warning("could not tell chat %s about error %s", update.effective_chat.id, error_id)
