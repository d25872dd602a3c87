"""Alembic environment: runs migrations on the connection handed over by store.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from store.migrate import include_object
from store.models import Base

connection: Connection | None = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `newsdigest db upgrade`, not the alembic command")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things in place; batch mode copies the table instead.
    render_as_batch=True,
    compare_type=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
