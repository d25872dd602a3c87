"""Data access for /pause: the chat's pause, the alerts and digests held meanwhile, its end."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Chat, Delivery, DeliveryKind, DeliveryStatus

# What a pause holds back; notices (a source broke) and asked-for summaries still go. A held
# story update is sent when the pause ends (one per story at most: jobs/follows.py).
HELD_KINDS = (DeliveryKind.ALERT, DeliveryKind.DIGEST, DeliveryKind.UPDATE)


def not_held() -> ColumnElement[bool]:
    """The outbox condition "this row may be sent now": its chat is not paused, or the row is
    of a kind a pause does not hold. A pause holds until the transaction that ends it, not
    until ``paused_until``: an expired pause still holds its alerts until they are folded."""
    return or_(Chat.paused_at.is_(None), Delivery.kind.not_in(HELD_KINDS))


async def locked_chat(session: AsyncSession, chat_id: int) -> Chat | None:
    """The chat's row, locked (PostgreSQL) so a /resume and the expiry job never both end it."""
    return await session.get(Chat, chat_id, with_for_update=True, populate_existing=True)


async def expired_pauses(session: AsyncSession, *, now: datetime, limit: int) -> list[Chat]:
    """Paused chats whose pause has run out, locked; other workers skip them."""
    return list(
        await session.scalars(
            select(Chat)
            .where(Chat.paused_at.is_not(None), Chat.paused_until <= now)
            .order_by(Chat.paused_until, Chat.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )


async def pending_of_kind(
    session: AsyncSession,
    chat_id: int,
    kind: DeliveryKind,
    *,
    created_before: datetime | None = None,
) -> list[Delivery]:
    """The chat's unsent rows of ``kind``, oldest first."""
    statement = select(Delivery).where(
        Delivery.chat_id == chat_id,
        Delivery.kind == kind,
        Delivery.status == DeliveryStatus.PENDING,
    )
    if created_before is not None:
        statement = statement.where(Delivery.created_at < created_before)
    return list(await session.scalars(statement.order_by(Delivery.created_at, Delivery.id)))


async def drop_deliveries(
    session: AsyncSession, delivery_ids: Sequence[int], *, reason: str
) -> None:
    """Mark rows as never to be sent, with the reason (they stay in the outbox as a record)."""
    if not delivery_ids:
        return
    await session.execute(
        update(Delivery)
        .where(Delivery.id.in_(list(delivery_ids)), Delivery.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.DROPPED, last_error=reason)
        .execution_options(synchronize_session=False)
    )
