"""Data access for articles, their feed entries, story grouping and stored summaries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from store.database import upsert_insert
from store.models import Article, FeedEntry, StoryBand, Summary, identity_hash


async def entry_for_guid(session: AsyncSession, feed_id: int, guid: str) -> FeedEntry | None:
    """The feed's entry with this GUID, with its article, if the entry was seen before."""
    return await session.scalar(
        select(FeedEntry)
        .options(selectinload(FeedEntry.article))
        .where(FeedEntry.feed_id == feed_id, FeedEntry.guid_hash == identity_hash(guid))
    )


async def count_articles(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Article)) or 0)


async def article_by_url(session: AsyncSession, canonical_url: str) -> Article | None:
    return await session.scalar(
        select(Article).where(Article.url_hash == identity_hash(canonical_url))
    )


async def article_by_content_hash(session: AsyncSession, content_hash: str) -> Article | None:
    return await session.scalar(
        select(Article).where(Article.content_hash == content_hash).order_by(Article.id).limit(1)
    )


async def link_entry(
    session: AsyncSession,
    *,
    feed_id: int,
    guid: str,
    article_id: int,
    entry_hash: str | None,
    now: datetime,
    alerts_pending: bool = False,
) -> None:
    """Point a feed entry at an article, or refresh its hash if it points there already.

    ``alerts_pending`` marks a new entry as owed to alert matching; a refresh keeps the mark.
    """
    statement = upsert_insert(session)(FeedEntry).values(
        feed_id=feed_id,
        guid=guid,
        guid_hash=identity_hash(guid),
        article_id=article_id,
        entry_hash=entry_hash,
        seen_at=now,
        alerts_pending=alerts_pending,
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["feed_id", "guid_hash"],
            set_={"article_id": statement.excluded.article_id, "entry_hash": entry_hash},
        )
    )


async def save_story_bands(session: AsyncSession, article_id: int, bands: Iterable[int]) -> None:
    session.add_all(StoryBand(band=band, article_id=article_id) for band in set(bands))
    await session.flush()


@dataclass(frozen=True, slots=True)
class StoryCandidate:
    """What story matching needs of an article, without its text."""

    article_id: int
    story_key: str | None
    signature: bytes | None


# A story carried by hundreds of outlets shares bands with all of them; the newest few suffice.
MAX_STORY_CANDIDATES = 50


async def story_candidates(
    session: AsyncSession, bands: Sequence[int], *, since: datetime, exclude_id: int | None = None
) -> list[StoryCandidate]:
    """Recent articles sharing at least one LSH band: candidates for being the same story."""
    if not bands:
        return []
    query = (
        select(Article.id, Article.story_key, Article.signature)
        .where(
            Article.id.in_(select(StoryBand.article_id).where(StoryBand.band.in_(list(bands)))),
            Article.fetched_at >= since,
        )
        .order_by(Article.id.desc())
        .limit(MAX_STORY_CANDIDATES)
    )
    if exclude_id is not None:
        query = query.where(Article.id != exclude_id)
    return [StoryCandidate(*row) for row in await session.execute(query)]


async def save_summary(session: AsyncSession, article_id: int, **fields: Any) -> Summary:
    """Store (or replace) the article's summary; ``fields`` are Summary columns."""
    summary = await session.scalar(select(Summary).where(Summary.article_id == article_id))
    if summary is None:
        summary = Summary(article_id=article_id, **fields)
        session.add(summary)
    else:
        for name, value in fields.items():
            setattr(summary, name, value)
    await session.flush()
    return summary


async def recent_articles(
    session: AsyncSession, *, since: datetime | None = None, limit: int = 50
) -> list[Article]:
    """Newest first, with summaries loaded (for `newsdigest articles` and /search results)."""
    query = select(Article).options(selectinload(Article.summary))
    if since is not None:
        query = query.where(Article.fetched_at >= since)
    query = query.order_by(Article.fetched_at.desc(), Article.id.desc()).limit(limit)
    return list(await session.scalars(query))


async def articles_without_summary(session: AsyncSession, *, limit: int) -> list[Article]:
    """Articles whose summarizing failed or was interrupted, to retry."""
    return list(
        await session.scalars(
            select(Article)
            .outerjoin(Summary, Summary.article_id == Article.id)
            .where(Summary.id.is_(None), Article.text != "")
            .order_by(Article.id)
            .limit(limit)
        )
    )


# Any fixed 64-bit number: the advisory lock that serialises story assignment across workers.
_STORY_LOCK_KEY = 0x6E64_7374_6F72_7931


async def lock_story_assignment(session: AsyncSession) -> None:
    """Hold, until the transaction ends, the right to give new articles their story.

    Two copies of one story arriving at once would otherwise each miss the other (neither is
    committed when the other looks) and start two stories. On PostgreSQL this is a transaction
    advisory lock shared by all workers; SQLite runs one worker, which serialises in-process.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _STORY_LOCK_KEY})


async def article_with_summary(
    session: AsyncSession, article_id: int
) -> tuple[Article, Summary | None] | None:
    """The article and its stored summary (None when the summarizer could not take it)."""
    row = (
        await session.execute(
            select(Article, Summary)
            .outerjoin(Summary, Summary.article_id == Article.id)
            .where(Article.id == article_id)
        )
    ).first()
    return None if row is None else (row[0], row[1])
