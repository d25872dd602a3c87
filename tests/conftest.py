"""Shared fixtures: a migrated database on SQLite, and on PostgreSQL when NEWSDIGEST_TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from store import migrate
from store.database import create_engine, create_sessionmaker

# The one place tests read the environment: which PostgreSQL to use, if any.
POSTGRES_URL = os.environ.get("NEWSDIGEST_TEST_DATABASE_URL", "")


def _postgres_schema_url(base_url: str, schema: str) -> str:
    # Each test gets its own schema, selected through libpq's search_path option, so tests
    # never see each other's rows and need no cleanup order.
    url = make_url(base_url)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


def _libpq_conninfo(base_url: str) -> str:
    return make_url(base_url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database: a fresh SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'newsdigest.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL not configured: set NEWSDIGEST_TEST_DATABASE_URL")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq_conninfo(POSTGRES_URL), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield _postgres_schema_url(POSTGRES_URL, schema)
    finally:
        with psycopg.connect(_libpq_conninfo(POSTGRES_URL), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a database migrated to head."""
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessionmaker(engine)
