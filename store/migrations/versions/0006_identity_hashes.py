"""GUIDs and article URLs are kept whole (Text); their unique keys move to sha256 columns.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 07:00:00

A PostgreSQL btree index holds about 2,700 bytes a row, and a VARCHAR(2048) refuses longer
values outright: an entry with a longer GUID or link was dropped on every poll. SQLite rebuilds
a table to change a column's type (Alembic's batch mode), which drops the table's triggers, so
the full-text triggers on ``articles`` are read before and created again after.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from store.models import identity_hash

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, identity column, its hash column, the old unique columns, the new unique columns)
_KEYS = (
    ("articles", "canonical_url", "url_hash", ["canonical_url"], ["url_hash"]),
    ("feed_entries", "guid", "guid_hash", ["feed_id", "guid"], ["feed_id", "guid_hash"]),
)
_OLD_LENGTH = 2048


def _unique_name(table: str, columns: list[str]) -> str:
    return f"uq_{table}_{'_'.join(columns)}"


def _sqlite_triggers(table: str) -> list[str]:
    """The CREATE TRIGGER statements on ``table`` (SQLite), which a table rebuild drops."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return []
    rows = bind.execute(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :table"),
        {"table": table},
    )
    return [row[0] for row in rows]


def _fill_hashes(table: str, column: str, hash_column: str) -> None:
    # In Python: SQLite has no sha256(), and the hash must be the one store.models computes.
    bind = op.get_bind()
    rows_table = sa.table(table, sa.column("id"), sa.column(column), sa.column(hash_column))
    rows = bind.execute(sa.select(rows_table.c.id, rows_table.c[column])).all()
    if rows:
        bind.execute(
            rows_table.update()
            .where(rows_table.c.id == sa.bindparam("row_id"))
            .values({hash_column: sa.bindparam("hash")}),
            [{"row_id": row_id, "hash": identity_hash(value)} for row_id, value in rows],
        )


def upgrade() -> None:
    for table, column, hash_column, old_unique, new_unique in _KEYS:
        triggers = _sqlite_triggers(table)
        op.add_column(table, sa.Column(hash_column, sa.String(length=64), nullable=True))
        _fill_hashes(table, column, hash_column)
        with op.batch_alter_table(table) as batch:
            batch.alter_column(hash_column, existing_type=sa.String(length=64), nullable=False)
            batch.drop_constraint(_unique_name(table, old_unique), type_="unique")
            batch.create_unique_constraint(_unique_name(table, new_unique), new_unique)
            batch.alter_column(column, existing_type=sa.String(length=_OLD_LENGTH), type_=sa.Text())
            if table == "articles":
                batch.alter_column(
                    "guid", existing_type=sa.String(length=_OLD_LENGTH), type_=sa.Text()
                )
        for trigger in triggers:
            op.execute(trigger)


def downgrade() -> None:
    # Fails on PostgreSQL if a GUID or URL longer than 2,048 characters was stored since: those
    # rows have no place in the old schema, and dropping them is the operator's decision.
    for table, column, hash_column, old_unique, new_unique in reversed(_KEYS):
        triggers = _sqlite_triggers(table)
        with op.batch_alter_table(table) as batch:
            if table == "articles":
                batch.alter_column(
                    "guid", existing_type=sa.Text(), type_=sa.String(length=_OLD_LENGTH)
                )
            batch.alter_column(column, existing_type=sa.Text(), type_=sa.String(length=_OLD_LENGTH))
            batch.drop_constraint(_unique_name(table, new_unique), type_="unique")
            batch.create_unique_constraint(_unique_name(table, old_unique), old_unique)
            batch.drop_column(hash_column)
        for trigger in triggers:
            op.execute(trigger)
