"""SafeFetcher against a real HTTP server on 127.0.0.1: politeness, caps and refusals."""

from __future__ import annotations

import asyncio
import gzip
import re
import ssl
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Callable, Sequence

import httpx
import pytest

from jobs.fetch import (
    FetchConnectionError,
    FetchHTTPError,
    FetchPolicy,
    FetchRefused,
    FetchTimeout,
    FetchTooLarge,
    FetchUnreadable,
    GuardedClient,
    SafeFetcher,
    TooManyRedirects,
)
from tests.feedserver import ETAG, LAST_MODIFIED, TEST_CA, TLS_HOST, FeedServer, Route

LOCAL = ("127.0.0.1",)


class RecordingResolver:
    """Answers from a script, one answer per call, and remembers every question."""

    def __init__(self, *answers: Sequence[str]) -> None:
        self.answers = list(answers)
        self.calls: list[tuple[str, int]] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append((host, port))
        answer = self.answers[min(len(self.calls), len(self.answers)) - 1]
        return list(answer)


async def test_fetches_a_feed_and_names_itself(
    fetcher: SafeFetcher, feed_server: FeedServer
) -> None:
    result = await fetcher.fetch(feed_server.url("/rss2.xml"))

    assert result.status == 200
    assert not result.not_modified
    assert result.body == feed_server.fixture("rss2.xml")
    assert result.content_type == "application/rss+xml"
    request = feed_server.requests[-1]
    assert request.headers["user-agent"].startswith("newsdigest/")
    assert "application/rss+xml" in request.headers["accept"]


async def test_conditional_get_with_etag_returns_not_modified(
    fetcher: SafeFetcher, feed_server: FeedServer
) -> None:
    first = await fetcher.fetch(feed_server.url("/conditional.xml"))
    assert (first.etag, first.last_modified) == (ETAG, LAST_MODIFIED)

    second = await fetcher.fetch(feed_server.url("/conditional.xml"), etag=first.etag)

    assert second.not_modified
    assert second.body == b""
    assert feed_server.requests[-1].headers["if-none-match"] == ETAG


async def test_conditional_get_with_last_modified_returns_not_modified(
    fetcher: SafeFetcher, feed_server: FeedServer
) -> None:
    result = await fetcher.fetch(feed_server.url("/conditional.xml"), last_modified=LAST_MODIFIED)

    assert result.status == 304
    assert feed_server.requests[-1].headers["if-modified-since"] == LAST_MODIFIED


async def test_server_error_is_raised_with_status(
    fetcher: SafeFetcher, feed_server: FeedServer
) -> None:
    with pytest.raises(FetchHTTPError) as caught:
        await fetcher.fetch(feed_server.url("/status/500"))

    assert caught.value.status == 500
    assert caught.value.retry_after is None
    assert "500" in str(caught.value)


@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_is_surfaced_for_the_scheduler(
    fetcher: SafeFetcher, feed_server: FeedServer, status: int
) -> None:
    with pytest.raises(FetchHTTPError) as caught:
        await fetcher.fetch(feed_server.url(f"/status/{status}"))

    assert caught.value.status == status
    assert caught.value.retry_after == 120.0
    assert "retry after 120 s" in str(caught.value)


@pytest.mark.parametrize(
    ("path", "policy", "error", "message"),
    [
        # Headers never come: the per-read timeout.
        ("/slow", FetchPolicy(LOCAL, read_timeout=0.3), FetchTimeout, "sent nothing for 0.3 s"),
        # Each byte arrives well within the read timeout; only the total deadline ends it.
        (
            "/drip",
            FetchPolicy(LOCAL, total_timeout=1.0, read_timeout=0.5),
            FetchTimeout,
            "longer than 1 s in total",
        ),
        # Refused on the declared length, before reading.
        ("/huge-declared", FetchPolicy(LOCAL), FetchTooLarge, "10,000,000,000 bytes"),
        # No length declared: cut while streaming.
        (
            "/huge-streamed",
            FetchPolicy(LOCAL, max_bytes=200_000),
            FetchTooLarge,
            "more than 200,000 bytes",
        ),
        # Small on the wire, counted after decompression.
        (
            "/gzip-bomb",
            FetchPolicy(LOCAL, max_bytes=1_000_000),
            FetchTooLarge,
            "more than 1,000,000 bytes",
        ),
    ],
)
async def test_caps_end_the_fetch(
    feed_server: FeedServer,
    path: str,
    policy: FetchPolicy,
    error: type[Exception],
    message: str,
) -> None:
    async with SafeFetcher(policy) as fetcher:
        with pytest.raises(error, match=re.escape(message)):
            await fetcher.fetch(feed_server.url(path))


async def test_redirect_loop_is_stopped(fetcher: SafeFetcher, feed_server: FeedServer) -> None:
    with pytest.raises(TooManyRedirects, match="loop"):
        await fetcher.fetch(feed_server.url("/redirect/loop"))


async def test_five_redirects_are_followed(fetcher: SafeFetcher, feed_server: FeedServer) -> None:
    result = await fetcher.fetch(feed_server.url("/redirect/chain/5"))

    assert result.url == feed_server.url("/rss2.xml")
    assert len(result.redirects) == 5
    assert result.body == feed_server.fixture("rss2.xml")


async def test_a_permanent_move_is_reported(fetcher: SafeFetcher, feed_server: FeedServer) -> None:
    moved = await fetcher.fetch(feed_server.url("/redirect/to?status=301&url=/atom.xml"))
    temporary = await fetcher.fetch(feed_server.url("/redirect/to?status=307&url=/atom.xml"))
    direct = await fetcher.fetch(feed_server.url("/atom.xml"))

    assert moved.moved_permanently
    assert moved.url == feed_server.url("/atom.xml")
    assert moved.redirects == (feed_server.url("/redirect/to?status=301&url=/atom.xml"),)
    assert not temporary.moved_permanently
    assert not direct.moved_permanently


async def test_six_redirects_are_too_many(fetcher: SafeFetcher, feed_server: FeedServer) -> None:
    with pytest.raises(TooManyRedirects, match="more than 5"):
        await fetcher.fetch(feed_server.url("/redirect/chain/6"))
    assert feed_server.url("/rss2.xml").removeprefix(feed_server.base_url) not in (
        feed_server.paths_requested()
    )


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("http://10.0.0.5/", "address 10.0.0.5 is in a private network"),
        ("http://169.254.169.254/latest/meta-data", "address 169.254.169.254 is link-local"),
        ("http://[::1]/", "address ::1 is a loopback address"),
        ("http://[fd00::1]/", "address fd00::1 is in a private network"),
        ("http://0.0.0.0/", "address 0.0.0.0 is unspecified"),
    ],
)
async def test_redirects_to_internal_addresses_are_refused(
    fetcher: SafeFetcher, feed_server: FeedServer, target: str, message: str
) -> None:
    with pytest.raises(FetchRefused, match="^" + re.escape(f"refused: {message}")) as caught:
        await fetcher.fetch(feed_server.url(f"/redirect/to?url={target}"))
    assert caught.value.url == target


async def test_ipv4_mapped_loopback_is_refused_even_when_ipv4_loopback_is_allowed(
    fetcher: SafeFetcher, feed_server: FeedServer
) -> None:
    # The same server, reached through the IPv6 spelling of 127.0.0.1: it must not get the request.
    target = f"http://[::ffff:127.0.0.1]:{feed_server.port}/never-fetched.xml"

    refusal = re.escape("wraps the IPv4 address 127.0.0.1, which is a loopback")
    with pytest.raises(FetchRefused, match=refusal):
        await fetcher.fetch(feed_server.url(f"/redirect/to?url={target}"))

    assert "/never-fetched.xml" not in feed_server.paths_requested()


async def test_loopback_is_refused_without_an_allow_list(feed_server: FeedServer) -> None:
    async with SafeFetcher(FetchPolicy()) as fetcher:
        refusal = re.escape("address 127.0.0.1 is a loopback")
        with pytest.raises(FetchRefused, match=refusal) as caught:
            await fetcher.fetch(feed_server.url("/rss2.xml"))

    assert "NEWSDIGEST_FETCH_ALLOW" in str(caught.value)
    assert feed_server.requests == []


@pytest.mark.parametrize(
    "url", ["ftp://example.com/feed.xml", "file:///etc/passwd", "gopher://example.com/", "feed.xml"]
)
async def test_only_http_and_https_are_fetched(fetcher: SafeFetcher, url: str) -> None:
    with pytest.raises(FetchRefused, match="only http and https"):
        await fetcher.fetch(url)


async def test_redirect_to_another_scheme_is_refused(
    fetcher: SafeFetcher, feed_server: FeedServer
) -> None:
    with pytest.raises(FetchRefused, match="redirect to a file: address; only http and https"):
        await fetcher.fetch(feed_server.url("/redirect/to?url=file:///etc/passwd"))


async def test_a_host_resolving_to_a_private_address_is_refused(feed_server: FeedServer) -> None:
    resolver = RecordingResolver(["10.0.0.5"])
    async with SafeFetcher(FetchPolicy(allow=("127.0.0.1",)), resolver=resolver) as fetcher:
        with pytest.raises(FetchRefused) as caught:
            await fetcher.fetch("http://feeds.test/rss.xml")

    assert str(caught.value).startswith(
        "refused: feeds.test resolves to 10.0.0.5, which is in a private network"
    )
    assert caught.value.url == "http://feeds.test/rss.xml"
    assert resolver.calls == [("feeds.test", 80)]


async def test_one_private_answer_among_public_ones_refuses_the_host() -> None:
    resolver = RecordingResolver(["93.184.216.34", "192.168.1.20"])
    async with SafeFetcher(FetchPolicy(), resolver=resolver) as fetcher:
        with pytest.raises(FetchRefused, match=re.escape("192.168.1.20")):
            await fetcher.fetch("https://mixed.test/feed")


async def test_connects_to_the_checked_answer_and_never_asks_again(
    feed_server: FeedServer,
) -> None:
    # A rebinding resolver: the first answer is allowed, every later one is private. The name
    # does not exist in real DNS, so a successful fetch proves the socket went to the answer we
    # checked, and a single call proves nothing resolved it a second time.
    resolver = RecordingResolver(["127.0.0.1"], ["10.0.0.5"])
    url = f"http://feeds.test:{feed_server.port}/rss2.xml"
    async with SafeFetcher(FetchPolicy(allow=("127.0.0.1",)), resolver=resolver) as fetcher:
        result = await fetcher.fetch(url)

    assert result.body == feed_server.fixture("rss2.xml")
    assert resolver.calls == [("feeds.test", feed_server.port)]
    assert feed_server.requests[-1].headers["host"] == f"feeds.test:{feed_server.port}"


async def test_a_new_connection_checks_the_new_answer(feed_server: FeedServer) -> None:
    resolver = RecordingResolver(["127.0.0.1"], ["10.0.0.5"])
    policy = FetchPolicy(allow=("127.0.0.1",))
    url = f"http://feeds.test:{feed_server.port}/rss2.xml"
    async with SafeFetcher(policy, resolver=resolver) as first:
        await first.fetch(url)
    # A fresh client has no pooled connection, so it must resolve, and the answer has changed.
    async with GuardedClient(policy, resolver=resolver) as client:
        fetcher = SafeFetcher(policy, client=client)
        with pytest.raises(FetchRefused, match=re.escape("feeds.test resolves to 10.0.0.5")):
            await fetcher.fetch(url)
    assert len(resolver.calls) == 2


async def test_an_allow_listed_host_name_is_exempt(feed_server: FeedServer) -> None:
    resolver = RecordingResolver(["127.0.0.1"])
    async with SafeFetcher(FetchPolicy(allow=("Feeds.Test",)), resolver=resolver) as fetcher:
        result = await fetcher.fetch(f"http://feeds.test:{feed_server.port}/atom.xml")

    assert result.body == feed_server.fixture("atom.xml")


async def test_an_allow_listed_range_is_exempt(feed_server: FeedServer) -> None:
    async with SafeFetcher(FetchPolicy(allow=("127.0.0.0/8",))) as fetcher:
        result = await fetcher.fetch(feed_server.url("/rss1.xml"))

    assert result.status == 200


async def test_unresolvable_host_is_a_connection_error() -> None:
    async def fail(host: str, port: int) -> list[str]:
        raise OSError(-2, "Name or service not known")

    async with SafeFetcher(FetchPolicy(), resolver=fail) as fetcher:
        with pytest.raises(FetchConnectionError, match=re.escape("could not resolve nowhere.test")):
            await fetcher.fetch("http://nowhere.test/feed")


async def test_closed_port_is_a_connection_error(fetcher: SafeFetcher) -> None:
    with FeedServer() as server:
        url = server.url("/rss2.xml")
    # The server is gone; its port is closed.
    with pytest.raises(FetchConnectionError, match=re.escape("could not fetch from 127.0.0.1")):
        await fetcher.fetch(url)


async def test_only_a_guarded_client_can_be_shared(policy: FetchPolicy) -> None:
    async with httpx.AsyncClient() as plain:
        with pytest.raises(TypeError, match="GuardedClient"):
            SafeFetcher(policy, client=plain)  # type: ignore[arg-type]


async def test_a_shared_client_stays_open_after_the_fetcher_closes(
    policy: FetchPolicy, feed_server: FeedServer
) -> None:
    async with GuardedClient(policy) as client:
        async with SafeFetcher(policy, client=client) as fetcher:
            await fetcher.fetch(feed_server.url("/rss2.xml"))
        assert not client.is_closed
        async with SafeFetcher(policy, client=client) as fetcher:
            result = await fetcher.fetch(feed_server.url("/atom.xml"))
    assert result.status == 200


@pytest.fixture
async def tls_server() -> AsyncIterator[tuple[FeedServer, RecordingResolver, SafeFetcher]]:
    """An HTTPS server for feeds.test on 127.0.0.1, and a fetcher that trusts the test CA."""
    resolver = RecordingResolver(["127.0.0.1"])
    policy = FetchPolicy(allow=LOCAL)
    trust = ssl.create_default_context(cafile=str(TEST_CA))
    with FeedServer(tls=True) as server:
        async with GuardedClient(policy, resolver=resolver, ssl_context=trust) as client:
            yield server, resolver, SafeFetcher(policy, client=client)


async def test_tls_is_verified_against_the_host_name_not_the_pinned_address(
    tls_server: tuple[FeedServer, RecordingResolver, SafeFetcher],
) -> None:
    server, resolver, fetcher = tls_server

    result = await fetcher.fetch(f"https://{TLS_HOST}:{server.port}/rss2.xml")

    assert result.body == server.fixture("rss2.xml")
    assert resolver.calls == [(TLS_HOST, server.port)]


async def test_a_certificate_for_another_name_is_rejected(
    tls_server: tuple[FeedServer, RecordingResolver, SafeFetcher],
) -> None:
    # Same server and address, but the name asked for is not on its certificate.
    server, _resolver, fetcher = tls_server

    with pytest.raises(FetchConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
        await fetcher.fetch(f"https://other.test:{server.port}/rss2.xml")

    assert server.requests == []


async def test_a_gzip_bomb_is_never_inflated_past_the_cap(feed_server: FeedServer) -> None:
    # httpx's own decoder inflated each ~64 KB network chunk whole: tens of MB for a bomb.
    policy = FetchPolicy(LOCAL, max_bytes=1_000_000)
    async with SafeFetcher(policy) as fetcher:
        tracemalloc.start()
        try:
            with pytest.raises(FetchTooLarge):
                await fetcher.fetch(feed_server.url("/gzip-bomb"))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

    assert peak < 8 * policy.max_bytes, f"peak {peak:,} bytes"


@pytest.mark.parametrize(
    "compress",
    [
        gzip.compress,
        zlib.compress,
        # Raw deflate without the zlib header, which some servers send for "deflate".
        lambda data: zlib.compress(data, wbits=-zlib.MAX_WBITS),
    ],
    ids=["gzip", "deflate", "raw-deflate"],
)
async def test_compressed_bodies_are_inflated(
    fetcher: SafeFetcher, feed_server: FeedServer, compress: Callable[[bytes], bytes]
) -> None:
    feed = feed_server.fixture("rss2.xml")
    encoding = "gzip" if compress is gzip.compress else "deflate"
    feed_server.route("/packed.xml", Route(compress(feed), headers={"Content-Encoding": encoding}))

    result = await fetcher.fetch(feed_server.url("/packed.xml"))

    assert result.body == feed
    assert feed_server.requests[-1].headers["accept-encoding"] == "gzip, deflate"


@pytest.mark.parametrize(
    ("body", "encoding", "message"),
    [
        (b"\x1f\x8b\x08\x00 not really gzip", "gzip", "sent corrupt gzip data"),
        (b"whatever", "br", "compressed as 'br', which was not asked for"),
    ],
)
async def test_unreadable_bodies_are_a_fetch_error(
    fetcher: SafeFetcher, feed_server: FeedServer, body: bytes, encoding: str, message: str
) -> None:
    feed_server.route("/odd.xml", Route(body, headers={"Content-Encoding": encoding}))

    with pytest.raises(FetchUnreadable, match=re.escape(message)):
        await fetcher.fetch(feed_server.url("/odd.xml"))


async def test_one_host_gets_at_most_per_host_requests_at_once() -> None:
    with FeedServer() as server:
        async with SafeFetcher(FetchPolicy(LOCAL, per_host=2)) as fetcher:
            fetches = [
                asyncio.create_task(fetcher.fetch(server.url(f"/held/{i}"))) for i in range(6)
            ]
            assert await asyncio.to_thread(server.wait_for_held, 2, 5.0)
            # Without the cap the other four would arrive at once; half a second is plenty.
            assert not await asyncio.to_thread(server.wait_for_held, 3, 0.5)
            server.release_held.set()
            results = await asyncio.gather(*fetches)

            assert [result.status for result in results] == [200] * 6
            assert server.most_held == 2
            assert fetcher._hosts == {}, "idle hosts are forgotten"
