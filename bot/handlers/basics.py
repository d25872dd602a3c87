"""/start, /help, unknown commands, and the one error handler."""

from __future__ import annotations

import gettext
import logging
import uuid

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.context import Context
from bot.handlers.common import (
    chat_id_of,
    chat_translation,
    ensure_chat,
    is_bot_admin,
    may_change_settings,
    reader_code,
    reply,
    user_translation,
)
from bot.handlers.sources import subscribe_topic
from bot.render import render_help, render_language_line, welcome
from jobs.i18n import translation
from jobs.messages import escape
from jobs.plurals import counted

log = logging.getLogger(__name__)


def topic_keyboard(topics: list[str], tr: gettext.NullTranslations) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(topic.title(), callback_data=f"topic:{topic}")
            for topic in topics[i : i + 3]
        ]
        for i in range(0, len(topics), 3)
    ]
    rows.append(
        [InlineKeyboardButton("📰 " + tr.gettext("First digest"), callback_data="digest:now")]
    )
    return InlineKeyboardMarkup(rows)


async def start(update: Update, context: Context) -> None:
    """Welcome; `/start TOPIC` (a deep link) subscribes to that catalog topic at once."""
    chat = await ensure_chat(update, context)
    tr = translation(chat.language)
    catalog = context.bot_data.services.settings.catalog
    topics = list(dict.fromkeys(feed.topic for feed in catalog))
    payload = (context.args or [""])[0].strip().lower()
    if payload:
        if payload in topics:
            # A deep link opened in a group subscribes the group: its admins' decision.
            if not await may_change_settings(update, context):
                return
            added = await subscribe_topic(update, context, payload)
            text = tr.gettext(
                "Subscribed to {topic} ({sources}). Your first digest: /digest. "
                "Your schedule: /settings."
            ).format(
                topic=f"<b>{escape(payload.title())}</b>",
                sources=counted(added, "source", "sources", translations=tr),
            )
            await reply(update, context, f"✅ {text}")
            return
        await reply(
            update,
            context,
            tr.gettext("There is no topic “{topic}”. Pick one below.").format(
                topic=escape(payload[:40])
            ),
        )
    await reply(update, context, welcome(tr), markup=topic_keyboard(topics, tr))


async def help_command(update: Update, context: Context) -> None:
    """List every command with an example, and the chat's language."""
    language = await reader_code(update, context)
    text = render_help(admin=is_bot_admin(update, context), tr=translation(language))
    await reply(update, context, f"{text}\n{render_language_line(language)}")


async def unknown_command(update: Update, context: Context) -> None:
    """A command we do not have: say so and point at /help, unless it was for another bot."""
    text = update.effective_message.text if update.effective_message else ""
    command, _, addressee = (text or "/").split()[0].partition("@")
    private = update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE
    # /digest@otherbot is another bot's; in a group, a bare unknown command may be too.
    for_us = addressee.lower() == context.bot.username.lower() if addressee else private
    if not for_us:
        return
    command = command[:32]
    tr = await chat_translation(update, context)
    await reply(
        update,
        context,
        tr.gettext("I don't know {command}. /help lists what I can do.").format(
            command=escape(command)
        ),
    )


async def on_error(update: object, context: Context) -> None:
    """Log the traceback with an id; tell the chat only the id and an apology."""
    error_id = uuid.uuid4().hex[:8]
    log.error("error %s while handling %r", error_id, update, exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            # The sender's language, read from no database: the error may be the database's.
            tr = user_translation(update)
            await reply(
                update,
                context,
                tr.gettext(
                    "Sorry, something went wrong on my side (error {error_id}). Please try again."
                ).format(error_id=error_id),
            )
        except TelegramError:
            log.warning("could not tell chat %s about error %s", chat_id_of(update), error_id)
