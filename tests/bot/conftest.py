"""A module-wide bot harness for the end-to-end modules that ask for it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio

from tests.bot.harness import Harness, bot_harness


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def harness(
    tmp_path_factory: pytest.TempPathFactory, module_database_url: str
) -> AsyncIterator[Harness]:
    """One running bot per module (starting one costs seconds); the module's tests share it."""
    async with bot_harness(
        tmp_path_factory.mktemp("bot"), database_url=module_database_url
    ) as running_harness:
        yield running_harness
    assert running_harness.errors == []


@pytest.fixture
def no_errors(harness: Harness) -> Iterator[None]:
    """PTB swallows handler exceptions: each test fails if its handlers raised one. Use with
    ``pytest.mark.usefixtures``."""
    harness.errors.clear()
    yield
    assert harness.errors == []
