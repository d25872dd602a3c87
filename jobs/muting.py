"""Muting a chat's source from a story's button: the subscription stays, its stories stop.

Digest selection and alert matching leave muted subscriptions out (store.digests,
store.alerting); what was queued before the mute and still waits (an alert held by quiet hours
or a pause) is dropped here, so nothing from the source arrives after the reader muted it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from jobs.story_buttons import stories_of
from store import chats as chat_store
from store import deliveries
from store.models import DeliveryKind


async def set_source_muted(
    session: AsyncSession, chat_id: int, feed_id: int, *, mute: bool, now: datetime
) -> bool:
    """Mute or unmute the chat's subscription to the feed; False when it already was so.

    Unmuting brings back what arrives from then on; alerts dropped by the mute stay dropped.
    """
    changed = await chat_store.set_muted(session, chat_id, feed_id, muted_at=now if mute else None)
    if changed and mute:
        waiting = await deliveries.unsent(session, chat_id, DeliveryKind.ALERT)
        await deliveries.drop(
            session,
            [
                delivery_id
                for delivery_id, payload in waiting
                if any(story.feed_id == feed_id for story in stories_of(payload))
            ],
            reason="source muted",
        )
    return changed
