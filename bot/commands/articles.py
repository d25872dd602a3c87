"""`newsdigest articles`: list stored articles with their summaries."""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import UTC, datetime, timedelta

from bot.services import services_for
from bot.settings import Settings
from store.articles import recent_articles
from store.models import Article


def _since(text: str) -> datetime:
    """Accept an ISO date or time (UTC unless it says otherwise), or an age like 6h or 2d."""
    text = text.strip()
    units = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
    if text[:-1].isdigit() and text[-1:] in units:
        return datetime.now(UTC) - timedelta(**{units[text[-1]]: int(text[:-1])})
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is neither a date like 2026-11-28 nor an age like 6h or 2d"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON object per article per line")
    parser.add_argument("--since", type=_since, metavar="WHEN", help="e.g. 2026-11-28, 6h or 2d")
    parser.add_argument("--limit", type=int, default=20, metavar="N", help="at most N (default 20)")


def article_json(article: Article) -> dict[str, object]:
    summary = article.summary
    return {
        "id": article.id,
        "url": article.canonical_url,
        "title": article.title,
        "published": article.published_at.isoformat() if article.published_at else None,
        # published, updated, page or fetched (no date given); null for articles stored earlier.
        "date_source": article.date_source,
        "fetched": article.fetched_at.isoformat(),
        "story": article.story_key,
        # ISO 639-1 ("de"), as identified at ingestion; null when the text gave no clue.
        "language": article.language,
        "sentences": summary.sentences if summary else [],
        "entities": summary.entities if summary else [],
        "figures": summary.figures if summary else [],
    }


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    async with services_for(settings) as services, services.sessionmaker() as session:
        articles = await recent_articles(session, since=args.since, limit=max(1, args.limit))
    if args.json:
        for article in articles:
            print(json.dumps(article_json(article), ensure_ascii=False))
        return 0
    if not articles:
        print("no articles stored yet: add feeds, then run `newsdigest ingest --once`")
    for article in articles:
        when = article.published_at or article.fetched_at
        print(f"{when:%Y-%m-%d %H:%M}  {article.title}\n  {article.canonical_url}")
        if article.summary:
            for sentence in article.summary.sentences:
                print(f"  · {sentence}")
        print()
    return 0


def run(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_run(args, settings))
