"""Per-story buttons: a muted source (kept subscribed, left out of digests and alerts), and the
index a button tap uses to find the delivery of the message it was under.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 11:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: every existing subscription is simply not muted.
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(sa.Column("muted_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("deliveries") as batch:
        batch.create_index(
            "ix_deliveries_chat_message", ["chat_id", "telegram_message_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_index("ix_deliveries_chat_message")
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_column("muted_at")
