"""Which source an article's published time came from: published, updated, page or fetched.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 07:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN on both databases: no SQLite table rebuild for a nullable column.
    op.add_column(
        "articles",
        sa.Column(
            "date_source",
            sa.Enum(
                "published",
                "updated",
                "page",
                "fetched",
                name="datesource",
                native_enum=False,
                length=16,
            ),
            nullable=True,
        ),
    )


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("date_source")
