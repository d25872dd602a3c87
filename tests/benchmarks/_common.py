"""What the delivery, digest and ingestion benchmarks share: a scratch database, machine facts, tables."""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from store import migrate
from store.database import create_engine

# Where `--db postgresql` points; a benchmark works in a schema of its own and drops it after.
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


def machine_facts() -> str:
    # The load average says whether other work shared the cores while this ran.
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()} "
        f"({sys.implementation.name}), {platform.system()} {platform.release()}; "
        f"load average now (1, 5, 15 min): {load}"
    )


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@asynccontextmanager
async def scratch_database(
    kind: str, postgres_url: str = DEFAULT_POSTGRES_URL
) -> AsyncIterator[str]:
    """A URL to a migrated, empty database: a temporary SQLite file or a new PostgreSQL schema."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="newsdigest-bench-") as folder:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
            await _migrate(url)
            yield url
        return
    if kind != "postgresql":
        raise SystemExit(f"--db must be sqlite or postgresql, not {kind!r}")
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq(postgres_url), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    # The schema is chosen through libpq's search_path, as tests/conftest.py does.
    url = (
        make_url(postgres_url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    try:
        await _migrate(url)
        yield url
    finally:
        with psycopg.connect(_libpq(postgres_url), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A plain aligned table: first column left, the others right."""
    cells = [[str(h) for h in headers], *[[_cell(value) for value in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        first, *rest = row
        return "  ".join(
            [
                first.ljust(widths[0]),
                *(cell.rjust(w) for cell, w in zip(rest, widths[1:], strict=True)),
            ]
        )

    print(line(cells[0]))
    print("-" * len(line(cells[0])))
    for row in cells[1:]:
        print(line(row))


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
