"""One active holder of a role (the sender) across processes, the others hot standbys.

On PostgreSQL the role is a session-level advisory lock held on its own connection: when the
holder's process dies, its connection closes, the lock is released, and a standby polling for
it takes over within one poll interval. SQLite deployments run one process, which always holds it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)


def lock_key(role: str) -> int:
    """A stable signed 64-bit key for the role's name (advisory locks take a bigint)."""
    return int.from_bytes(hashlib.sha256(role.encode()).digest()[:8], "big", signed=True)


@asynccontextmanager
async def hold_role(
    engine: AsyncEngine, role: str, *, poll_seconds: float = 2.0
) -> AsyncIterator[asyncio.Event]:
    """Wait until this process holds ``role``, then run the block.

    Yields an event that is set if the lock's connection is lost while the block runs: the
    block must then stop, since another process may already have taken over.
    """
    lost = asyncio.Event()
    if engine.dialect.name != "postgresql":
        yield lost
        return
    key = lock_key(role)
    async with engine.connect() as raw:
        # Autocommit: holding the lock must not hold a transaction open for hours.
        conn = await raw.execution_options(isolation_level="AUTOCOMMIT")
        announced = False
        while not await _try_lock(conn, key):
            if not announced:
                log.info("%s: another process holds the role; standing by", role)
                announced = True
            await asyncio.sleep(poll_seconds)
        log.info("%s: this process holds the role", role)
        watchdog = asyncio.create_task(_watch(conn, lost, poll_seconds))
        try:
            yield lost
        finally:
            watchdog.cancel()
            if not lost.is_set():
                try:
                    await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                except DBAPIError:
                    log.warning("%s: could not release the lock cleanly", role)


async def _try_lock(conn: AsyncConnection, key: int) -> bool:
    result = await conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key})
    return bool(result.scalar_one())


async def _watch(conn: AsyncConnection, lost: asyncio.Event, poll_seconds: float) -> None:
    while True:
        await asyncio.sleep(poll_seconds)
        try:
            await conn.execute(text("SELECT 1"))
        except DBAPIError:
            log.error("lost the database connection that holds the sender role")
            lost.set()
            return


async def serve_role(
    engine: AsyncEngine,
    role: str,
    body: Callable[[asyncio.Event], Awaitable[None]],
    stop: asyncio.Event,
    *,
    poll_seconds: float = 2.0,
    retry_seconds: float = 5.0,
) -> None:
    """Run ``body`` whenever this process holds ``role``, until ``stop`` is set.

    ``body`` gets an event that is set when it must end (stop, or the role's connection lost).
    A lost connection or a database that is down does not end the process's part: it stands by
    again, so after a PostgreSQL restart some process always takes the role back.
    """
    while not stop.is_set():
        try:
            async with hold_role(engine, role, poll_seconds=poll_seconds) as lost:
                await _run_until(body, stop, lost)
        except DBAPIError as exc:
            log.warning("%s: database unavailable (%s); retrying in %g s", role, exc, retry_seconds)
        if not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=retry_seconds)


async def _run_until(
    body: Callable[[asyncio.Event], Awaitable[None]], stop: asyncio.Event, lost: asyncio.Event
) -> None:
    either = asyncio.Event()

    async def relay(source: asyncio.Event) -> None:
        await source.wait()
        either.set()

    relays = [asyncio.create_task(relay(stop)), asyncio.create_task(relay(lost))]
    try:
        await body(either)
    finally:
        for task in relays:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
