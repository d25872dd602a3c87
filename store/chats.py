"""Data access for chats, their subscriptions and alert rules, as the bot's commands change them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.database import insert_or_ignore
from store.models import AlertMode, AlertRule, Chat, Feed, LanguageSource, Subscription


@dataclass(frozen=True, slots=True)
class ChatSource:
    feed_id: int
    title: str
    url: str
    topic: str | None
    broken: bool
    # Muted with a story's button: still subscribed, but left out of digests and alerts.
    muted: bool = False


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

    A chat that had blocked the bot and writes again is active again. A private chat whose
    language came from Telegram follows the user's ``language`` as it changes; a group's is not
    moved by whichever member writes (see :func:`adopt_admin_language`), nor is a language
    chosen with /language. Insert first, then read: a new user's first two commands arrive
    together, and read-then-insert lets both insert.
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
        if (
            language
            and chat.type == "private"
            and chat.language_source == LanguageSource.TELEGRAM
            and chat.language != language
        ):
            chat.language = language
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


async def adopt_admin_language(session: AsyncSession, chat_id: int, language: str | None) -> bool:
    """Give a group the language of the admin configuring it, unless one already did or the
    group chose its own with /language; returns whether it changed. No row yet: nothing to do
    (it is created with the admin's language)."""
    chat = await session.get(Chat, chat_id)
    if chat is None or not language or chat.language_source != LanguageSource.TELEGRAM:
        return False
    chat.language = language
    chat.language_source = LanguageSource.ADMIN
    await session.flush()
    return True


async def choose_language(session: AsyncSession, chat_id: int, language: str) -> Chat:
    """Store the language picked with /language; the channels the chat links follow it."""
    chat = await update_chat(
        session, chat_id, language=language, language_source=LanguageSource.CHOSEN
    )
    await session.execute(
        update(Chat)
        .where(Chat.managed_by_chat_id == chat_id)
        .values(language=language, language_source=LanguageSource.ADMIN)
        .execution_options(synchronize_session=False)
    )
    return chat


async def reader_language(session: AsyncSession, chat_id: int) -> str | None:
    """The chat's stored language, None when the chat is not known (or never said)."""
    language: str | None = await session.scalar(select(Chat.language).where(Chat.id == chat_id))
    return language


@dataclass(frozen=True, slots=True)
class ChatForgotten:
    """What ``delete_chat`` removed besides the chat's own row."""

    channels_stopped: int = 0
    channels_unlinked: int = 0
    feeds_deleted: int = 0


async def chat_languages(session: AsyncSession, chat_ids: list[int]) -> dict[int, str | None]:
    """Each chat's language, for texts worded per reader (a notice to a feed's subscribers)."""
    if not chat_ids:
        return {}
    rows = await session.execute(select(Chat.id, Chat.language).where(Chat.id.in_(chat_ids)))
    return {chat_id: language for chat_id, language in rows}


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
    rows = await session.execute(
        select(Feed, Subscription.muted_at)
        .join(Subscription, Subscription.feed_id == Feed.id)
        .where(Subscription.chat_id == chat_id)
        .order_by(Feed.title, Feed.id)
    )
    return [
        ChatSource(
            feed.id,
            feed.title or feed.url,
            feed.url,
            feed.topic,
            feed.broken_at is not None,
            muted_at is not None,
        )
        for feed, muted_at in rows
    ]


async def set_muted(
    session: AsyncSession, chat_id: int, feed_id: int, *, muted_at: datetime | None
) -> bool:
    """Mute (``muted_at`` a time) or unmute (None) the chat's subscription to the feed.

    Returns False when nothing changed: not subscribed, or already so (a double tap).
    """
    already = (
        Subscription.muted_at.is_(None) if muted_at is None else Subscription.muted_at.is_not(None)
    )
    result = await session.execute(
        update(Subscription)
        .where(Subscription.chat_id == chat_id, Subscription.feed_id == feed_id, ~already)
        .values(muted_at=muted_at)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


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


async def hold_chat(session: AsyncSession, chat_id: int) -> None:
    """Take the chat's row for writing, as the first statement of a read-then-write (one
    follow per story, at most N follows): a second such transaction waits for this one and
    then reads what it wrote, instead of both inserting. A no-op UPDATE does it on both
    databases: PostgreSQL locks the row, SQLite takes its write lock at once (a deferred
    transaction that read first could not write after another's commit)."""
    await session.execute(update(Chat).where(Chat.id == chat_id).values(active=Chat.active))


async def muted_feeds(session: AsyncSession, chat_ids: list[int]) -> dict[int, set[int]]:
    """Per chat, the feeds it muted (🔇 Mute source): their copies tell it nothing."""
    rows = await session.execute(
        select(Subscription.chat_id, Subscription.feed_id).where(
            Subscription.chat_id.in_(chat_ids), Subscription.muted_at.is_not(None)
        )
    )
    muted: dict[int, set[int]] = {}
    for chat_id, feed_id in rows:
        muted.setdefault(chat_id, set()).add(feed_id)
    return muted
