"""Alert round-ups (a rule's mode, the matches owed), /mute rules, and saved /search pages.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 11:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _chat_id() -> sa.Column[int]:
    return sa.Column(
        "chat_id",
        sa.BigInteger(),
        sa.ForeignKey("chats.id", ondelete="CASCADE", onupdate="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    # Every existing rule keeps alerting at once.
    with op.batch_alter_table("alert_rules") as batch:
        batch.add_column(
            sa.Column("mode", sa.String(length=16), server_default="instant", nullable=False)
        )
    op.create_table(
        "roundup_matches",
        sa.Column("id", sa.Integer(), primary_key=True),
        _chat_id(),
        sa.Column(
            "rule_id",
            sa.Integer(),
            sa.ForeignKey("alert_rules.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("item_key", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=1000), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("matched_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("chat_id", "item_key"),
    )
    op.create_index(op.f("ix_roundup_matches_rule_id"), "roundup_matches", ["rule_id"])
    op.create_index(op.f("ix_roundup_matches_article_id"), "roundup_matches", ["article_id"])
    op.create_table(
        "mute_rules",
        sa.Column("id", sa.Integer(), primary_key=True),
        _chat_id(),
        sa.Column("query", sa.String(length=500), nullable=False),
        sa.Column("written", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("chat_id", "query"),
    )
    op.create_table(
        "saved_searches",
        sa.Column("id", sa.Integer(), primary_key=True),
        _chat_id(),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(op.f("ix_saved_searches_chat_id"), "saved_searches", ["chat_id"])


def downgrade() -> None:
    op.drop_table("saved_searches")
    op.drop_table("mute_rules")
    op.drop_table("roundup_matches")
    with op.batch_alter_table("alert_rules") as batch:
        batch.drop_column("mode")
