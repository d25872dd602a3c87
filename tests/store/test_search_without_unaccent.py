"""Where PostgreSQL's unaccent extension cannot be created, the migration warns and search still works.

A self-hoster's database role is often not allowed to create extensions. Migration 0004 must then
finish anyway, say in the log what to run, and leave a search that matches words as written.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from sqlalchemy.engine import make_url

from store import migrate
from store.database import create_engine, create_sessionmaker
from store.models import Article
from store.search import search_articles
from tests.conftest import POSTGRES_URL

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def _conninfo(url: str, **parts: str) -> str:
    return (
        make_url(url)
        .set(drivername="postgresql", **parts)  # type: ignore[arg-type]
        .render_as_string(hide_password=False)
    )


@pytest.fixture
def plain_role_url() -> Iterator[str]:
    """A database without unaccent, and a role that owns a schema there but may not add extensions."""
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL not configured: set NEWSDIGEST_TEST_DATABASE_URL")
    suffix = uuid.uuid4().hex[:10]
    database, role = f"nd_noaccent_{suffix}", f"nd_plain_{suffix}"
    with psycopg.connect(_conninfo(POSTGRES_URL), autocommit=True) as admin:
        admin.execute(f'CREATE ROLE "{role}" LOGIN')
        admin.execute(f'CREATE DATABASE "{database}"')
    with psycopg.connect(_conninfo(POSTGRES_URL, database=database), autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA app AUTHORIZATION "{role}"')
    url = make_url(POSTGRES_URL).set(database=database, username=role, password=None)
    try:
        yield url.update_query_dict({"options": "-csearch_path=app"}).render_as_string(
            hide_password=False
        )
    finally:
        with psycopg.connect(_conninfo(POSTGRES_URL), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
            admin.execute(f'DROP ROLE "{role}"')


async def test_migration_warns_and_search_matches_words_as_written(
    plain_role_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    engine = create_engine(plain_role_url)
    try:
        with caplog.at_level(logging.WARNING):
            await migrate.upgrade(engine)
        assert await migrate.current_revision(engine) == migrate.head_revision()
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert any(
            "search will not ignore accents" in w and "CREATE EXTENSION unaccent" in w
            for w in warnings
        ), warnings

        sessionmaker = create_sessionmaker(engine)
        async with sessionmaker() as session, session.begin():
            session.add(
                Article(
                    canonical_url="https://a.example/1",
                    title="Café owners protest",
                    text="Prices of coffee rose.",
                    fetched_at=NOW,
                )
            )
        async with sessionmaker() as session:
            since = NOW - timedelta(days=1)
            found = await search_articles(session, "café prices", since=since, limit=5)
            assert [a.canonical_url for a in found] == ["https://a.example/1"]
            # The documented cost of running without the extension: accents are not folded.
            assert await search_articles(session, "cafe", since=since, limit=5) == []
    finally:
        await engine.dispose()
