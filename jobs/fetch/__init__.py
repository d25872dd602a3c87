"""Safe, polite HTTP fetching of feeds and article pages for ingestion."""

from jobs.fetch.addresses import AddressGuard, Resolver, resolve_with_system, why_not_public
from jobs.fetch.errors import (
    FetchConnectionError,
    FetchError,
    FetchHTTPError,
    FetchRefused,
    FetchTimeout,
    FetchTooLarge,
    FetchUnreadable,
    TooManyRedirects,
    reader_reason,
)
from jobs.fetch.fetcher import FEED_ACCEPT, PAGE_ACCEPT, FetchResult, SafeFetcher, parse_retry_after
from jobs.fetch.policy import DEFAULT_USER_AGENT, FetchPolicy
from jobs.fetch.transport import GuardedClient

__all__ = [
    "DEFAULT_USER_AGENT",
    "FEED_ACCEPT",
    "PAGE_ACCEPT",
    "AddressGuard",
    "FetchConnectionError",
    "FetchError",
    "FetchHTTPError",
    "FetchPolicy",
    "FetchRefused",
    "FetchResult",
    "FetchTimeout",
    "FetchTooLarge",
    "FetchUnreadable",
    "GuardedClient",
    "Resolver",
    "SafeFetcher",
    "TooManyRedirects",
    "parse_retry_after",
    "reader_reason",
    "resolve_with_system",
    "why_not_public",
]
