"""Data access for chats, their subscriptions and alert rules, as the bot's commands change them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.database import insert_or_ignore
from store.models import AlertMode, AlertRule, Chat, Feed, Subscription


@dataclass(frozen=True, slots=True)
class ChatSource:
    feed_id: int
    title: str
    url: str
    topic: str | None
    broken: bool


async def get_or_create_chat(
    session: AsyncSession,
    chat_id: int,
    *,
    chat_type: str,
    now: datetime,
    title: str | None = None,
    username: str | None = None,
    language: str | None = None,
) -> tuple[Chat, bool]:
    """The chat's row, created with default settings on first contact; returns (chat, created).

    A chat that had blocked the bot and writes again is active again. Insert first, then read:
    a new user's first two commands arrive together, and read-then-insert lets both insert.
    """
    created = await insert_or_ignore(
        session,
        Chat,
        {
            "id": chat_id,
            "type": chat_type,
            "title": title,
            "username": username,
            "language": language,
            "created_at": now,
            "active": True,
        },
        keys=["id"],
    )
    chat = await session.get(Chat, chat_id, populate_existing=True)
    assert chat is not None  # inserted above, or there already; rows are deleted only by /stop
    if not created:
        chat.active = True
        if title and chat.title != title:
            chat.title = title
        if username and chat.username != username:
            chat.username = username
        await session.flush()
    return chat, created


async def update_chat(session: AsyncSession, chat_id: int, **values: Any) -> Chat:
    chat = await session.get(Chat, chat_id)
    if chat is None:
        raise LookupError(f"chat {chat_id} is not known")
    for name, value in values.items():
        setattr(chat, name, value)
    await session.flush()
    return chat


@dataclass(frozen=True, slots=True)
class ChatForgotten:
    """What ``delete_chat`` removed besides the chat's own row."""

    channels_stopped: int = 0
    channels_unlinked: int = 0
    feeds_deleted: int = 0


async def linked_channels(session: AsyncSession, chat_id: int) -> list[Chat]:
    """The channels this chat linked with /channel (it manages their digests)."""
    return list(
        await session.scalars(
            select(Chat).where(Chat.managed_by_chat_id == chat_id).order_by(Chat.id)
        )
    )


async def delete_chat(
    session: AsyncSession, chat_id: int, *, with_channels: bool = False
) -> ChatForgotten:
    """Forget everything stored about the chat, so that no row holds its id any more.

    The chat's row goes, and with it (ON DELETE CASCADE) its subscriptions, alert rules and
    queued messages. The channels it linked are deleted the same way ``with_channels``, else
    they keep posting, unlinked from it. Feeds it added are deleted unless a chat still follows
    them (or the catalog lists them); those stay, without its id.
    """
    channels = list(
        await session.scalars(select(Chat.id).where(Chat.managed_by_chat_id == chat_id))
    )
    leaving = [chat_id, *channels] if with_channels else [chat_id]
    if not with_channels:
        await session.execute(
            update(Chat)
            .where(Chat.managed_by_chat_id == chat_id)
            .values(managed_by_chat_id=None)
            .execution_options(synchronize_session=False)
        )
    await session.execute(
        delete(Chat).where(Chat.id.in_(leaving)).execution_options(synchronize_session=False)
    )
    # After the chats' subscriptions are gone: a feed still followed is someone else's too.
    followed = select(Subscription.feed_id).where(Subscription.feed_id == Feed.id).exists()
    dropped = await session.execute(
        delete(Feed)
        .where(Feed.added_by_chat_id.in_(leaving), Feed.topic.is_(None), ~followed)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(Feed)
        .where(Feed.added_by_chat_id.in_(leaving))
        .values(added_by_chat_id=None)
        .execution_options(synchronize_session=False)
    )
    return ChatForgotten(
        channels_stopped=len(channels) if with_channels else 0,
        channels_unlinked=0 if with_channels else len(channels),
        feeds_deleted=int(dropped.rowcount),  # type: ignore[attr-defined]
    )


async def subscribe(session: AsyncSession, chat_id: int, feed_id: int, *, now: datetime) -> bool:
    """Subscribe; False if the chat already was (a double tap arrives as two concurrent taps)."""
    return await insert_or_ignore(
        session,
        Subscription,
        {"chat_id": chat_id, "feed_id": feed_id, "created_at": now},
        keys=["chat_id", "feed_id"],
    )


async def unsubscribe(session: AsyncSession, chat_id: int, feed_id: int) -> bool:
    result = await session.execute(
        delete(Subscription).where(Subscription.chat_id == chat_id, Subscription.feed_id == feed_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def chat_sources(session: AsyncSession, chat_id: int) -> list[ChatSource]:
    rows = await session.scalars(
        select(Feed)
        .join(Subscription, Subscription.feed_id == Feed.id)
        .where(Subscription.chat_id == chat_id)
        .order_by(Feed.title, Feed.id)
    )
    return [
        ChatSource(
            feed.id, feed.title or feed.url, feed.url, feed.topic, feed.broken_at is not None
        )
        for feed in rows
    ]


async def count_personal_sources(session: AsyncSession, chat_id: int) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(Subscription)
            .join(Feed, Feed.id == Subscription.feed_id)
            .where(Subscription.chat_id == chat_id, Feed.topic.is_(None))
        )
        or 0
    )


async def add_alert_rule(
    session: AsyncSession,
    chat_id: int,
    query: str,
    *,
    written: str,
    now: datetime,
    mode: AlertMode = AlertMode.INSTANT,
) -> tuple[AlertRule, bool]:
    """Add the rule unless the chat has the same one; returns (rule, created).

    ``query`` is the canonical form (the same rule however spelled), ``written`` the user's.
    An existing rule keeps its mode: the caller decides whether asking again changes it.
    """
    created = await insert_or_ignore(
        session,
        AlertRule,
        {"chat_id": chat_id, "query": query, "written": written, "created_at": now, "mode": mode},
        keys=["chat_id", "query"],
    )
    rule = await session.scalar(
        select(AlertRule).where(AlertRule.chat_id == chat_id, AlertRule.query == query)
    )
    assert rule is not None
    return rule, created


async def alert_rules(session: AsyncSession, chat_id: int) -> list[AlertRule]:
    return list(
        await session.scalars(
            select(AlertRule).where(AlertRule.chat_id == chat_id).order_by(AlertRule.id)
        )
    )


async def alert_rule(session: AsyncSession, chat_id: int, rule_id: int) -> AlertRule | None:
    return await session.scalar(
        select(AlertRule).where(AlertRule.chat_id == chat_id, AlertRule.id == rule_id)
    )


async def remove_alert_rule(session: AsyncSession, chat_id: int, rule_id: int) -> bool:
    result = await session.execute(
        delete(AlertRule).where(AlertRule.chat_id == chat_id, AlertRule.id == rule_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
