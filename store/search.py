"""Full-text search of stored articles: FTS5 on SQLite, tsvector on PostgreSQL (migrations 0003-4)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, Select, cast, delete, func, literal_column, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from store.models import Article, Feed, FeedEntry, SavedSearch, Summary

_WORD = re.compile(r"\w+", re.UNICODE)


def search_words(query: str) -> list[str]:
    """The words of a user's query; quotes and operators are not passed to the engine."""
    return _WORD.findall(query)[:12]


def _fts5_query(words: list[str]) -> str:
    # Each word quoted: FTS5 then reads them as plain terms, all required (AND).
    return " ".join(f'"{word}"' for word in words)


def _matching_ids(
    session: AsyncSession, words: list[str]
) -> tuple[ColumnElement[bool], ColumnElement[Any]]:
    """(a WHERE clause, an ORDER BY relevance) for the dialect in use."""
    if session.get_bind().dialect.name == "postgresql":
        # The configuration of the search column (migration 0004): english, accents folded.
        query = func.plainto_tsquery("newsdigest", " ".join(words))
        search: ColumnElement[Any] = literal_column("articles.search")
        return search.op("@@")(query), func.ts_rank(search, query).desc()
    fts: Select[Any] = (
        select(literal_column("rowid"))
        .select_from(text("articles_fts"))
        .where(text("articles_fts MATCH :fts_query").bindparams(fts_query=_fts5_query(words)))
    )
    return Article.id.in_(fts), Article.fetched_at.desc()


async def search_articles(
    session: AsyncSession, query: str, *, since: datetime, limit: int
) -> list[Article]:
    """Recent articles matching every word of ``query``, most relevant first."""
    words = search_words(query)
    if not words:
        return []
    where, order = _matching_ids(session, words)
    rows = await session.scalars(
        select(Article)
        .options(selectinload(Article.summary))
        .where(where, Article.fetched_at >= since)
        .order_by(order, Article.id.desc())
        .limit(limit)
    )
    return list(rows)


@dataclass(frozen=True, slots=True)
class FoundArticle:
    """A search hit as a result shows it: its story, outlet and summary."""

    article_id: int
    story_key: str
    title: str
    url: str
    source: str
    when: datetime
    sentences: tuple[str, ...]


async def search_hits(
    session: AsyncSession, query: str, *, since: datetime, limit: int
) -> list[FoundArticle]:
    """Recent articles matching every word of ``query``, newest first: one hit per feed that
    carried the article (one article may be in several feeds), each naming its outlet."""
    words = search_words(query)
    if not words:
        return []
    where, _order = _matching_ids(session, words)
    when = func.coalesce(Article.published_at, Article.fetched_at)
    rows = await session.execute(
        select(
            Article.id,
            Article.story_key,
            Article.title,
            Article.canonical_url,
            Feed.title,
            Feed.url,
            Article.published_at,
            Article.fetched_at,
            Summary.sentences,
        )
        .outerjoin(FeedEntry, FeedEntry.article_id == Article.id)
        .outerjoin(Feed, Feed.id == FeedEntry.feed_id)
        .outerjoin(Summary, Summary.article_id == Article.id)
        .where(where, Article.fetched_at >= since)
        .order_by(when.desc(), Article.id.desc(), FeedEntry.feed_id)
        .limit(limit)
    )
    return [
        FoundArticle(
            article_id,
            story or f"s{article_id}",
            title,
            url,
            feed_title or feed_url or "",
            published or fetched,
            tuple(sentences or ()),
        )
        for (
            article_id,
            story,
            title,
            url,
            feed_title,
            feed_url,
            published,
            fetched,
            sentences,
        ) in rows
    ]


async def save_search(
    session: AsyncSession, chat_id: int, query: str, *, now: datetime, keep: timedelta
) -> int:
    """Store the chat's search for its paging buttons; returns its id. The chat's searches
    older than ``keep`` go at the same time, so the table holds only live ones."""
    await session.execute(
        delete(SavedSearch).where(
            SavedSearch.chat_id == chat_id, SavedSearch.created_at < now - keep
        )
    )
    saved = SavedSearch(chat_id=chat_id, query=query, created_at=now)
    session.add(saved)
    await session.flush()
    return saved.id


async def live_searches(
    session: AsyncSession, chat_id: int, *, now: datetime, keep: timedelta
) -> dict[int, str]:
    """The chat's searches younger than ``keep``, by id: what its paging buttons may name."""
    rows = await session.execute(
        select(SavedSearch.id, SavedSearch.query).where(
            SavedSearch.chat_id == chat_id, SavedSearch.created_at >= now - keep
        )
    )
    return {search_id: query for search_id, query in rows}


async def mentions_per_day(
    session: AsyncSession, query: str, *, since: datetime
) -> list[tuple[date, int]]:
    """How many stored articles matched ``query`` on each day (UTC) since ``since``."""
    words = search_words(query)
    if not words:
        return []
    where, _order = _matching_ids(session, words)
    day = (
        cast(Article.fetched_at, Date)
        if session.get_bind().dialect.name == "postgresql"
        else func.date(Article.fetched_at)
    )
    rows = await session.execute(
        select(day, func.count())
        .where(where, Article.fetched_at >= since)
        .group_by(day)
        .order_by(day)
    )
    result = []
    for value, count in rows:
        when = value if isinstance(value, date) else date.fromisoformat(str(value))
        result.append((when, int(count)))
    return result
