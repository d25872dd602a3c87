"""Fetch one URL politely and safely: checked addresses, capped size, time and redirects."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from jobs.fetch.addresses import Resolver
from jobs.fetch.decoding import BoundedDecoder, UnsupportedEncoding
from jobs.fetch.errors import (
    FetchConnectionError,
    FetchHTTPError,
    FetchRefused,
    FetchTimeout,
    FetchTooLarge,
    FetchUnreadable,
    TooManyRedirects,
)
from jobs.fetch.policy import FetchPolicy
from jobs.fetch.targets import check_target
from jobs.fetch.transport import GuardedClient
from jobs.plurals import counted

logger = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_PERMANENT_REDIRECTS = frozenset({301, 308})


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A successful (2xx) or not-modified (304) response, body fully read."""

    url: str
    status: int
    headers: dict[str, str] = field(repr=False)
    body: bytes = field(repr=False)
    etag: str | None = None
    last_modified: str | None = None
    retry_after: float | None = None
    # The URLs redirected from, in order; when every hop was permanent (301/308) the feed has
    # moved and the caller may store ``url`` in place of the address it asked for.
    redirects: tuple[str, ...] = ()
    moved_permanently: bool = False

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The ``charset`` of the Content-Type header, lower-cased, if the server named one."""
        return charset_of(self.headers.get("content-type", ""))


def charset_of(content_type: str) -> str | None:
    """The ``charset`` parameter of a Content-Type value (quoted or not), or None."""
    message = Message()
    message["content-type"] = content_type
    charset = message.get_content_charset()
    return charset.strip() or None if charset else None


def parse_retry_after(value: str | None, *, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


@dataclass(slots=True)
class _HostSlot:
    semaphore: asyncio.Semaphore
    users: int = 0


class SafeFetcher:
    """Fetches feeds and pages under a :class:`FetchPolicy`; one instance per application.

    ``client`` must be a :class:`GuardedClient` (it is where addresses are checked); when none is
    given the fetcher builds one and closes it in :meth:`aclose`.
    """

    def __init__(
        self,
        policy: FetchPolicy,
        *,
        client: GuardedClient | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        if client is not None and not isinstance(client, GuardedClient):
            raise TypeError("SafeFetcher needs a GuardedClient, which checks every address")
        self.policy = policy
        self._owns_client = client is None
        self._client = client if client is not None else GuardedClient(policy, resolver=resolver)
        self._hosts: dict[str, _HostSlot] = {}

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self) -> SafeFetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = FEED_ACCEPT,
    ) -> FetchResult:
        """GET ``url`` following up to ``max_redirects`` checked redirects.

        Raises a :class:`~jobs.fetch.errors.FetchError` subclass; a 304 is returned, not raised.
        """
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            # Waiting for a turn at a busy host does not count against the fetch's time limit.
            async with self._turn_at(url), asyncio.timeout(self.policy.total_timeout):
                return await self._follow(url, headers)
        except TimeoutError as exc:
            raise FetchTimeout(
                f"timed out: {url} took longer than {self.policy.total_timeout:g} s in total",
                url=url,
            ) from exc

    @contextlib.asynccontextmanager
    async def _turn_at(self, url: str) -> AsyncIterator[None]:
        """Hold one of the ``per_host`` slots of the URL's host for the whole fetch.

        Keyed by the first host only: redirects mostly stay on it (http to https, a trailing
        slash), and a slot per hop could deadlock two fetches redirecting into each other's host.
        """
        host = (urlsplit(url).hostname or "").lower()
        slot = self._hosts.get(host)
        if slot is None:
            slot = self._hosts[host] = _HostSlot(asyncio.Semaphore(self.policy.per_host))
        slot.users += 1
        try:
            async with slot.semaphore:
                yield
        finally:
            slot.users -= 1
            if slot.users == 0:  # forget idle hosts, or a long-running bot collects them all
                del self._hosts[host]

    async def _follow(self, url: str, headers: dict[str, str]) -> FetchResult:
        hops: list[str] = []
        permanent = True
        current = url
        while True:
            check_target(current, redirect=bool(hops))
            result, redirect = await self._fetch_once(current, headers)
            if redirect is None:
                assert result is not None
                return dataclasses.replace(
                    result, redirects=tuple(hops), moved_permanently=bool(hops) and permanent
                )
            status, location = redirect
            permanent = permanent and status in _PERMANENT_REDIRECTS
            hops.append(current)
            target = urljoin(current, location)
            if target in hops:
                raise TooManyRedirects(f"redirect loop: {current} leads back to {target}", url=url)
            if len(hops) > self.policy.max_redirects:
                raise TooManyRedirects(
                    f"too many redirects: more than {counted(self.policy.max_redirects, 'hop', 'hops')} "
                    f"from {url}",
                    url=url,
                )
            current = target

    async def _fetch_once(
        self, url: str, headers: dict[str, str]
    ) -> tuple[FetchResult | None, tuple[int, str] | None]:
        """One request: a result, or the status and ``Location`` of a redirect to follow."""
        host = urlsplit(url).hostname or url
        try:
            async with self._client.stream("GET", url, headers=headers) as response:
                retry_after = parse_retry_after(
                    response.headers.get("retry-after"), now=datetime.now(UTC)
                )
                location = response.headers.get("location")
                if response.status_code in _REDIRECT_STATUSES and location:
                    return None, (response.status_code, location)
                if response.status_code >= 400:
                    raise FetchHTTPError(
                        _status_message(response.status_code, url, retry_after),
                        url=url,
                        status=response.status_code,
                        retry_after=retry_after,
                    )
                body = b"" if response.status_code == 304 else await self._read_capped(response)
                return (
                    FetchResult(
                        url=url,
                        status=response.status_code,
                        headers=dict(response.headers.items()),
                        body=body,
                        etag=response.headers.get("etag"),
                        last_modified=response.headers.get("last-modified"),
                        retry_after=retry_after,
                    ),
                    None,
                )
        except (FetchRefused, FetchConnectionError) as exc:
            if exc.url != url:
                # Raised below httpx by the guarded backend, which only knew the host name.
                raise type(exc)(exc.message, url=url) from exc
            raise
        except httpx.ReadTimeout as exc:
            raise FetchTimeout(
                f"timed out: {host} sent nothing for {self.policy.read_timeout:g} s", url=url
            ) from exc
        except httpx.TimeoutException as exc:
            raise FetchTimeout(f"timed out: could not reach {host} in time", url=url) from exc
        except httpx.TransportError as exc:
            raise FetchConnectionError(
                f"could not fetch from {host}: {exc or type(exc).__name__}", url=url
            ) from exc

    async def _read_capped(self, response: httpx.Response) -> bytes:
        cap = self.policy.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FetchTooLarge(
                f"too large: {response.url} is {int(declared):,} bytes, the limit is {cap:,}",
                url=str(response.url),
            )
        encoding = response.headers.get("content-encoding", "")
        try:
            decoder = BoundedDecoder(encoding, cap)
        except UnsupportedEncoding as exc:
            raise FetchUnreadable(
                f"unreadable: {response.url} is compressed as {encoding!r}, which was not asked for",
                url=str(response.url),
            ) from exc
        chunks: list[bytes] = []
        size = 0
        # Counted after decompression, and inflated no further than the cap, so a small gzip
        # bomb stops at the cap without ever taking more memory than it.
        async for raw in response.aiter_raw():
            try:
                chunk = decoder.feed(raw)
            except zlib.error as exc:
                raise FetchUnreadable(
                    f"unreadable: {response.url} sent corrupt {encoding} data",
                    url=str(response.url),
                ) from exc
            size += len(chunk)
            if size > cap:
                raise FetchTooLarge(
                    f"too large: {response.url} sent more than {cap:,} bytes", url=str(response.url)
                )
            chunks.append(chunk)
        return b"".join(chunks)


def _status_message(status: int, url: str, retry_after: float | None) -> str:
    reason = httpx.codes.get_reason_phrase(status) or "error"
    message = f"the server answered {status} {reason} for {url}"
    if retry_after is not None:
        # A hostile value may have hundreds of digits; the scheduler caps it anyway.
        wait = "more than a year" if retry_after > 366 * 86400 else f"{retry_after:.0f} s"
        message += f"; it asks to retry after {wait}"
    return message
