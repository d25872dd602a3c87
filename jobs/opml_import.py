"""Subscribe a chat to the feeds of an OPML file: each fetched safely, like /add, a few at once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.feeds import FeedError
from jobs.fetch import FetchError
from jobs.fetch.fetcher import SafeFetcher
from jobs.i18n import N_
from jobs.opml import OpmlOutline
from jobs.sources import add_source
from jobs.urls import canonicalize_url
from store import chats as chat_store

# Feeds fetched at once; the fetcher's per-host cap still applies to each site.
CONCURRENT_FETCHES = 4
NO_ROOM = N_("you have reached the number of sources you may add")


@dataclass(slots=True)
class OpmlImportReport:
    """Per outline, in the file's order within each list: added, already followed, or refused."""

    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (title or URL, reason)


async def import_outlines(
    sessionmaker: async_sessionmaker[AsyncSession],
    fetcher: SafeFetcher,
    chat_id: int,
    outlines: Sequence[OpmlOutline],
    *,
    room: int,
    max_entries: int,
    poll_interval: int,
    now: datetime,
    reason: Callable[[Exception], str] = str,
    no_room: str = NO_ROOM,
) -> OpmlImportReport:
    """Add each outline's feed as /add would; at most ``room`` new ones (the chat's limit).

    A feed already followed (by the address in the file) is not fetched again. A failure
    belongs to its feed: it is reported with ``reason(exc)`` and the others go on; one past
    the limit with ``no_room`` (both worded in the reader's language by the caller).
    """
    async with sessionmaker() as session:
        followed = {source.url for source in await chat_store.chat_sources(session, chat_id)}
    report = OpmlImportReport()
    results: list[tuple[str, str, str]] = [("", "", "")] * len(outlines)  # (kind, name, reason)
    slots = asyncio.Semaphore(CONCURRENT_FETCHES)
    reserved = 0

    async def take(index: int, outline: OpmlOutline) -> None:
        nonlocal reserved
        name = outline.title or outline.xml_url
        if outline.xml_url in followed or _canonical(outline.xml_url) in followed:
            results[index] = ("already", name, "")
            return
        # Reserved before fetching (no await in between), so concurrent adds never overshoot.
        if reserved >= room:
            results[index] = ("refused", name, no_room)
            return
        reserved += 1
        async with slots:
            try:
                added = await add_source(
                    sessionmaker,
                    fetcher,
                    chat_id,
                    outline.xml_url,
                    max_entries=max_entries,
                    poll_interval=poll_interval,
                    now=now,
                )
            except (FetchError, FeedError) as exc:
                reserved -= 1
                results[index] = ("refused", name, reason(exc))
                return
        if not added.new:
            reserved -= 1
        results[index] = ("added" if added.new else "already", added.title or name, "")

    await asyncio.gather(*(take(index, outline) for index, outline in enumerate(outlines)))
    for kind, name, why in results:
        if kind == "added":
            report.added.append(name)
        elif kind == "already":
            report.already.append(name)
        else:
            report.refused.append((name, why))
    return report


def _canonical(url: str) -> str:
    try:
        return canonicalize_url(url)
    except ValueError:
        return url
