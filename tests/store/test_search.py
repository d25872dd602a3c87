"""Full-text search and daily mention counts on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from store.models import Article
from store.search import mentions_per_day, search_articles

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


async def _articles(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with sessionmaker() as session, session.begin():
        session.add_all(
            [
                Article(
                    canonical_url="https://a.example/1",
                    title="Storm cuts wind farm cable",
                    text="The turbines stopped.",
                    fetched_at=NOW - timedelta(days=2),
                ),
                Article(
                    canonical_url="https://a.example/2",
                    title="Ferry timetable",
                    text="Council approves the wind-resistant ferries.",
                    fetched_at=NOW - timedelta(days=1),
                ),
                Article(
                    canonical_url="https://a.example/3",
                    title="Café owners protest",
                    text="Prices of coffee rose; the farm lobby stayed quiet.",
                    fetched_at=NOW - timedelta(hours=2),
                ),
                Article(
                    canonical_url="https://a.example/4",
                    title="Old wind farm story",
                    text="Wind farm.",
                    fetched_at=NOW - timedelta(days=60),
                ),
            ]
        )


async def test_every_word_must_match_recent_articles_only(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await _articles(sessionmaker)
    async with sessionmaker() as session:
        found = await search_articles(
            session, "wind farm", since=NOW - timedelta(days=30), limit=10
        )
        assert [a.canonical_url for a in found] == ["https://a.example/1"]
        # Case is ignored, and quotes or stars in the query are no syntax errors.
        cafe = await search_articles(session, 'CAFÉ"*', since=NOW - timedelta(days=30), limit=10)
        assert [a.canonical_url for a in cafe] == ["https://a.example/3"]
        # Accents are folded both ways: FTS5's unicode61 tokenizer, PostgreSQL's unaccent.
        plain = await search_articles(session, "cafe", since=NOW - timedelta(days=30), limit=10)
        assert [a.canonical_url for a in plain] == ["https://a.example/3"]
        stormy = await search_articles(session, "stórm", since=NOW - timedelta(days=30), limit=10)
        assert [a.canonical_url for a in stormy] == ["https://a.example/1"]
        assert await search_articles(session, "  ", since=NOW - timedelta(days=30), limit=10) == []


async def test_edits_are_searchable(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    await _articles(sessionmaker)
    async with sessionmaker() as session, session.begin():
        article = await session.get(Article, 2)
        assert article is not None
        article.text = "Now about lighthouses."
    async with sessionmaker() as session:
        assert [
            a.id
            for a in await search_articles(
                session, "lighthouses", since=NOW - timedelta(days=30), limit=5
            )
        ] == [2]


async def test_mentions_are_counted_per_day(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    await _articles(sessionmaker)
    async with sessionmaker() as session:
        counts = await mentions_per_day(session, "farm", since=NOW - timedelta(days=7))
    assert counts == [(date(2026, 11, 27), 1), (date(2026, 11, 29), 1)]
