"""Apply, revert and inspect schema migrations through Alembic's API, on the caller's engine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Search structures made by raw SQL in migration 0003, not by the models: comparisons skip them.
SEARCH_OBJECTS = frozenset({"articles_fts", "search", "ix_articles_search"})


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic's filter: leave the full-text search objects out of model comparisons."""
    return not (name in SEARCH_OBJECTS or (name or "").startswith("articles_fts"))


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config built in code, so no alembic.ini has to sit in the working directory."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations found"
    return head


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(_current)


async def _migrate(
    engine: AsyncEngine, step: Callable[[Config, str], None], revision: str
) -> tuple[str | None, str | None]:
    """Run an Alembic step in one transaction; returns (revision before, revision after).

    On SQLite, foreign keys are off while it runs, as SQLite's own procedure for rebuilding a
    table asks: batch mode drops the old table, and with foreign keys on, that drop would first
    delete every row pointing at it through ON DELETE CASCADE (rebuilding ``articles`` would
    empty ``feed_entries``). The pragma cannot change inside a transaction, hence the order; the
    keys are checked before the transaction commits.
    """

    def run(connection: Connection) -> tuple[str | None, str | None]:
        before = _current(connection)
        step(alembic_config(connection), revision)
        if connection.dialect.name == "sqlite":
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration left rows with dangling foreign keys: {broken[:5]}")
        return before, _current(connection)

    async with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            await connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            await connection.commit()
        try:
            async with connection.begin():
                return await connection.run_sync(run)
        finally:
            if sqlite:
                await connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                await connection.commit()


async def upgrade(engine: AsyncEngine, revision: str = "head") -> tuple[str | None, str | None]:
    """Apply pending migrations; returns (revision before, revision after)."""
    return await _migrate(engine, command.upgrade, revision)


async def downgrade(engine: AsyncEngine, revision: str) -> tuple[str | None, str | None]:
    """Revert to ``revision`` ("base" for an empty schema); returns (before, after)."""
    return await _migrate(engine, command.downgrade, revision)


async def ensure_schema(engine: AsyncEngine) -> str | None:
    """Bring the schema to head if it is behind: every command that uses the database calls this."""
    if await current_revision(engine) == head_revision():
        return None
    _before, after = await upgrade(engine)
    return after
