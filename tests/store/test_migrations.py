"""Migrations create, revert and recreate the schema on SQLite and PostgreSQL without losing rows."""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from store import migrate
from store.database import create_engine
from store.models import Base

TABLES = {
    "feeds",
    "articles",
    "feed_entries",
    "summaries",
    "chats",
    "subscriptions",
    "alert_rules",
    "deliveries",
    "story_bands",
}


async def _tables(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    return {name for name in names - {"alembic_version"} if not name.startswith("articles_fts")}


async def test_upgrade_downgrade_upgrade(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        assert await migrate.current_revision(engine) is None
        before, after = await migrate.upgrade(engine)
        assert (before, after) == (None, migrate.head_revision())
        assert await _tables(engine) == TABLES

        await migrate.downgrade(engine, "base")
        assert await _tables(engine) == set()
        assert await migrate.current_revision(engine) is None

        await migrate.upgrade(engine)
        assert await _tables(engine) == TABLES
    finally:
        await engine.dispose()


async def test_migrations_match_models(engine: AsyncEngine) -> None:
    """The models and the migrations describe the same schema (no forgotten migration)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    async with engine.connect() as conn:
        diff = await conn.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"include_object": migrate.include_object}),
                Base.metadata,
            )
        )
    assert diff == []


async def test_ensure_schema_upgrades_once_then_is_a_no_op(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        assert await migrate.ensure_schema(engine) == migrate.head_revision()
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO chats (id, type, timezone, digest_schedule, items_per_digest, summary_sentences, show_entities, show_figures, active, created_at) VALUES (42, 'private', 'UTC', 'off', 5, 2, true, true, true, CURRENT_TIMESTAMP)"
                )
            )
        assert await migrate.ensure_schema(engine) is None
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM chats"))).scalar_one() == 1
    finally:
        await engine.dispose()


async def test_chats_from_before_pauses_keep_their_schedule_and_are_not_paused(
    database_url: str,
) -> None:
    from jobs.schedule import parse_schedule

    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, "0005")
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO chats (id, type, timezone, digest_schedule, items_per_digest, summary_sentences, show_entities, show_figures, active, created_at) VALUES (7, 'private', 'Europe/Berlin', 'daily 08:00,18:00', 8, 2, true, true, true, CURRENT_TIMESTAMP)"
                )
            )
        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            row = (
                await conn.execute(
                    text("SELECT digest_schedule, paused_at, paused_until FROM chats WHERE id = 7")
                )
            ).one()
        assert (row.paused_at, row.paused_until) == (None, None)
        assert parse_schedule(row.digest_schedule).describe() == "daily at 08:00 and 18:00"
        await migrate.downgrade(engine, "0005")
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM chats"))).scalar_one() == 1
    finally:
        await engine.dispose()
