"""An httpx client whose every TCP connection goes to an address that was resolved and checked.

Why a network backend: the address check must happen on the very answer the socket connects to,
or a second DNS answer could swap a public address for a private one (DNS rebinding). httpcore
hands ``connect_tcp`` the host name of the URL; our backend resolves it once, checks every
answer against the :class:`AddressGuard` and connects to a checked address. The URL, the Host
header, TLS SNI and certificate verification all keep using the host name, and the connection
pool stays keyed by host name. The alternative, rewriting each URL to the IP plus the
``sni_hostname`` extension, keys the pool by IP, so a TLS connection verified for one name could
be reused for another name on the same address.

httpx's ``AsyncHTTPTransport`` takes no network backend, so ``_guarded_transport`` replaces
the pool it builds with an ``httpcore.AsyncConnectionPool`` (public constructor) that has one;
the httpx version is bounded in pyproject.toml and a test fetches through this path.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterable

import httpcore
import httpx

from jobs.fetch.addresses import AddressGuard, Resolver, resolve_with_system
from jobs.fetch.decoding import ACCEPT_ENCODING
from jobs.fetch.errors import FetchConnectionError, FetchRefused
from jobs.fetch.policy import FetchPolicy
from jobs.fetch.targets import refuse_bad_redirect

logger = logging.getLogger(__name__)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolve, check, then connect to the checked address; refuse everything else."""

    def __init__(self, guard: AddressGuard, resolver: Resolver) -> None:
        self._guard = guard
        self._resolver = resolver
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 -- httpcore's interface, its own deadline
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await self._resolver(host, port)
        except OSError as exc:
            raise FetchConnectionError(
                f"could not resolve {host}: {exc.strerror or exc}", url=host
            ) from exc
        if not addresses:
            raise FetchConnectionError(f"could not resolve {host}: no addresses", url=host)
        # Every answer is checked, not just the first: a host that mixes public and private
        # answers is refused as a whole rather than connected to by luck of ordering.
        for address in addresses:
            refusal = self._guard.refusal(host, address)
            if refusal is not None:
                raise FetchRefused(refusal, url=host)
        last_error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                logger.debug("connecting to %s (%s) port %d failed: %s", host, address, port, exc)
                last_error = exc
        assert last_error is not None
        raise last_error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 -- httpcore's interface
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise FetchRefused("refused: unix sockets are never fetched", url=path)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def _guarded_transport(
    policy: FetchPolicy, resolver: Resolver, ssl_context: ssl.SSLContext
) -> httpx.AsyncHTTPTransport:
    """httpx's own transport (its exception mapping and streaming), over a guarded pool."""
    limits = httpx.Limits(
        max_connections=policy.max_connections,
        max_keepalive_connections=policy.max_keepalive_connections,
    )
    # trust_env=False: a proxy from the environment would make the socket go to the proxy,
    # which then resolves names itself, and the address check would be meaningless.
    transport = httpx.AsyncHTTPTransport(limits=limits, trust_env=False)
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=ssl_context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=GuardedBackend(AddressGuard(policy.allow), resolver),
    )
    return transport


class GuardedClient(httpx.AsyncClient):
    """The shared async client for fetching feeds and pages: guarded, capped, named newsdigest.

    ``resolver`` defaults to the system's; ``ssl_context`` to the default trust store.
    """

    def __init__(
        self,
        policy: FetchPolicy,
        *,
        resolver: Resolver | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__(
            transport=_guarded_transport(
                policy, resolver or resolve_with_system, ssl_context or ssl.create_default_context()
            ),
            # Only encodings BoundedDecoder can inflate within the size cap (no br or zstd).
            headers={"User-Agent": policy.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            timeout=httpx.Timeout(
                policy.total_timeout,
                read=policy.read_timeout,
                write=policy.read_timeout,
            ),
            # Redirects are followed by SafeFetcher so that every hop's scheme is checked too.
            follow_redirects=False,
            event_hooks={"response": [refuse_bad_redirect]},
            trust_env=False,
        )
        self.policy = policy
