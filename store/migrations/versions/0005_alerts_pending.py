"""Alert matching owed per feed entry, so a crash between storing and matching loses no alert.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 23:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("feed_entries") as batch:
        batch.add_column(
            sa.Column("alerts_pending", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.create_index(op.f("ix_feed_entries_alerts_pending"), ["alerts_pending"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("feed_entries") as batch:
        batch.drop_index(op.f("ix_feed_entries_alerts_pending"))
        batch.drop_column("alerts_pending")
