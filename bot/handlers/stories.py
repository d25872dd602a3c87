"""Per-story buttons under digests and alerts: item numbers, More, Mute source, Back.

Every tap is checked against the message it came from: the outbox row of that message
(found by its Telegram message id) lists the stories it showed, so an article must be one of
them and a feed the story's own, still subscribed; anything else is answered as out of date.
The Follow button (``fo:``) is the follow-story feature's. The keyboards themselves are built
in jobs/story_buttons.py.

In groups anyone may ask for More (the reply is in the group, under the story); only admins
mute a source for the group. Channels get no story buttons (see
jobs.story_buttons.has_story_buttons).
"""

from __future__ import annotations

import contextlib
import gettext
import logging
from datetime import timedelta
from typing import Any

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, RetryAfter, TelegramError

from bot.context import Context
from bot.handlers.buttons import StaleButton, offered_choice, offered_id
from bot.handlers.common import button_data, chat_id_of, permitted_button
from bot.render import render_link_digest
from bot.replies import answer_tap, edit_keyboard, send_html
from bot.telegram_transport import retry_seconds
from jobs import muting
from jobs.full_summary import full_summary
from jobs.i18n import translation
from jobs.story_buttons import BACK, StoryRef, actions_keyboard, stories_of
from store import chats as chat_store
from store import deliveries
from store.models import Chat, DeliveryKind, DeliveryStatus, utcnow

log = logging.getLogger(__name__)


def _markup(context: Context, keyboard: dict[str, Any]) -> InlineKeyboardMarkup:
    markup = InlineKeyboardMarkup.de_json(keyboard, context.bot)
    assert markup is not None
    return markup


async def _offered(update: Update, context: Context) -> tuple[dict[str, Any], Chat | None]:
    """The payload of the tapped message (its stories and first keyboard), and the chat."""
    query = update.callback_query
    assert query is not None
    if query.message is None:
        raise StaleButton("no message")  # too old for Telegram to hand over
    chat_id = chat_id_of(update)
    async with context.bot_data.services.sessionmaker() as session:
        payload = await deliveries.message_payload(session, chat_id, query.message.message_id)
        chat = await session.get(Chat, chat_id)
    if payload is None or not stories_of(payload):
        raise StaleButton("not a message with stories")
    return payload, chat


def _story(field: str, payload: dict[str, Any]) -> StoryRef:
    stories = {story.article_id: story for story in stories_of(payload)}
    return stories[offered_id(field, stories)]


async def offered_story(update: Update, context: Context, field: str) -> StoryRef:
    """The story ``field`` (an article id) names, checked against the tapped message's own
    stories; StaleButton otherwise. For buttons of other features under the same messages
    (``fo:<article>``, Follow)."""
    payload, _ = await _offered(update, context)
    return _story(field, payload)


def _fields(update: Update, count: int) -> list[str]:
    fields = button_data(update).split(":")[1:]
    if len(fields) != count:
        raise StaleButton(button_data(update))
    return fields


async def _mute_state(context: Context, chat_id: int, feed_id: int) -> bool | None:
    """Whether the chat muted the feed; None when it no longer follows it (removed since)."""
    async with context.bot_data.services.sessionmaker() as session:
        sources = {s.feed_id: s for s in await chat_store.chat_sources(session, chat_id)}
    return sources[feed_id].muted if feed_id in sources else None


def _tr(chat: Chat | None) -> gettext.NullTranslations:
    return translation(chat.language if chat else None)


async def _show_actions(
    context: Context,
    query: CallbackQuery,
    story: StoryRef,
    chat: Chat | None,
    *,
    muted: bool | None,
) -> None:
    # A digest's item (numbered) goes back to the numbers; an alert has only these actions.
    keyboard = actions_keyboard(story, muted=muted, back=story.number > 0, tr=_tr(chat))
    await edit_keyboard(query, _markup(context, keyboard))


async def story_button(update: Update, context: Context) -> None:
    """An item number: the message's keyboard becomes that story's actions."""
    payload, chat = await _offered(update, context)
    [field] = _fields(update, 1)
    story = _story(field, payload)
    muted = await _mute_state(context, chat_id_of(update), story.feed_id)
    query = update.callback_query
    assert query is not None
    await query.answer()
    await _show_actions(context, query, story, chat, muted=muted)


async def back_button(update: Update, context: Context) -> None:
    """Back: the message's item numbers again, as it was sent."""
    payload, _ = await _offered(update, context)
    offered_choice(button_data(update), {BACK})
    query = update.callback_query
    assert query is not None
    await query.answer()
    await edit_keyboard(query, _markup(context, payload["reply_markup"]))


# How long a More reply the handler is sending is kept from the sender: if the handler dies
# meanwhile (kill -9), the reply goes out when this is over. Far above a send's time through
# PTB's rate limiter, whose group queue and 429 retries can hold a reply for minutes, so that
# the sender does not send it beside a live handler.
MORE_REPLY_HOLD = timedelta(minutes=10)


async def more_button(update: Update, context: Context) -> None:
    """More: the story's full summary, as a reply under the message (which stays as it is:
    a digest message holds other stories, and a reply is the one the reader asked for).

    One reply per message and story, however often it is tapped: the reply is claimed as an
    outbox row before it is sent (see deliveries.claim_reply), so a double tap, or a second
    member of a group, is pointed to the reply, and a reply the handler fails to send, or dies
    sending, is sent by the outbox sender.
    """
    payload, chat = await _offered(update, context)
    [field] = _fields(update, 1)
    story = _story(field, payload)
    async with context.bot_data.services.sessionmaker() as session:
        found = await full_summary(session, story.article_id)
    query = update.callback_query
    assert query is not None and query.message is not None
    tr = _tr(chat)
    if found is None:
        await query.answer(tr.gettext("That story is no longer stored."))
        return
    chat_id = chat_id_of(update)
    reply_to = query.message.message_id
    text = render_link_digest(
        found.title, found.url, found.digest, tr, reader=chat.language if chat else None
    )
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        claim = await deliveries.claim_reply(
            session,
            chat_id=chat_id,
            kind=DeliveryKind.SUMMARY,
            item_key=f"more:{reply_to}:{story.article_id}",
            payload={"text": text, "reply_to": reply_to},
            now=utcnow(),
            hold=MORE_REPLY_HOLD,
        )
    if claim.delivery_id is None:
        if claim.existing == DeliveryStatus.SENT:
            note = tr.gettext("The full summary is in the reply under this message.")
        else:
            note = tr.gettext("The full summary is on its way.")
        with contextlib.suppress(BadRequest):  # too old to answer: nothing more to say
            await query.answer(note)
        return
    await _send_claimed(context, query, claim.delivery_id, chat_id, text, reply_to)


async def _send_claimed(
    context: Context, query: CallbackQuery, delivery_id: int, chat_id: int, text: str, reply_to: int
) -> None:
    """Send a claimed More reply; whatever stops it, the reply is left to the sender."""
    try:
        with contextlib.suppress(BadRequest):  # a tap too old to answer still gets its reply
            await query.answer()
        sent = await send_html(context.bot, chat_id, text, reply_to=reply_to)
    except BaseException as exc:
        # Refused for good (no right to post here, say): failed, and the next tap tries again.
        final = isinstance(exc, BadRequest)
        seconds = retry_seconds(exc.retry_after) if isinstance(exc, RetryAfter) else 0.0
        async with context.bot_data.services.sessionmaker() as session, session.begin():
            await deliveries.release_to_sender(
                session,
                delivery_id,
                at=utcnow() + timedelta(seconds=seconds),
                error=str(exc),
                final=final,
            )
        context.bot_data.runtime.pipeline.wake_sender()
        if not isinstance(exc, TelegramError):
            raise
        log.warning("chat %s: More reply failed (%s); left to the sender", chat_id, exc)
        return
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        await deliveries.mark_sent(session, delivery_id, message_id=sent.message_id, now=utcnow())


async def mute_button(update: Update, context: Context) -> None:
    """Mute (``mu:``) or unmute (``um:``) the story's source for this chat."""
    payload, chat = await _offered(update, context)
    kind = button_data(update).split(":", 1)[0]
    feed_field, article_field = _fields(update, 2)
    story = _story(article_field, payload)
    offered_id(feed_field, {story.feed_id})
    chat_id = chat_id_of(update)
    if await _mute_state(context, chat_id, story.feed_id) is None:
        raise StaleButton(feed_field)  # removed since: nothing to mute
    tapped = await permitted_button(update, context)
    if tapped is None:
        return
    query, _ = tapped
    mute = kind == "mu"
    await set_source_muted(context, chat_id, story.feed_id, mute=mute)
    tr = _tr(chat)
    if mute:
        note = tr.gettext(
            "🔇 Muted {source}: its stories are left out of your digests and alerts. "
            "Undo with 🔊 Unmute here or in /mysources."
        ).format(source=story.source)
    else:
        note = unmuted_note(tr, story.source)
    await answer_tap(query, note, show_alert=mute)
    await _show_actions(context, query, story, chat, muted=mute)


async def set_source_muted(context: Context, chat_id: int, feed_id: int, *, mute: bool) -> bool:
    """Mute or unmute the chat's subscription (see jobs.muting); False when it already was so."""
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        return await muting.set_source_muted(session, chat_id, feed_id, mute=mute, now=utcnow())


def unmuted_note(tr: gettext.NullTranslations, source: str) -> str:
    return tr.gettext("🔊 {source} is back in your digests and alerts.").format(source=source)
