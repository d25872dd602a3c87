"""Turn what a user gives as a source (a feed URL or a site's page) into a validated feed."""

from __future__ import annotations

from dataclasses import dataclass

from jobs.discovery import discover_feed_urls
from jobs.feeds import FeedError, NotAFeed, parse_feed
from jobs.fetch.fetcher import SafeFetcher


class SourceError(FeedError):
    """The URL cannot become a feed; the message says why and what to try instead."""


@dataclass(frozen=True, slots=True)
class ResolvedFeed:
    """A URL that answered with a readable feed."""

    url: str
    title: str
    site_url: str | None
    entries: int


async def resolve_feed(fetcher: SafeFetcher, url: str, *, max_entries: int) -> ResolvedFeed:
    """Fetch ``url``; if it is a web page, follow its ``<link rel="alternate">`` to the feed.

    Raises FetchError (refused, too large, unreachable…) or SourceError, each with a message
    a user can act on.
    """
    result = await fetcher.fetch(url)
    try:
        parsed = parse_feed(
            result.body,
            url=result.url,
            max_entries=max_entries,
            content_type=result.content_type,
            charset=result.charset,
        )
    except NotAFeed:
        candidates = discover_feed_urls(result.body, result.url)
        if not candidates:
            raise SourceError(
                f"{url} is a web page that links to no RSS or Atom feed; "
                "look for a feed link on the site and add that"
            ) from None
        result = await fetcher.fetch(candidates[0])
        parsed = parse_feed(
            result.body,
            url=result.url,
            max_entries=max_entries,
            content_type=result.content_type,
            charset=result.charset,
        )
    return ResolvedFeed(
        url=result.url,
        title=parsed.title or result.url,
        site_url=parsed.link,
        entries=len(parsed.entries),
    )
