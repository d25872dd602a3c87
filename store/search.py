"""Full-text search of stored articles: FTS5 on SQLite, tsvector on PostgreSQL (migrations 0003-4)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Select, cast, func, literal_column, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from store.models import Article

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
