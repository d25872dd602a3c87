"""Engines and sessions for SQLite and PostgreSQL, from one database URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import ConnectionPoolEntry

# How long a SQLite writer waits for another before "database is locked" (ms).
SQLITE_BUSY_TIMEOUT_MS = 15_000


class DatabaseURLError(ValueError):
    """The database URL names a backend newsdigest does not run on."""


def async_url(url: str) -> URL:
    """Pick the async driver we ship for the URL's backend, whatever driver the user wrote."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite")
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg")
    raise DatabaseURLError(
        f"unsupported database {backend!r}: use sqlite:///PATH or postgresql://…"
    )


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # WAL lets readers (the bot) run while a writer (ingestion) commits; SQLite leaves foreign
    # keys off unless asked, per connection.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_engine(url: str, *, echo: bool = False, **kwargs: Any) -> AsyncEngine:
    """Create the async engine; for SQLite also create the file's folder and turn on WAL and FKs."""
    target = async_url(url)
    if target.get_backend_name() == "sqlite":
        database = target.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    else:
        kwargs.setdefault("pool_pre_ping", True)
    engine = create_async_engine(target, echo=echo, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: objects stay readable after the caller's transaction ends,
    # which async code needs (no lazy loads after commit).
    return async_sessionmaker(engine, expire_on_commit=False)


def upsert_insert(session: AsyncSession) -> Any:
    """The dialect's INSERT construct, which has ``on_conflict_do_nothing/do_update``.

    Both backends speak ON CONFLICT; SQLAlchemy gives each its own construct for it.
    """
    if session.get_bind().dialect.name == "postgresql":
        return pg_insert
    return sqlite_insert


async def insert_or_ignore(
    session: AsyncSession, model: type[DeclarativeBase], values: dict[str, Any], *, keys: list[str]
) -> bool:
    """Insert a row unless one with the same ``keys`` exists (or is being inserted): True if new.

    ON CONFLICT DO NOTHING on both dialects: a concurrent insert of the same row waits for the
    other transaction and then does nothing, where a read-then-insert raises a unique violation.
    """
    table: Table = model.__table__  # type: ignore[assignment]
    statement = (
        upsert_insert(session)(model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=keys)
        # RETURNING, not rowcount: drivers disagree on rowcount for a skipped ON CONFLICT.
        .returning(*(table.c[key] for key in keys))
    )
    result = await session.execute(statement)
    return result.first() is not None
