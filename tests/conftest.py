"""Shared fixtures: a migrated database on SQLite, and on PostgreSQL when NEWSDIGEST_TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
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


@contextmanager
def _fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """A URL to an empty database: a fresh SQLite file, or a fresh PostgreSQL schema."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'newsdigest.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL not configured: set NEWSDIGEST_TEST_DATABASE_URL")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq_conninfo(POSTGRES_URL), autocommit=True) as conn:
        # Once per database, outside the per-test schemas: migration 0004 would otherwise create
        # it in the first test's schema, and dropping that schema would take it from the rest.
        conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public")
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield _postgres_schema_url(POSTGRES_URL, schema)
    finally:
        with psycopg.connect(_libpq_conninfo(POSTGRES_URL), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database: a fresh SQLite file, or a fresh PostgreSQL schema."""
    with _fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The same, shared by one module's tests: for a bot that is started once per module."""
    with _fresh_database(request.param, tmp_path_factory.mktemp("database")) as url:
        yield url


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
