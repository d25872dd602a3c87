"""Chats record who gave them their language, so a choice made with /language is kept.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 11:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every existing chat got its language from Telegram's language_code on first contact.
    with op.batch_alter_table("chats") as batch:
        batch.add_column(
            sa.Column(
                "language_source",
                sa.Enum(
                    "telegram",
                    "admin",
                    "chosen",
                    name="languagesource",
                    native_enum=False,
                    length=16,
                ),
                nullable=False,
                server_default="telegram",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("chats") as batch:
        batch.drop_column("language_source")
