"""`newsdigest feeds`: add, list, remove, import and export feeds."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.services import Services, services_for
from bot.settings import Settings
from jobs.feeds import FeedError
from jobs.fetch.errors import FetchError
from jobs.opml import OpmlOutline, parse_opml, render_opml
from jobs.plurals import counted
from jobs.sources import resolve_feed
from jobs.urls import canonicalize_url
from store import feeds as feed_store
from store.models import Feed, utcnow


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="feeds_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a feed, or a site whose page links to its feed")
    add.add_argument("url")
    add.add_argument("--interval", type=int, metavar="SECONDS", help="seconds between fetches")
    add.add_argument("--topic", help="catalog topic to file it under")
    listing = actions.add_parser("list", help="list feeds with their health")
    listing.add_argument("--json", action="store_true", help="one JSON object per feed per line")
    remove = actions.add_parser("remove", help="remove a feed (by id or URL)")
    remove.add_argument("feed", help="the feed's id (see `feeds list`) or URL")
    imp = actions.add_parser("import", help="add the feeds of an OPML file")
    imp.add_argument("file", type=Path)
    exp = actions.add_parser("export", help="print all feeds as OPML")
    exp.add_argument("--output", "-o", type=Path, help="write to a file instead of stdout")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _feed_row(feed: Feed, articles: int, subscribers: int) -> dict[str, Any]:
    return {
        "id": feed.id,
        "url": feed.url,
        "title": feed.title,
        "enabled": feed.enabled,
        "interval": feed.interval_seconds,
        "last_fetched": _iso(feed.last_fetched_at),
        "last_success": _iso(feed.last_success_at),
        "next_due": _iso(feed.next_due_at),
        "failures": feed.consecutive_failures,
        "last_error": feed.last_error,
        "broken": feed.broken_at is not None,
        "articles": articles,
        "subscribers": subscribers,
    }


async def _add(services: Services, args: argparse.Namespace) -> int:
    settings = services.settings
    interval = args.interval or settings.poll_interval
    if interval < 30:
        print("newsdigest: --interval must be at least 30 seconds", file=sys.stderr)
        return 2
    try:
        resolved = await resolve_feed(
            services.fetcher, args.url, max_entries=settings.limits.max_entries_per_feed
        )
    except (FetchError, FeedError) as exc:
        print(f"newsdigest: {args.url}: {exc}", file=sys.stderr)
        return 1
    async with services.sessionmaker() as session, session.begin():
        feed, created = await feed_store.add_feed(
            session,
            resolved.url,
            now=utcnow(),
            interval_seconds=interval,
            title=resolved.title,
            topic=args.topic,
        )
    verb = "added" if created else "already there"
    print(
        f"{verb}: #{feed.id} {resolved.title} <{resolved.url}> ({counted(resolved.entries, 'entry', 'entries')} now)"
    )
    return 0


async def _list(services: Services, args: argparse.Namespace) -> int:
    async with services.sessionmaker() as session:
        rows = await feed_store.list_feed_health(session)
    if args.json:
        for row in rows:
            print(
                json.dumps(_feed_row(row.feed, row.articles, row.subscribers), ensure_ascii=False)
            )
        return 0
    if not rows:
        print("no feeds yet: add one with `newsdigest feeds add URL`")
        return 0
    for row in rows:
        feed = row.feed
        # One line per reason: parser messages may hold newlines or run on for a page.
        reason = _one_line(feed.last_error or "")
        if feed.broken_at is not None:
            health = f"BROKEN after {counted(feed.consecutive_failures, 'failure', 'failures')}: {reason}"
        elif feed.consecutive_failures:
            health = f"{counted(feed.consecutive_failures, 'failure', 'failures')}, last: {reason}"
        elif feed.last_success_at is not None:
            health = f"ok, fetched {feed.last_success_at:%Y-%m-%d %H:%M} UTC"
        else:
            health = "not fetched yet"
        print(f"#{feed.id:<4} {feed.title or '(untitled)'} <{feed.url}>")
        print(
            f"      {counted(row.articles, 'article', 'articles')}, "
            f"{counted(row.subscribers, 'subscriber', 'subscribers')}; {health}"
        )
    return 0


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


async def _remove(services: Services, args: argparse.Namespace) -> int:
    async with services.sessionmaker() as session, session.begin():
        feed = (
            await session.get(Feed, int(args.feed))
            if args.feed.isdigit()
            else await feed_store.get_feed_by_url(session, args.feed)
        )
        if feed is None:
            print(
                f"newsdigest: no feed {args.feed!r}; see `newsdigest feeds list`", file=sys.stderr
            )
            return 1
        await feed_store.remove_feed(session, feed.id)
    print(f"removed: #{feed.id} {feed.title or feed.url}")
    return 0


async def _import(services: Services, args: argparse.Namespace) -> int:
    try:
        outlines = parse_opml(args.file.read_bytes())
    except OSError as exc:
        print(f"newsdigest: {args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    except FeedError as exc:
        print(f"newsdigest: {args.file}: {exc}", file=sys.stderr)
        return 1
    added = skipped = 0
    async with services.sessionmaker() as session, session.begin():
        for outline in outlines:
            url = outline.xml_url
            if not url.startswith(("http://", "https://")):
                print(f"skipped {url!r}: only http and https feeds", file=sys.stderr)
                skipped += 1
                continue
            _feed, created = await feed_store.add_feed(
                session,
                canonicalize_url(url),
                now=utcnow(),
                interval_seconds=services.settings.poll_interval,
                title=outline.title,
                topic=outline.category.lower() if outline.category else None,
            )
            added += int(created)
            skipped += int(not created)
    print(
        f"imported {counted(added, 'feed', 'feeds')} from {args.file} ({skipped} skipped or already there)"
    )
    return 0


async def _export(services: Services, args: argparse.Namespace) -> int:
    async with services.sessionmaker() as session:
        rows = await feed_store.list_feed_health(session)
    document = render_opml(
        OpmlOutline(row.feed.url, row.feed.title or row.feed.url, row.feed.site_url, row.feed.topic)
        for row in rows
    )
    if args.output:
        args.output.write_bytes(document)
        print(f"exported {counted(len(rows), 'feed', 'feeds')} to {args.output}")
    else:
        sys.stdout.write(document.decode("utf-8"))
    return 0


ACTIONS = {"add": _add, "list": _list, "remove": _remove, "import": _import, "export": _export}


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    async with services_for(settings) as services:
        return await ACTIONS[args.feeds_action](services, args)


def run(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_run(args, settings))
