"""Only one process holds the sender role on PostgreSQL; a standby takes over when it ends."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.leadership import hold_role, lock_key, serve_role
from store.database import create_engine, is_sqlite


async def test_standby_takes_over_when_the_holder_stops(
    engine: AsyncEngine, database_url: str
) -> None:
    if is_sqlite(engine):
        async with hold_role(engine, "sender") as lost:
            assert not lost.is_set()
        return
    # A second engine stands for a second process: its own connections.
    other = create_engine(database_url)
    holder_may_stop = asyncio.Event()
    first_holds = asyncio.Event()
    order: list[str] = []

    async def holder() -> None:
        async with hold_role(engine, "sender", poll_seconds=0.05):
            order.append("first holds")
            first_holds.set()
            await holder_may_stop.wait()
        order.append("first released")

    async def standby(started: asyncio.Event) -> None:
        started.set()
        async with hold_role(other, "sender", poll_seconds=0.05):
            order.append("second holds")

    try:
        first = asyncio.create_task(holder())
        await first_holds.wait()
        started = asyncio.Event()
        second = asyncio.create_task(standby(started))
        await started.wait()
        # The standby cannot get the role while the first holds it.
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(asyncio.shield(second), timeout=0.3)
        assert order == ["first holds"]
        holder_may_stop.set()
        await asyncio.wait_for(asyncio.gather(first, second), timeout=5)
        assert order == ["first holds", "first released", "second holds"]
    finally:
        await other.dispose()


async def test_the_role_is_taken_back_after_its_connection_is_killed(
    engine: AsyncEngine, database_url: str
) -> None:
    if is_sqlite(engine):
        pytest.skip("SQLite runs one process, which always holds the role")
    stop = asyncio.Event()
    turns: list[asyncio.Event] = [asyncio.Event(), asyncio.Event()]
    ended: list[str] = []

    async def body(done: asyncio.Event) -> None:
        turns[len(ended)].set()
        await done.wait()
        ended.append("stop" if stop.is_set() else "lost")

    server = asyncio.create_task(
        serve_role(engine, "killed", body, stop, poll_seconds=0.05, retry_seconds=0.05)
    )
    try:
        await asyncio.wait_for(turns[0].wait(), timeout=5)
        # What a PostgreSQL restart or a network cut does to the connection holding the lock.
        async with engine.connect() as admin:
            killed = await admin.scalar(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_locks "
                    "WHERE locktype = 'advisory' AND objid = (:key & x'ffffffff'::bigint)::oid"
                ),
                {"key": lock_key("killed")},
            )
        assert killed == 1
        await asyncio.wait_for(turns[1].wait(), timeout=5)
        assert ended == ["lost"]
    finally:
        stop.set()
        await asyncio.wait_for(server, timeout=5)
    assert ended == ["lost", "stop"]
