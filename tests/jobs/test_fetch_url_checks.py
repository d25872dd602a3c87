"""Malformed URLs are refused with a reason before any socket is opened, not raised as crashes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from jobs.fetch import FetchPolicy, FetchRefused, SafeFetcher


async def no_resolving(host: str, port: int) -> list[str]:
    raise AssertionError(f"a malformed URL reached the resolver: {host}:{port}")


@pytest.fixture
async def fetcher() -> AsyncIterator[SafeFetcher]:
    async with SafeFetcher(FetchPolicy(), resolver=no_resolving) as safe:
        yield safe


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:99999/feed.xml", "port 99999 does not exist"),
        ("https://" + "a" * 300 + ".example/", "is not a valid host name"),
        ("https://" + "b" * 64 + ".example/", "is not a valid host name"),
        ("https://xn--.example/", "is not a valid URL"),
    ],
)
async def test_malformed_urls_are_refused_with_a_reason(
    fetcher: SafeFetcher, url: str, reason: str
) -> None:
    with pytest.raises(FetchRefused, match=reason):
        await fetcher.fetch(url)
