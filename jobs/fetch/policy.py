"""The caps and allow-list a fetch runs under, built once by the composition root from settings."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_USER_AGENT = "newsdigest/0.1 (feed reader for a news digest bot)"


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Everything a :class:`~jobs.fetch.fetcher.SafeFetcher` needs to know about limits.

    ``allow`` holds host names (matched exactly, lower-cased), IP addresses or CIDR ranges that
    are exempt from the private-address rule; everything else that is not public is refused.
    """

    allow: tuple[str, ...] = ()
    max_bytes: int = 5_000_000
    total_timeout: float = 20.0
    read_timeout: float = 10.0
    max_redirects: int = 5
    user_agent: str = DEFAULT_USER_AGENT
    # Requests to one host at once: a feed list often holds many feeds of one site, and their
    # teaser entries each send us to that site's article pages.
    per_host: int = 4
    max_connections: int = 20
    # As many kept alive as may be open: otherwise a busy tick closes and reopens connections.
    max_keepalive_connections: int = 20
