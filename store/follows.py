"""Data access for followed stories: the follows, a story's copies, what a chat was offered."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import (
    Article,
    Chat,
    Delivery,
    DeliveryKind,
    Feed,
    FeedEntry,
    StoryFollow,
    Subscription,
    Summary,
)

# How many of a chat's latest digest messages a Follow button (or /follow N) is checked
# against: about a month of a twice-daily digest split over a few messages.
OFFERED_DIGEST_MESSAGES = 200


@dataclass(frozen=True, slots=True)
class StoryCopy:
    """One feed's copy of a story: an article as one outlet carried it."""

    article_id: int
    feed_id: int
    source: str
    title: str
    url: str
    seen_at: datetime
    figures: tuple[dict[str, Any], ...]
    entities: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class FollowToCheck:
    """An active follow with what its chat's delivery needs to know."""

    follow: StoryFollow
    paused: bool
    timezone: str
    quiet_hours: str | None
    language: str | None


def story_key_of(article: Article) -> str:
    """The article's story; articles stored before grouping are a story of their own."""
    return article.story_key or f"s{article.id}"


async def active_follows(session: AsyncSession, chat_id: int) -> list[StoryFollow]:
    """The chat's current follows, oldest first (the order /following lists them in)."""
    return list(
        await session.scalars(
            select(StoryFollow)
            .where(StoryFollow.chat_id == chat_id, StoryFollow.ended_at.is_(None))
            .order_by(StoryFollow.started_at, StoryFollow.id)
        )
    )


async def follow_of(session: AsyncSession, chat_id: int, story_key: str) -> StoryFollow | None:
    """The chat's follow of the story, active or ended."""
    return await session.scalar(
        select(StoryFollow).where(
            StoryFollow.chat_id == chat_id, StoryFollow.story_key == story_key
        )
    )


async def save_follow(
    session: AsyncSession,
    *,
    chat_id: int,
    story_key: str,
    article_id: int,
    title: str,
    known: dict[str, list[Any]],
    now: datetime,
    news_since: datetime,
) -> StoryFollow:
    """Start following (or follow again a story whose follow ended), knowing ``known``."""
    follow = await follow_of(session, chat_id, story_key)
    if follow is None:
        follow = StoryFollow(chat_id=chat_id, story_key=story_key)
        session.add(follow)
    follow.article_id = article_id
    follow.title = title[:1000]
    follow.started_at = now
    follow.last_update_at = None
    follow.news_since = news_since
    follow.ended_at = None
    follow.ended_reason = None
    follow.known_outlets = known["outlets"]
    follow.known_figures = known["figures"]
    follow.known_names = known["names"]
    await session.flush()
    return follow


async def end_follow(
    session: AsyncSession, follow: StoryFollow, *, reason: str, now: datetime
) -> None:
    follow.ended_at = now
    follow.ended_reason = reason
    await session.flush()


async def active_follow_by_id(
    session: AsyncSession, chat_id: int, follow_id: int
) -> StoryFollow | None:
    return await session.scalar(
        select(StoryFollow).where(
            StoryFollow.id == follow_id,
            StoryFollow.chat_id == chat_id,
            StoryFollow.ended_at.is_(None),
        )
    )


async def follows_to_check(
    session: AsyncSession, *, after_id: int, limit: int, quiet_before: datetime
) -> list[FollowToCheck]:
    """Active follows of active chats with ids above ``after_id``, a batch in id order, that
    may have something to do: their story had a copy seen or edited since ``news_since``, or
    no new copy since ``quiet_before`` (nor the follow). Locked (PostgreSQL) so that two workers
    never queue the same update."""
    followed = select(StoryFollow.story_key).where(StoryFollow.ended_at.is_(None))
    activity = (
        select(
            Article.story_key.label("story_key"),
            func.max(FeedEntry.seen_at).label("seen"),
            func.max(Article.updated_at).label("edited"),
        )
        .join(FeedEntry, FeedEntry.article_id == Article.id)
        .where(Article.story_key.in_(followed))
        .group_by(Article.story_key)
        .subquery()
    )
    news = or_(
        activity.c.seen >= StoryFollow.news_since, activity.c.edited >= StoryFollow.news_since
    )
    quiet = and_(
        StoryFollow.started_at <= quiet_before,
        or_(activity.c.seen.is_(None), activity.c.seen <= quiet_before),
    )
    rows = await session.execute(
        select(StoryFollow, Chat.paused_at, Chat.timezone, Chat.quiet_hours, Chat.language)
        .join(Chat, Chat.id == StoryFollow.chat_id)
        .outerjoin(activity, activity.c.story_key == StoryFollow.story_key)
        .where(
            StoryFollow.ended_at.is_(None),
            StoryFollow.id > after_id,
            Chat.active.is_(True),
            or_(news, quiet),
        )
        .order_by(StoryFollow.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=StoryFollow)
    )
    return [
        FollowToCheck(follow, paused_at is not None, timezone, quiet_hours, language)
        for follow, paused_at, timezone, quiet_hours, language in rows
    ]


async def story_copies(
    session: AsyncSession, story_keys: Sequence[str]
) -> dict[str, list[StoryCopy]]:
    """Every feed's copy of each story, in the order they arrived."""
    if not story_keys:
        return {}
    # "s<id>" is the story of an article stored before grouping (see story_key_of).
    lone = [int(key[1:]) for key in story_keys if key[:1] == "s" and key[1:].isdecimal()]
    rows = await session.execute(
        select(
            Article.id,
            Article.story_key,
            FeedEntry.feed_id,
            Feed.title,
            Feed.url,
            Article.title,
            Article.canonical_url,
            FeedEntry.seen_at,
            Summary.figures,
            Summary.entities,
        )
        .join(FeedEntry, FeedEntry.article_id == Article.id)
        .join(Feed, Feed.id == FeedEntry.feed_id)
        .outerjoin(Summary, Summary.article_id == Article.id)
        .where(
            or_(
                Article.story_key.in_(list(story_keys)),
                Article.id.in_(lone) & Article.story_key.is_(None),
            )
        )
        .order_by(FeedEntry.seen_at, FeedEntry.id)
    )
    copies: dict[str, list[StoryCopy]] = defaultdict(list)
    for (
        article_id,
        story_key,
        feed_id,
        feed_title,
        feed_url,
        title,
        url,
        seen_at,
        figures,
        entities,
    ) in rows:
        copies[story_key or f"s{article_id}"].append(
            StoryCopy(
                article_id,
                feed_id,
                feed_title or feed_url,
                title,
                url,
                seen_at,
                tuple(figures or ()),
                tuple(entities or ()),
            )
        )
    return copies


async def latest_digest_articles(session: AsyncSession, chat_id: int) -> list[int | None]:
    """The numbered items of the latest digest the chat got (scheduled or /digest)."""
    chat = await session.get(Chat, chat_id)
    return list(chat.last_digest_articles or ()) if chat is not None else []


async def was_offered(session: AsyncSession, chat_id: int, article: Article) -> bool:
    """Whether the chat was sent this article: an alert of its story, an item of its latest
    digest or of one of its recent scheduled digests. What a Follow button may name."""
    if article.id in await latest_digest_articles(session, chat_id):
        return True
    keys = [f"story:{article.story_key}", f"article:{article.id}"]
    alerted = await session.scalar(
        select(func.count())
        .select_from(Delivery)
        .where(
            Delivery.chat_id == chat_id,
            Delivery.kind == DeliveryKind.ALERT,
            Delivery.item_key.in_(keys),
        )
    )
    if alerted:
        return True
    # Only the payloads' item lists, not the digests' texts.
    items = await session.scalars(
        select(Delivery.payload["articles"])
        .where(Delivery.chat_id == chat_id, Delivery.kind == DeliveryKind.DIGEST)
        .order_by(Delivery.created_at.desc(), Delivery.id.desc())
        .limit(OFFERED_DIGEST_MESSAGES)
    )
    return any(article.id in (ids or ()) for ids in items)


async def reaches_chat(session: AsyncSession, chat_id: int, article_id: int) -> bool:
    """Whether the article came through a feed the chat subscribes to."""
    return bool(
        await session.scalar(
            select(func.count())
            .select_from(FeedEntry)
            .join(Subscription, Subscription.feed_id == FeedEntry.feed_id)
            .where(FeedEntry.article_id == article_id, Subscription.chat_id == chat_id)
        )
    )
