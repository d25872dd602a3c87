"""The outbox's transport over python-telegram-bot: Telegram's errors become the sender's."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import AIORateLimiter

from jobs.outbox import ChatGone, ChatMoved, RateLimiter, Rejected, RetryLater, TransientError

log = logging.getLogger(__name__)

_TAG = re.compile(r"<[^>]+>")


def html_to_plain(markup: str) -> str:
    """What a reader should still see when Telegram refuses our HTML: the text, no tags."""
    return html.unescape(_TAG.sub("", markup))


def reply_parameters(message_id: int | None) -> ReplyParameters | None:
    """A reply to ``message_id``, sent on its own if that message was deleted since (Telegram
    refuses it otherwise); None for no reply."""
    if message_id is None:
        return None
    return ReplyParameters(message_id, allow_sending_without_reply=True)


def retry_seconds(value: int | float | timedelta) -> float:
    """A RetryAfter's wait in seconds: PTB gives an int or, by its newer setting, a timedelta."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def sender_bot(token: str, base_url: str) -> Bot:
    """A Bot for the outbox alone, without PTB's rate limiter.

    The outbox paces itself and answers a 429 by deferring only that chat; AIORateLimiter would
    instead sleep out ``retry_after`` inside the call and stall every chat behind it (and its
    ``rate_limit_args=0`` cannot turn retries off: PTB reads 0 as "use the default").
    """
    return Bot(token, base_url=base_url)


class SharedPaceLimiter(AIORateLimiter):
    """PTB's limiter for replies, taking its global slots from the outbox's pace.

    Telegram's 30 messages a second is per bot, not per Bot object: replies and the outbox in one
    process must share it, or a digest fan-out at 29.5/s plus busy readers would go over and
    collect 429s. AIORateLimiter keeps its per-group limit and its retry of a 429; only its
    overall limit is replaced by the shared pace.
    """

    def __init__(self, pace: RateLimiter, max_retries: int = 3) -> None:
        super().__init__(overall_max_rate=0, max_retries=max_retries)
        self.pace = pace

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        # Only requests to a chat count towards the ceiling, as in AIORateLimiter itself.
        if data.get("chat_id") is None:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        async with self.pace.sending():
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )


class TelegramTransport:
    """Sends outbox payloads with PTB's Bot; payload keys: text, reply_markup?, preview?, reply_to?

    ``reply_to`` (a message id) makes it a reply; sent alone if that message is gone since.
    """

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: int, payload: dict[str, Any]) -> int | None:
        try:
            return await self._send(chat_id, payload, plain=False)
        except BadRequest as exc:
            if "can't parse entities" not in str(exc).lower():
                raise Rejected(str(exc)) from exc
            # Our HTML should always parse; if Telegram disagrees, the reader still gets the news.
            log.warning("chat %s: Telegram refused our HTML (%s); sending plain text", chat_id, exc)
            try:
                return await self._send(chat_id, payload, plain=True)
            except BadRequest as again:
                raise Rejected(str(again)) from again

    async def _send(self, chat_id: int, payload: dict[str, Any], *, plain: bool) -> int | None:
        text = str(payload["text"])
        markup = payload.get("reply_markup")
        try:
            message = await self.bot.send_message(
                chat_id,
                html_to_plain(text) if plain else text,
                parse_mode=None if plain else ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(
                    is_disabled=not payload.get("preview", False)
                ),
                reply_markup=InlineKeyboardMarkup.de_json(markup, self.bot) if markup else None,
                reply_parameters=reply_parameters(payload.get("reply_to")),
            )
        except RetryAfter as exc:
            raise RetryLater(retry_seconds(exc.retry_after), str(exc)) from exc
        except ChatMigrated as exc:
            raise ChatMoved(exc.new_chat_id) from exc
        except Forbidden as exc:
            raise ChatGone(str(exc)) from exc
        except BadRequest:
            raise  # a subclass of NetworkError, but final: the caller decides
        except (TimedOut, NetworkError) as exc:
            raise TransientError(str(exc)) from exc
        except TelegramError as exc:
            raise TransientError(str(exc)) from exc
        return message.message_id
