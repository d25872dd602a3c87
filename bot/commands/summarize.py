"""`newsdigest summarize`: digest files or standard input from the command line."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import TextIO

from bot.services import fetch_policy
from bot.settings import Settings
from jobs.fetch import FetchError, SafeFetcher
from jobs.on_demand import LinkError, fetch_article_page
from jobs.plurals import counted
from summarizer import METHODS, Digest, SummarizerError, summarize
from summarizer.languages import primary_code, profile_for
from summarizer.multilingual_text import length_unit

_PROGRAM = "newsdigest"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's options on ``parser``."""
    parser.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="a file, '-' for standard input, or a URL"
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object per input per line"
    )
    parser.add_argument(
        "--sentences",
        type=_positive_int,
        default=3,
        metavar="N",
        help="sentences in the summary (default 3)",
    )
    parser.add_argument(
        "--method", choices=METHODS, default="news", help="summarization method (default news)"
    )
    parser.add_argument(
        "--language",
        type=_language_code,
        metavar="CODE",
        help="the text's language as an ISO 639-1 code (de, zh...), instead of identifying it",
    )


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        # Left to argparse, this would read "invalid _positive_int value".
        raise argparse.ArgumentTypeError(f"must be a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def _language_code(value: str) -> str:
    code = primary_code(value)
    if code is None:
        raise argparse.ArgumentTypeError(
            f"must be an ISO 639-1 code such as de, fr or zh, got {value!r}"
        )
    return code


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Digest every input in this one process; 1 if any input failed, else 0."""
    return asyncio.run(_run(args, settings))


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    failed = False
    # One safe fetcher (and one model, loaded on first use) for every input.
    async with SafeFetcher(fetch_policy(settings)) as fetcher:
        for name in args.inputs:
            try:
                title, text = await _read(name, sys.stdin, fetcher, settings)
                digest = await asyncio.to_thread(
                    summarize,
                    text,
                    title=title,
                    max_sentences=args.sentences,
                    method=args.method,
                    language=args.language,
                )
            except (OSError, UnicodeDecodeError, SummarizerError, FetchError, LinkError) as exc:
                print(f"{_PROGRAM}: {name}: {_reason(exc)}", file=sys.stderr)
                failed = True
                continue
            if args.json:
                print(json.dumps(_as_json(name, digest), ensure_ascii=False))
            else:
                print(render_text(name, digest))
    return 1 if failed else 0


async def _read(
    name: str, stdin: TextIO, fetcher: SafeFetcher, settings: Settings
) -> tuple[str | None, str]:
    """(title, text) of one input: a web page through the safe fetcher, standard input or a file."""
    if name.startswith(("http://", "https://")):
        page = await fetch_article_page(fetcher, name, max_chars=settings.limits.max_article_chars)
        return page.title, page.text
    if name == "-":
        return None, stdin.read()
    return None, await asyncio.to_thread(Path(name).read_text, encoding="utf-8")


def _reason(exc: Exception) -> str:
    if isinstance(exc, FetchError | LinkError):
        return str(exc)
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    return str(exc)


def _as_json(name: str, digest: Digest) -> dict[str, object]:
    return {
        "input": name,
        "title": digest.title,
        "sentences": list(digest.sentences),
        "entities": [
            {"text": e.text, "label": e.kind, "mentions": e.mentions} for e in digest.entities
        ],
        "figures": [
            {
                "text": f.text,
                "value": f.value,
                "unit": f.unit,
                "about": f.about,
                "high": f.high,
                "direction": f.direction,
            }
            for f in digest.figures
        ],
        "method": digest.method,
        "language": digest.language,
        "entity_source": digest.entity_source,
    }


def _unit(digest: Digest) -> str:
    # Chinese and Japanese are counted in characters (summarizer.multilingual_text).
    profile = profile_for(digest.language)
    return length_unit(profile) if profile is not None else "words"


def render_text(name: str, digest: Digest) -> str:
    """Return a readable digest: title, summary, entities and figures."""
    lines = [f"== {digest.title or name}", ""]
    lines += [f"  {sentence}" for sentence in digest.sentences]
    if digest.entities:
        lines += [
            "",
            "Entities: "
            + ", ".join(f"{e.text} ({e.kind}, {e.mentions})" for e in digest.entities[:10]),
        ]
    if digest.figures:
        lines += ["", "Figures:"]
        lines += [
            f"  - {f.shown()}: {f.about}" if f.about else f"  - {f.shown()}"
            for f in digest.figures[:8]
        ]
    lines += [
        "",
        f"({counted(digest.word_count, _unit(digest).removesuffix('s'), _unit(digest))}, "
        f"{digest.reading_minutes} min read; {digest.language}, {digest.method})",
        "",
    ]
    return "\n".join(lines)
