"""Tell the chats subscribed to a feed, once, that it has stopped working."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.fetch import reader_reason
from jobs.i18n import translation
from jobs.messages import render_feed_broken
from store import chats as chat_store
from store import deliveries
from store import feeds as feed_store
from store.models import DeliveryKind, Feed


async def queue_feed_broken_notices(
    sessionmaker: async_sessionmaker[AsyncSession], feed_id: int, error: str, *, now: datetime
) -> int:
    """Queue one notice per subscribed chat for this breakage; returns how many were queued.

    The item key names the moment the feed broke, so a retry of this call adds nothing, while a
    feed that recovers and breaks again later is announced again. ``error`` is the failure as
    recorded for the administrator; readers get its :func:`~jobs.fetch.reader_reason`.
    """
    async with sessionmaker() as session, session.begin():
        feed = await session.get(Feed, feed_id)
        if feed is None or feed.broken_at is None or feed.broken_notified_at is not None:
            return 0
        chat_ids = await feed_store.subscriber_chat_ids(session, feed_id)
        languages = await chat_store.chat_languages(session, chat_ids)
        queued = 0
        for chat_id in chat_ids:
            # Worded in each subscriber's language, when it is queued (the outbox sends it as is).
            tr = translation(languages.get(chat_id))
            text = render_feed_broken(
                feed_title=feed.title or "", url=feed.url, error=reader_reason(error, tr), tr=tr
            )
            queued += int(
                await deliveries.enqueue(
                    session,
                    chat_id=chat_id,
                    kind=DeliveryKind.NOTICE,
                    item_key=f"feed-broken:{feed_id}:{feed.broken_at:%Y%m%dT%H%M%S}",
                    payload={"text": text},
                    now=now,
                )
            )
        feed.broken_notified_at = now
    return queued
