"""Turn what a user gives as a source (a feed URL or a site's page) into a validated feed."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.discovery import discover_feed_urls
from jobs.feeds import FeedError, NotAFeed, ParsedFeed, parse_feed
from jobs.fetch.fetcher import SafeFetcher
from jobs.i18n import N_, lazy_gettext
from store import chats as chat_store
from store import feeds as feed_store
from summarizer.language_id import identify_language

# Entries read to tell a new feed's language: enough text to be sure, little enough to be quick.
LANGUAGE_SAMPLE_ENTRIES = 10

# A scheme as RFC 3986 writes it; "example.org:8080/news" is a host and port, not a scheme.
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):(?!\d)", re.IGNORECASE)


class SourceError(FeedError):
    """The URL cannot become a feed; the message says why and what to try instead."""


@dataclass(frozen=True, slots=True)
class ResolvedFeed:
    """A URL that answered with a readable feed."""

    url: str
    title: str
    site_url: str | None
    entries: int
    # ISO 639-1 of its first entries (the feed's declared language as a hint), "und" unknown.
    language: str = "und"


def feed_language(parsed: ParsedFeed) -> str:
    """The language a feed's first entries are written in; the declared ``<language>`` tips
    close calls and decides when the entries hold too little text to tell."""
    sample = "\n".join(
        f"{entry.title}. {entry.text}" for entry in parsed.entries[:LANGUAGE_SAMPLE_ENTRIES]
    )
    return identify_language(sample, hints=(parsed.language,))


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
                lazy_gettext(
                    "{url} is a web page that links to no RSS or Atom feed; "
                    "look for a feed link on the site and add that",
                    url=url,
                )
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
        # Off the loop: the identifier's model loads in about 2 s on first use.
        language=await asyncio.to_thread(feed_language, parsed),
    )


def source_url(text: str) -> str:
    """The address to fetch for what a user gave: https:// added when no scheme is written;
    SourceError for any scheme but http and https."""
    url = text.strip()
    scheme = _SCHEME.match(url)
    if scheme is None:
        url = "https://" + url
    elif scheme[1].lower() not in ("http", "https"):
        raise SourceError(N_("I can only add http and https addresses"))
    # A site's name has a dot ("example.com"), an address is a number, "localhost" is the one
    # name without: anything else ("/add news", a typo) is no address, rather than a site that
    # could not be reached.
    host = urlsplit(url).hostname or ""
    if "." not in host and ":" not in host and host != "localhost":
        raise SourceError(N_("That is not a web address: send a link such as example.com/feed"))
    return url


@dataclass(frozen=True, slots=True)
class AddedSource:
    """A source subscribed: ``new`` is False when the chat already had it."""

    feed_id: int
    title: str
    entries: int
    new: bool
    language: str = "und"  # what its entries are written in (ResolvedFeed.language)


async def add_source(
    sessionmaker: async_sessionmaker[AsyncSession],
    fetcher: SafeFetcher,
    chat_id: int,
    url: str,
    *,
    max_entries: int,
    poll_interval: int,
    now: datetime,
) -> AddedSource:
    """Fetch ``url`` safely, store its feed and subscribe the chat (/add and OPML imports).

    Raises FetchError or SourceError (FeedError) with a reason a user can act on.
    """
    resolved = await resolve_feed(fetcher, source_url(url), max_entries=max_entries)
    async with sessionmaker() as session, session.begin():
        feed, _ = await feed_store.add_feed(
            session,
            resolved.url,
            now=now,
            interval_seconds=poll_interval,
            title=resolved.title,
            added_by_chat_id=chat_id,
        )
        new = await chat_store.subscribe(session, chat_id, feed.id, now=now)
    return AddedSource(feed.id, resolved.title, resolved.entries, new, resolved.language)
