"""Reading callback data back: every field checked against what our buttons offered.

Telegram clients can send any callback data (a modified client, an old message, a forged
update), so a button handler never trusts a field it reads: indexes must be in range and ids
must be among the chat's own rows. Anything else is answered "That button is out of date".
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Coroutine
from typing import Any

from telegram import Update

from bot.context import Context
from bot.handlers.common import chat_translation
from jobs.i18n import N_

STALE_BUTTON = N_("That button is out of date: send the command again for new buttons.")
# Row ids are BIGINT: a longer number cannot be one of ours, and the database would refuse it.
_MAX_ID_DIGITS = 18

ButtonCallback = Callable[[Update, Context], Coroutine[Any, Any, None]]


class StaleButton(Exception):
    """Callback data no button of ours (still) carries."""


def offered_index(field: str, count: int) -> int:
    """``field`` as an index below ``count`` (a catalog position, a page)."""
    if not field.isdecimal() or len(field) > _MAX_ID_DIGITS or int(field) >= count:
        raise StaleButton(field)
    return int(field)


def offered_id(field: str, ids: Collection[int]) -> int:
    """``field`` as one of ``ids``, the chat's own rows the button could have named."""
    if not field.isdecimal() or len(field) > _MAX_ID_DIGITS or int(field) not in ids:
        raise StaleButton(field)
    return int(field)


def offered_choice(field: str, choices: Collection[str]) -> str:
    if field not in choices:
        raise StaleButton(field)
    return field


def checks_buttons(callback: ButtonCallback) -> ButtonCallback:
    """Answer a tap whose data ``callback`` refused (with :class:`StaleButton`) as out of date.

    Handlers check the data before they answer the query, so the answer here is the only one.
    """

    @functools.wraps(callback)
    async def checked(update: Update, context: Context) -> None:
        try:
            await callback(update, context)
        except StaleButton:
            await stale_button(update, context)

    return checked


async def stale_button(update: Update, context: Context) -> None:
    """A tap no handler recognises: nothing changes, and the user learns why."""
    if update.callback_query is not None:
        # In the chat's language (a chat may have chosen one other than the app's).
        tr = await chat_translation(update, context)
        await update.callback_query.answer(tr.gettext(STALE_BUTTON))
