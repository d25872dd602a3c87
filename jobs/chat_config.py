"""What the bot's configuration commands do to a chat: sources, schedule, time zone, quiet hours, alerts.

Each function takes the caller's session (the caller owns the transaction), validates user
input and raises a :class:`UserInputError` subclass whose message is the reply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from jobs.alert_query import AlertQueryError, parse_alert_query
from jobs.digests import next_digest_time
from jobs.quiet_hours import parse_quiet_hours
from jobs.schedule import parse_schedule
from jobs.sources import ResolvedFeed
from jobs.timezones import parse_timezone, timezone_key
from jobs.user_input import UserInputError
from store import chats as chat_store
from store import feeds as feed_store
from store.models import AlertRule, Chat, Feed


class LimitReached(UserInputError):
    """A per-chat limit (sources, alerts) is reached; the message says which and how to free room."""


@dataclass(frozen=True, slots=True)
class CatalogChoice:
    """A catalog feed as the bot's settings describe it (jobs never import the settings type)."""

    topic: str
    title: str
    url: str


async def ensure_chat(
    session: AsyncSession,
    chat_id: int,
    *,
    chat_type: str,
    now: datetime,
    title: str | None = None,
    username: str | None = None,
    language: str | None = None,
) -> Chat:
    """The chat's row; a new chat's default schedule gets its first due time at once."""
    chat, created = await chat_store.get_or_create_chat(
        session,
        chat_id,
        chat_type=chat_type,
        now=now,
        title=title,
        username=username,
        language=language,
    )
    if created or chat.next_digest_at is None:
        chat.next_digest_at = next_digest_time(chat.digest_schedule, chat.timezone, after=now)
    return chat


async def set_schedule(session: AsyncSession, chat: Chat, text: str, *, now: datetime) -> str:
    """Store the schedule ``text`` means; returns its description for the reply."""
    schedule = parse_schedule(text)
    chat.digest_schedule = schedule.to_text()
    chat.next_digest_at = next_digest_time(chat.digest_schedule, chat.timezone, after=now)
    await session.flush()
    return schedule.describe()


async def set_timezone(session: AsyncSession, chat: Chat, text: str, *, now: datetime) -> str:
    """Store the zone ``text`` names (IANA, offset or city); returns its canonical name."""
    chat.timezone = timezone_key(parse_timezone(text))
    chat.next_digest_at = next_digest_time(chat.digest_schedule, chat.timezone, after=now)
    await session.flush()
    return chat.timezone


async def set_quiet_hours(session: AsyncSession, chat: Chat, text: str) -> str | None:
    """Store quiet hours (``off`` clears them); returns the stored form or None."""
    quiet = parse_quiet_hours(text)
    chat.quiet_hours = quiet.to_text() if quiet is not None else None
    await session.flush()
    return chat.quiet_hours


async def _catalog_feed(
    session: AsyncSession, choice: CatalogChoice, *, now: datetime, interval: int
) -> Feed:
    feed, _created = await feed_store.add_feed(
        session,
        choice.url,
        now=now,
        interval_seconds=interval,
        title=choice.title,
        topic=choice.topic,
    )
    return feed


async def toggle_catalog_feed(
    session: AsyncSession, chat_id: int, choice: CatalogChoice, *, now: datetime, interval: int
) -> bool:
    """Subscribe to a catalog feed, or unsubscribe if subscribed; returns whether now subscribed.

    Catalog feeds become rows on their first subscriber, so unread topics cost no fetching.
    """
    feed = await _catalog_feed(session, choice, now=now, interval=interval)
    if await chat_store.subscribe(session, chat_id, feed.id, now=now):
        return True
    await chat_store.unsubscribe(session, chat_id, feed.id)
    return False


async def subscribe_catalog(
    session: AsyncSession,
    chat_id: int,
    choices: Sequence[CatalogChoice],
    *,
    now: datetime,
    interval: int,
) -> int:
    """Subscribe to every given catalog feed (a /start deep link); returns how many were new."""
    added = 0
    for choice in choices:
        feed = await _catalog_feed(session, choice, now=now, interval=interval)
        added += await chat_store.subscribe(session, chat_id, feed.id, now=now)
    return added


async def check_source_room(session: AsyncSession, chat_id: int, *, limit: int) -> None:
    """Raise LimitReached before fetching anything when the chat has its most personal sources."""
    if await chat_store.count_personal_sources(session, chat_id) >= limit:
        raise LimitReached(
            f"You have {limit} personal sources, the most a chat can have; "
            "remove one with /remove first."
        )


async def add_personal_source(
    session: AsyncSession, chat_id: int, resolved: ResolvedFeed, *, now: datetime, interval: int
) -> bool:
    """Subscribe the chat to a validated feed; False when it already was."""
    feed, _created = await feed_store.add_feed(
        session,
        resolved.url,
        now=now,
        interval_seconds=interval,
        title=resolved.title,
        added_by_chat_id=chat_id,
    )
    if feed.site_url is None and resolved.site_url:
        feed.site_url = resolved.site_url
    return await chat_store.subscribe(session, chat_id, feed.id, now=now)


async def remove_source(session: AsyncSession, chat_id: int, feed_id: int) -> str | None:
    """Unsubscribe from one feed; returns its title, or None when the chat did not have it."""
    sources = {source.feed_id: source for source in await chat_store.chat_sources(session, chat_id)}
    if feed_id not in sources or not await chat_store.unsubscribe(session, chat_id, feed_id):
        return None
    return sources[feed_id].title


async def add_alert(
    session: AsyncSession, chat_id: int, text: str, *, max_chars: int, max_rules: int, now: datetime
) -> tuple[AlertRule, bool]:
    """Parse and store an alert in its canonical form; returns (rule, created)."""
    query = parse_alert_query(text, max_chars=max_chars)
    if len(await chat_store.alert_rules(session, chat_id)) >= max_rules:
        raise LimitReached(
            f"You have {max_rules} alerts, the most a chat can have; remove one in /alerts first."
        )
    return await chat_store.add_alert_rule(session, chat_id, query.canonical(), now=now)


__all__ = [
    "AlertQueryError",
    "CatalogChoice",
    "LimitReached",
    "add_alert",
    "add_personal_source",
    "check_source_room",
    "ensure_chat",
    "remove_source",
    "set_quiet_hours",
    "set_schedule",
    "set_timezone",
    "subscribe_catalog",
    "toggle_catalog_feed",
]


async def link_channel(
    session: AsyncSession,
    channel_id: int,
    *,
    admin_chat_id: int,
    title: str | None,
    username: str | None,
    now: datetime,
) -> int:
    """Make a channel a digest destination managed from the admin's private chat.

    The channel starts with the admin's sources and settings; returns how many sources it got.
    """
    admin = await ensure_chat(session, admin_chat_id, chat_type="private", now=now)
    channel = await ensure_chat(
        session, channel_id, chat_type="channel", now=now, title=title, username=username
    )
    channel.managed_by_chat_id = admin_chat_id
    for name in ("digest_schedule", "timezone", "items_per_digest", "summary_sentences"):
        setattr(channel, name, getattr(admin, name))
    channel.next_digest_at = next_digest_time(channel.digest_schedule, channel.timezone, after=now)
    added = 0
    for source in await chat_store.chat_sources(session, admin_chat_id):
        added += await chat_store.subscribe(session, channel_id, source.feed_id, now=now)
    return added
