"""Alert rules keep the query as the user wrote it, to show it back that way.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 07:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: existing rules were stored only in canonical form, which they keep showing.
    with op.batch_alter_table("alert_rules") as batch:
        batch.add_column(sa.Column("written", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("alert_rules") as batch:
        batch.drop_column("written")
