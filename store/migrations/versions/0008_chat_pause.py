"""/pause and /resume: when a chat paused and until when (empty: until it resumes).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 07:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Both nullable: every existing chat is simply not paused.
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("paused_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("paused_until", sa.DateTime(timezone=True), nullable=True))
        batch.create_index(op.f("ix_chats_paused_until"), ["paused_until"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("chats") as batch:
        batch.drop_index(op.f("ix_chats_paused_until"))
        batch.drop_column("paused_until")
        batch.drop_column("paused_at")
