"""Only one process holds the sender role on PostgreSQL; a standby takes over when it ends."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.leadership import hold_role
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
