"""Alembic migrations of the newsdigest schema."""
