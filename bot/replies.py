"""Sending HTML replies safely: previews off for news lists, plain text if Telegram refuses HTML."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Sequence

from telegram import CallbackQuery, InlineKeyboardMarkup, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ExtBot

from bot.telegram_transport import html_to_plain, reply_parameters
from jobs.messages import MESSAGE_LIMIT, escape, truncate_visible, visible_length, visible_text

log = logging.getLogger(__name__)

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
# Bot API, answerCallbackQuery: a tap's answer holds 0-200 characters; more is refused.
ANSWER_LIMIT = 200


async def send_html(
    bot: ExtBot[None],
    chat_id: int,
    text: str,
    *,
    markup: InlineKeyboardMarkup | None = None,
    preview: bool = False,
    reply_to: int | None = None,
) -> Message:
    """Send ``text`` as HTML; if Telegram cannot parse it, send the same words as plain text.

    A reply (``reply_to``) whose message was deleted meanwhile is sent on its own.
    """
    options = None if preview else NO_PREVIEW
    text = capped(text)
    replying = reply_parameters(reply_to)
    try:
        return await bot.send_message(
            chat_id,
            text,
            parse_mode=ParseMode.HTML,
            link_preview_options=options,
            reply_markup=markup,
            reply_parameters=replying,
        )
    except BadRequest as exc:
        if "can't parse entities" not in str(exc).lower():
            raise
        log.warning("Telegram refused our HTML (%s); sending plain text", exc)
        return await bot.send_message(
            chat_id,
            html_to_plain(text),
            link_preview_options=options,
            reply_markup=markup,
            reply_parameters=replying,
        )


def capped(text: str) -> str:
    """``text`` within Telegram's length limit: the last guard, where every reply passes.

    Renderers fit their own texts; one that did not is cut here (as plain text, since a cut
    could fall inside a tag) rather than refused by Telegram and answered with an apology.
    """
    if visible_length(text) <= MESSAGE_LIMIT:
        return text
    log.warning("a reply of %d characters was cut to Telegram's limit", visible_length(text))
    return escape(truncate_visible(visible_text(text), MESSAGE_LIMIT))


async def send_all(
    bot: ExtBot[None], chat_id: int, texts: Sequence[str], *, preview: bool = False
) -> None:
    for text in texts:
        await send_html(bot, chat_id, text, preview=preview)


async def _unless_unchanged(edit: Awaitable[object]) -> None:
    """Run an edit; Telegram's "message is not modified" means the message already shows it."""
    try:
        await edit
    except BadRequest as exc:
        # A repeated tap (the same option, Next twice, Cancel twice) asks for what is shown.
        if "message is not modified" not in str(exc).lower():
            raise


async def edit_text(
    query: CallbackQuery, text: str, *, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Replace the text (HTML) and keyboard of the message whose button was tapped."""
    message = query.message
    if message is None or not hasattr(message, "edit_text"):
        return  # too old for Telegram to hand over: nothing to edit
    await _unless_unchanged(
        message.edit_text(
            capped(text),
            parse_mode=ParseMode.HTML,
            link_preview_options=NO_PREVIEW,
            reply_markup=markup,
        )
    )


async def edit_keyboard(query: CallbackQuery, markup: InlineKeyboardMarkup | None) -> None:
    """Replace only the keyboard of the message whose button was tapped."""
    message = query.message
    if message is None or not hasattr(message, "edit_reply_markup"):
        return
    await _unless_unchanged(message.edit_reply_markup(reply_markup=markup))


async def answer_tap(query: CallbackQuery, text: str, *, show_alert: bool = False) -> None:
    """Answer a button tap with ``text`` cut to Telegram's limit: a refused answer leaves the
    tap spinning and the handler failing after what the tap did is already stored (a mute of
    a source with a long name, say)."""
    await query.answer(truncate_visible(text, ANSWER_LIMIT), show_alert=show_alert)
