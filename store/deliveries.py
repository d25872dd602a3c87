"""Data access for the outbox: enqueue once, claim due rows, record what Telegram answered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, true, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.database import upsert_insert
from store.models import (
    AlertRule,
    Chat,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    StoryFollow,
    Subscription,
)
from store.pausing import not_held

# Alerts go before digests; notices (a feed broke) and summaries in between.
PRIORITY = {
    DeliveryKind.ALERT: 0,
    DeliveryKind.SUMMARY: 1,
    DeliveryKind.UPDATE: 2,
    DeliveryKind.NOTICE: 5,
    DeliveryKind.DIGEST: 10,
}


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A claimed delivery, detached from its session: what the sender needs to send it."""

    id: int
    chat_id: int
    chat_type: str
    kind: DeliveryKind
    item_key: str
    payload: dict[str, Any]
    attempts: int
    queued_at: datetime


def _queued(
    chat_id: int, kind: DeliveryKind, item_key: str, payload: dict[str, Any], now: datetime
) -> dict[str, Any]:
    """The columns of a new outbox row, due ``now``."""
    return {
        "chat_id": chat_id,
        "kind": kind,
        "item_key": item_key,
        "priority": PRIORITY[kind],
        "payload": payload,
        "status": DeliveryStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


async def enqueue(
    session: AsyncSession,
    *,
    chat_id: int,
    kind: DeliveryKind,
    item_key: str,
    payload: dict[str, Any],
    now: datetime,
    not_before: datetime | None = None,
) -> bool:
    """Add a message to the outbox unless (chat, kind, item) is there already; True if added.

    The unique key makes a second copy impossible, whichever worker or retry enqueues it.
    """
    values = _queued(chat_id, kind, item_key, payload, now) | {"next_attempt_at": not_before or now}
    return await _insert_once(session, values) is not None


@dataclass(frozen=True, slots=True)
class ReplyClaim:
    """What claim_reply found: the row to send (``delivery_id``), or the status of the copy
    already there (sent, or pending: on its way)."""

    delivery_id: int | None
    existing: DeliveryStatus | None = None


async def claim_reply(
    session: AsyncSession,
    *,
    chat_id: int,
    kind: DeliveryKind,
    item_key: str,
    payload: dict[str, Any],
    now: datetime,
    hold: timedelta,
) -> ReplyClaim:
    """Claim a reply a tap asks for, which the handler then sends itself (More under a story).

    The row comes first, pending and held back from the sender for ``hold``: the unique key
    makes a double tap, or a second member of a group, cause one reply; if the handler dies
    before recording the reply as sent, any sender sends it once the hold is over (a reply
    Telegram took just before the crash may then repeat, as an outbox send may). A copy that
    failed or was dropped is claimed again, so a tap never meets a reply that will not come.
    """
    due = now + hold
    values = _queued(chat_id, kind, item_key, payload, now) | {"next_attempt_at": due}
    created = await _insert_once(session, values)
    if created is not None:
        return ReplyClaim(created)
    mine = (Delivery.chat_id == chat_id, Delivery.kind == kind, Delivery.item_key == item_key)
    revived = await session.scalar(
        update(Delivery)
        .where(*mine, Delivery.status.in_([DeliveryStatus.FAILED, DeliveryStatus.DROPPED]))
        .values(
            status=DeliveryStatus.PENDING,
            payload=payload,
            next_attempt_at=due,
            # A new request: the sender's day of retries and its back-off start again.
            created_at=now,
            attempts=0,
        )
        .returning(Delivery.id)
    )
    if revived is not None:
        return ReplyClaim(revived)
    return ReplyClaim(None, await session.scalar(select(Delivery.status).where(*mine)))


async def release_to_sender(
    session: AsyncSession, delivery_id: int, *, at: datetime, error: str, final: bool = False
) -> None:
    """A claimed reply the handler could not send: the sender's from ``at``, or failed when
    ``final`` (Telegram refused it for good) or its chat is marked inactive, which the sender
    never sends to: a failed copy is claimed again by the next tap instead of waiting forever.
    """
    claimed = (Delivery.id == delivery_id, Delivery.status == DeliveryStatus.PENDING)
    inactive = select(Chat.id).where(Chat.active.is_(False))
    gone = Delivery.chat_id.in_(inactive)
    await session.execute(
        update(Delivery)
        .where(*claimed, true() if final else gone)
        .values(status=DeliveryStatus.FAILED, last_error=error[:2000])
    )
    await session.execute(
        update(Delivery).where(*claimed).values(next_attempt_at=at, last_error=error[:2000])
    )


async def _insert_once(session: AsyncSession, values: dict[str, Any]) -> int | None:
    """Insert an outbox row unless its (chat, kind, item) is there; the new row's id or None."""
    statement = (
        upsert_insert(session)(Delivery)
        .values(values)
        .on_conflict_do_nothing(index_elements=["chat_id", "kind", "item_key"])
        .returning(Delivery.id)
    )
    # RETURNING, not rowcount: drivers disagree on rowcount for a skipped ON CONFLICT.
    id_: int | None = (await session.execute(statement)).scalar_one_or_none()
    return id_


async def enqueue_many(
    session: AsyncSession,
    rows: Sequence[tuple[int, DeliveryKind, str, dict[str, Any]]],
    *,
    now: datetime,
) -> None:
    """Add many (chat, kind, item key, payload) messages at once; existing keys are skipped.

    One multi-row INSERT per chunk instead of a statement per message, for digest fan-outs.
    """
    chunk = 500  # well under SQLite's limit on bound parameters per statement
    for start in range(0, len(rows), chunk):
        values = [
            _queued(chat_id, kind, item_key, payload, now)
            for chat_id, kind, item_key, payload in rows[start : start + chunk]
        ]
        await session.execute(
            upsert_insert(session)(Delivery)
            .values(values)
            .on_conflict_do_nothing(index_elements=["chat_id", "kind", "item_key"])
        )


async def claim_due(session: AsyncSession, *, now: datetime, limit: int) -> list[OutboxItem]:
    """Mark up to ``limit`` due rows as being sent (alerts first) and return them.

    The row is committed as 'sending' before the message goes out: if the process dies after
    Telegram accepted it but before 'sent' is recorded, only that in-flight message can repeat.
    """
    rows = (
        await session.execute(
            select(Delivery, Chat.type)
            .join(Chat, Chat.id == Delivery.chat_id)
            .where(
                Delivery.status == DeliveryStatus.PENDING,
                Delivery.next_attempt_at <= now,
                Chat.active.is_(True),
                not_held(),
            )
            .order_by(Delivery.priority, Delivery.next_attempt_at, Delivery.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=Delivery)
        )
    ).all()
    items = []
    for delivery, chat_type in rows:
        delivery.status = DeliveryStatus.SENDING
        delivery.attempts += 1
        items.append(
            OutboxItem(
                delivery.id,
                delivery.chat_id,
                chat_type,
                delivery.kind,
                delivery.item_key,
                dict(delivery.payload),
                delivery.attempts,
                delivery.created_at,
            )
        )
    await session.flush()
    return items


async def next_due_at(session: AsyncSession) -> datetime | None:
    """When the earliest pending row becomes due, so an idle sender knows how long to wait."""
    return await session.scalar(
        select(func.min(Delivery.next_attempt_at))
        .join(Chat, Chat.id == Delivery.chat_id)
        .where(Delivery.status == DeliveryStatus.PENDING, Chat.active.is_(True), not_held())
    )


async def retime_unsent(
    session: AsyncSession, chat_id: int, kind: DeliveryKind, *, at: datetime, now: datetime
) -> int:
    """Make the chat's never-tried pending messages of ``kind`` due at ``at``; returns how many
    moved. ``at`` is ``now`` to release what waits, later to hold what is due.

    Only rows no send was attempted for: a retry's back-off (429, an outage) is Telegram's
    pace, not the chat's wish, and keeps its time. Rows already due stay as they are when
    ``at`` is ``now``, so their order in the queue is kept.
    """
    waiting = Delivery.next_attempt_at > now
    result = await session.execute(
        update(Delivery)
        .where(
            Delivery.chat_id == chat_id,
            Delivery.kind == kind,
            Delivery.status == DeliveryStatus.PENDING,
            Delivery.attempts == 0,
            Delivery.next_attempt_at != at,
            waiting if at <= now else true(),
        )
        .values(next_attempt_at=at)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def mark_sent(
    session: AsyncSession, delivery_id: int, *, message_id: int | None, now: datetime
) -> None:
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(
            status=DeliveryStatus.SENT, sent_at=now, telegram_message_id=message_id, last_error=None
        )
    )


async def retry_later(session: AsyncSession, delivery_id: int, *, at: datetime, error: str) -> None:
    # Only a row still being sent goes back: one dropped meanwhile (chat gone) stays dropped.
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == DeliveryStatus.SENDING)
        .values(status=DeliveryStatus.PENDING, next_attempt_at=at, last_error=error[:2000])
    )


async def mark_failed(session: AsyncSession, delivery_id: int, *, error: str) -> None:
    """The sender's copy failed for good; a row recorded as sent meanwhile stays sent."""
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status != DeliveryStatus.SENT)
        .values(status=DeliveryStatus.FAILED, last_error=error[:2000])
    )


async def deactivate_chat(session: AsyncSession, chat_id: int, *, reason: str) -> int:
    """The chat blocked or removed the bot: stop sending to it and drop what is queued."""
    await session.execute(update(Chat).where(Chat.id == chat_id).values(active=False))
    result = await session.execute(
        update(Delivery)
        .where(
            Delivery.chat_id == chat_id,
            Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING]),
        )
        .values(status=DeliveryStatus.DROPPED, last_error=reason[:2000])
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def migrate_chat(session: AsyncSession, old_id: int, new_id: int) -> None:
    """A group became a supergroup with a new id: move the chat (foreign keys cascade)."""
    if await session.get(Chat, new_id) is None:
        await session.execute(
            update(Chat).where(Chat.id == old_id).values(id=new_id, type="supergroup")
        )
        return
    # Both ids known (someone used the bot in the supergroup first): the new row stays, and
    # what the group had (sources, alerts, follows, queued messages) moves to it, except what
    # it has.
    new_feeds = select(Subscription.feed_id).where(Subscription.chat_id == new_id)
    new_queries = select(AlertRule.query).where(AlertRule.chat_id == new_id)
    new_items = select(Delivery.kind, Delivery.item_key).where(Delivery.chat_id == new_id)
    queued = Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING])
    await session.execute(
        delete(Subscription).where(
            Subscription.chat_id == old_id, Subscription.feed_id.in_(new_feeds)
        )
    )
    await session.execute(
        update(Subscription).where(Subscription.chat_id == old_id).values(chat_id=new_id)
    )
    await session.execute(
        delete(AlertRule).where(AlertRule.chat_id == old_id, AlertRule.query.in_(new_queries))
    )
    await session.execute(
        update(AlertRule).where(AlertRule.chat_id == old_id).values(chat_id=new_id)
    )
    new_stories = select(StoryFollow.story_key).where(StoryFollow.chat_id == new_id)
    await session.execute(
        delete(StoryFollow).where(
            StoryFollow.chat_id == old_id, StoryFollow.story_key.in_(new_stories)
        )
    )
    await session.execute(
        update(StoryFollow).where(StoryFollow.chat_id == old_id).values(chat_id=new_id)
    )
    # A row keeps its status when moved, so a message being sent is requeued for the new id.
    await session.execute(
        update(Delivery)
        .where(
            Delivery.chat_id == old_id,
            queued,
            tuple_(Delivery.kind, Delivery.item_key).not_in(new_items),
        )
        .values(chat_id=new_id)
    )
    await session.execute(
        update(Delivery)
        .where(Delivery.chat_id == old_id, queued)
        .values(status=DeliveryStatus.DROPPED, last_error=f"chat migrated to {new_id}")
    )
    await session.execute(update(Chat).where(Chat.id == old_id).values(active=False))


async def requeue_interrupted(session: AsyncSession, *, now: datetime) -> int:
    """Rows left 'sending' by a sender that died: send them again (at most these repeat)."""
    result = await session.execute(
        update(Delivery)
        .where(Delivery.status == DeliveryStatus.SENDING)
        .values(status=DeliveryStatus.PENDING, next_attempt_at=now)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def counts_by_status(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(select(Delivery.status, func.count()).group_by(Delivery.status))
    return {str(status): int(count) for status, count in rows}


async def sent_items(session: AsyncSession, chat_ids: Sequence[int]) -> list[tuple[int, str]]:
    rows = await session.execute(
        select(Delivery.chat_id, Delivery.item_key).where(
            Delivery.chat_id.in_(list(chat_ids)), Delivery.status == DeliveryStatus.SENT
        )
    )
    return [(chat_id, key) for chat_id, key in rows]


async def message_payload(
    session: AsyncSession, chat_id: int, message_id: int
) -> dict[str, Any] | None:
    """The payload of the message Telegram numbered ``message_id`` in the chat, if we sent it.

    A button tap names its message; the stories that message showed are in its payload, so a
    tap's article and feed are checked against what that very message offered.
    """
    payload = await session.scalar(
        select(Delivery.payload)
        .where(
            Delivery.chat_id == chat_id,
            Delivery.telegram_message_id == message_id,
            Delivery.status == DeliveryStatus.SENT,
        )
        .order_by(Delivery.id.desc())
        .limit(1)
    )
    return None if payload is None else dict(payload)


async def record_sent(
    session: AsyncSession,
    *,
    chat_id: int,
    kind: DeliveryKind,
    item_key: str,
    payload: dict[str, Any],
    message_id: int,
    now: datetime,
) -> None:
    """Record a message sent as a reply (not through the outbox), such as /digest's, so its
    buttons are checked like those of a queued one."""
    await session.execute(
        upsert_insert(session)(Delivery)
        .values(
            _queued(chat_id, kind, item_key, payload, now)
            | {
                "status": DeliveryStatus.SENT,
                "attempts": 1,
                "sent_at": now,
                "telegram_message_id": message_id,
            }
        )
        .on_conflict_do_nothing(index_elements=["chat_id", "kind", "item_key"])
    )


async def unsent(
    session: AsyncSession, chat_id: int, kind: DeliveryKind
) -> list[tuple[int, dict[str, Any]]]:
    """(id, payload) of the chat's messages of ``kind`` still waiting to be sent."""
    rows = await session.execute(
        select(Delivery.id, Delivery.payload).where(
            Delivery.chat_id == chat_id,
            Delivery.kind == kind,
            Delivery.status == DeliveryStatus.PENDING,
        )
    )
    return [(delivery_id, dict(payload)) for delivery_id, payload in rows]


async def drop(session: AsyncSession, delivery_ids: Sequence[int], *, reason: str) -> None:
    """Never send these waiting messages (the reader no longer wants them)."""
    if delivery_ids:
        await session.execute(
            update(Delivery)
            .where(Delivery.id.in_(list(delivery_ids)), Delivery.status == DeliveryStatus.PENDING)
            .values(status=DeliveryStatus.DROPPED, last_error=reason)
        )
