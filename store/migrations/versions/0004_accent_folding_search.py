"""PostgreSQL search ignores accents, as SQLite's FTS5 already does ("cafe" finds "Café").

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 06:00:00

The tsvector moves to a text search configuration of our own, ``newsdigest``: a copy of
``english`` whose words pass through the ``unaccent`` dictionary first. ``unaccent`` ships with
PostgreSQL's contrib package and is a trusted extension (a database owner may create it); where
it cannot be had, the configuration stays a plain copy of ``english`` and a warning says how to
add it later. Nothing to do on SQLite.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger(__name__)


def _search_column(config: str) -> list[str]:
    return [
        "DROP INDEX IF EXISTS ix_articles_search",
        "ALTER TABLE articles DROP COLUMN IF EXISTS search",
        f"""ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('{config}', coalesce(title, '')), 'A')
            || setweight(to_tsvector('{config}', coalesce(text, '')), 'B')) STORED""",
        "CREATE INDEX ix_articles_search ON articles USING gin (search)",
    ]


def _unaccent_schema(connection: sa.Connection) -> str | None:
    """The schema holding the unaccent extension, creating it when allowed; None without it."""
    query = sa.text(
        "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'"
    )
    schema = connection.scalar(query)
    if schema is not None:
        return str(schema)
    try:
        with connection.begin_nested():
            connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS unaccent"))
    except sa.exc.DBAPIError as exc:
        log.warning(
            "search will not ignore accents: the unaccent extension could not be created (%s); "
            "run CREATE EXTENSION unaccent as a superuser, then 'newsdigest db downgrade 0003' "
            "and 'newsdigest db upgrade'",
            str(exc.orig).strip().splitlines()[0],
        )
        return None
    return str(connection.scalar(query))


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    op.execute("CREATE TEXT SEARCH CONFIGURATION newsdigest (COPY = english)")
    schema = _unaccent_schema(connection)
    if schema is not None:
        # Accents go first, so the stemmer sees "cafe" whether the text said "café" or "cafe".
        op.execute(
            "ALTER TEXT SEARCH CONFIGURATION newsdigest ALTER MAPPING FOR hword, hword_part, word "
            f'WITH "{schema}".unaccent, english_stem'
        )
    for statement in _search_column("newsdigest"):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # Derived from title and text only: rebuilding it loses no data.
    for statement in _search_column("english"):
        op.execute(statement)
    op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS newsdigest")
