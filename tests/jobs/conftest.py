"""Fixtures for the ingestion network and parsing tests: the local feed server and fetchers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from jobs.fetch import FetchPolicy, SafeFetcher
from tests.feedserver import FeedServer


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


@pytest.fixture
def policy() -> FetchPolicy:
    # The test server lives on 127.0.0.1, which only the allow-list lets through.
    return FetchPolicy(allow=("127.0.0.1",), total_timeout=10.0, read_timeout=5.0)


@pytest.fixture
async def fetcher(policy: FetchPolicy) -> AsyncIterator[SafeFetcher]:
    async with SafeFetcher(policy) as safe_fetcher:
        yield safe_fetcher
