"""Following a story: the chats that follow one and what each already knows of it, and the
items of each chat's latest digest (what /follow N picks from).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 11:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: a chat without a digest since has nothing for /follow N to pick from.
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("last_digest_articles", sa.JSON(), nullable=True))
    # The outbox's new "update" kind needs nothing here: kinds are plain strings (native_enum
    # False, no CHECK constraint).
    op.create_table(
        "story_follows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("story_key", sa.String(length=64), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=1000), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_update_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("news_since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_reason", sa.String(length=32), nullable=True),
        sa.Column("known_outlets", sa.JSON(), nullable=False),
        sa.Column("known_figures", sa.JSON(), nullable=False),
        sa.Column("known_names", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_story_follows_article_id_articles"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["chats.id"],
            name=op.f("fk_story_follows_chat_id_chats"),
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_story_follows")),
        sa.UniqueConstraint(
            "chat_id", "story_key", name=op.f("uq_story_follows_chat_id_story_key")
        ),
    )
    op.create_index(op.f("ix_story_follows_ended_at"), "story_follows", ["ended_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_story_follows_ended_at"), table_name="story_follows")
    op.drop_table("story_follows")
    with op.batch_alter_table("chats") as batch:
        batch.drop_column("last_digest_articles")
