"""Migrations create, revert and recreate the schema on SQLite and PostgreSQL without losing rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from store import migrate
from store.database import create_engine, create_sessionmaker
from store.models import Article, Base, FeedEntry, identity_hash
from store.search import search_articles

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
    "story_follows",
    "roundup_matches",
    "mute_rules",
    "saved_searches",
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


async def test_identity_hashes_are_filled_in_and_search_still_indexes_new_articles(
    database_url: str,
) -> None:
    """0006 keys GUIDs and URLs by their sha256: rows from before get theirs, and on SQLite the
    table rebuild keeps the full-text triggers (an article stored after it is still found)."""
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, "0005")
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO feeds (id, url, interval_seconds, next_due_at, "
                    "consecutive_failures, enabled, created_at) "
                    "VALUES (101, 'https://quay.example/feed', 900, CURRENT_TIMESTAMP, 0, true, "
                    "CURRENT_TIMESTAMP)"
                )
            )
            await conn.execute(
                text(
                    "INSERT INTO articles (id, canonical_url, feed_id, guid, title, fetched_at, "
                    "text, is_backlog) VALUES (101, 'https://quay.example/crane', 101, 'crane-1', "
                    "'Crane repaired', CURRENT_TIMESTAMP, 'The harbour crane works again.', false)"
                )
            )
            await conn.execute(
                text(
                    "INSERT INTO feed_entries (feed_id, guid, article_id, seen_at, alerts_pending)"
                    " VALUES (101, 'crane-1', 101, CURRENT_TIMESTAMP, false)"
                )
            )
        await migrate.upgrade(engine)

        sessionmaker = create_sessionmaker(engine)
        async with sessionmaker() as session, session.begin():
            article = await session.scalar(select(Article))
            entry = await session.scalar(select(FeedEntry))
            assert article is not None and entry is not None
            assert article.url_hash == identity_hash("https://quay.example/crane")
            assert entry.guid_hash == identity_hash("crane-1")
            session.add(
                Article(
                    canonical_url="https://quay.example/" + "x" * 3000,
                    title="Ferry timetable approved",
                    text="The ferry runs every thirty minutes from March.",
                    fetched_at=datetime.now(UTC),
                )
            )
        async with sessionmaker() as session:
            since = datetime.now(UTC) - timedelta(days=3650)
            [found] = await search_articles(session, "ferry", since=since, limit=5)
            assert found.url_hash == identity_hash(found.canonical_url)
            assert [a.id for a in await search_articles(session, "crane", since=since, limit=5)]

        # Back down keeps the rows that fit the old columns.
        async with engine.begin() as conn:
            await conn.execute(text("DELETE FROM articles WHERE id <> 101"))
        await migrate.downgrade(engine, "0005")
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT guid FROM feed_entries"))).scalar() == "crane-1"
        await migrate.upgrade(engine)
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


async def test_subscriptions_from_before_mutes_are_not_muted(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, "0009")
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO chats (id, type, timezone, digest_schedule, items_per_digest, summary_sentences, show_entities, show_figures, active, created_at) VALUES (7, 'private', 'UTC', 'daily 08:00', 8, 2, true, true, true, CURRENT_TIMESTAMP)"
                )
            )
            await conn.execute(
                text(
                    "INSERT INTO feeds (id, url, interval_seconds, next_due_at, consecutive_failures, enabled, created_at) VALUES (3, 'https://n.test/feed', 900, CURRENT_TIMESTAMP, 0, true, CURRENT_TIMESTAMP)"
                )
            )
            await conn.execute(
                text(
                    "INSERT INTO subscriptions (chat_id, feed_id, created_at) VALUES (7, 3, CURRENT_TIMESTAMP)"
                )
            )
        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            muted = (await conn.execute(text("SELECT muted_at FROM subscriptions"))).scalar_one()
        assert muted is None
        await migrate.downgrade(engine, "0009")
        async with engine.connect() as conn:
            assert (
                await conn.execute(text("SELECT count(*) FROM subscriptions"))
            ).scalar_one() == 1
    finally:
        await engine.dispose()
