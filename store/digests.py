"""Queries for scheduled digests: which chats are due, what they read, what is new for them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Article, Chat, Feed, FeedEntry, Subscription, Summary


@dataclass(frozen=True, slots=True)
class DigestCandidate:
    """One article as a digest item may show it, with the feed it came through."""

    article_id: int
    title: str
    url: str
    published_at: datetime | None
    fetched_at: datetime
    story_key: str
    feed_id: int
    source: str
    sentences: tuple[str, ...]
    entities: tuple[dict[str, Any], ...]
    figures: tuple[dict[str, Any], ...]
    # The start of the article's own text (the feed's description when the page was not
    # fetched): what an item shows when the article has no summary.
    description: str = ""
    # ISO 639-1 as identified at ingestion, "und" when it could not be told, None before then.
    language: str | None = None


# Enough of an unsummarized article's text to cut a short description from, without reading
# whole stored pages (up to 200,000 characters each) for every digest.
DESCRIPTION_SOURCE_CHARS = 2000


async def claim_due_chats(session: AsyncSession, *, now: datetime, limit: int) -> list[Chat]:
    """Active chats whose next digest time has come, locked so two workers never both send."""
    return list(
        await session.scalars(
            select(Chat)
            .where(Chat.active.is_(True), Chat.next_digest_at <= now)
            .order_by(Chat.next_digest_at, Chat.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )


async def feeds_of_chats(session: AsyncSession, chat_ids: Sequence[int]) -> dict[int, list[int]]:
    """Each chat's feeds, except those it muted: a muted source's stories stay out of digests."""
    rows = await session.execute(
        select(Subscription.chat_id, Subscription.feed_id)
        .where(Subscription.chat_id.in_(list(chat_ids)), Subscription.muted_at.is_(None))
        .order_by(Subscription.chat_id, Subscription.feed_id)
    )
    feeds: dict[int, list[int]] = defaultdict(list)
    for chat_id, feed_id in rows:
        feeds[chat_id].append(feed_id)
    return feeds


async def digest_candidates(
    session: AsyncSession,
    feed_ids: Sequence[int],
    *,
    since: datetime,
    until: datetime,
    include_backlog: bool = False,
) -> list[DigestCandidate]:
    """Articles (not a new feed's backlog, unless asked) that reached these feeds in
    [since, until), with their summary when they have one: an article the summarizer could not
    take (a teaser whose page failed, another language, too short) is news all the same."""
    backlog = [] if include_backlog else [Article.is_backlog.is_(False)]
    rows = await session.execute(
        select(
            Article.id,
            Article.title,
            Article.canonical_url,
            Article.published_at,
            Article.fetched_at,
            Article.story_key,
            FeedEntry.feed_id,
            Feed.title,
            Feed.url,
            Summary.sentences,
            Summary.entities,
            Summary.figures,
            func.substr(Article.text, 1, DESCRIPTION_SOURCE_CHARS),
            Article.language,
        )
        .join(FeedEntry, FeedEntry.article_id == Article.id)
        .join(Feed, Feed.id == FeedEntry.feed_id)
        .outerjoin(Summary, Summary.article_id == Article.id)
        .where(
            FeedEntry.feed_id.in_(list(feed_ids)),
            Article.fetched_at >= since,
            Article.fetched_at < until,
            *backlog,
        )
        .order_by(Article.id, FeedEntry.feed_id)
    )
    return [
        DigestCandidate(
            article_id,
            title,
            url,
            published,
            fetched,
            story or f"s{article_id}",
            feed_id,
            feed_title or feed_url,
            tuple(sentences or ()),
            tuple(entities or ()),
            tuple(figures or ()),
            description or "",
            language,
        )
        for (
            article_id,
            title,
            url,
            published,
            fetched,
            story,
            feed_id,
            feed_title,
            feed_url,
            sentences,
            entities,
            figures,
            description,
            language,
        ) in rows
    ]


def advance_schedule(chat: Chat, *, sent_at: datetime, next_at: datetime | None) -> None:
    """Move a claimed chat's schedule on; the caller's flush writes all of a batch at once.

    Attributes rather than an UPDATE statement per chat: with a thousand claimed chats in the
    session, each bulk UPDATE would re-synchronise every loaded object (quadratic).
    """
    chat.last_digest_at = sent_at
    chat.next_digest_at = next_at
