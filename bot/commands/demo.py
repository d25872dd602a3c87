"""`newsdigest demo`: the whole system locally, with a terminal chat (or a script of lines)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path
from typing import TextIO

from bot.demo.session import run_demo
from bot.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--script",
        type=Path,
        metavar="FILE",
        help="read the chat from FILE, one line per message ('-' for standard input)",
    )
    parser.add_argument("--no-color", action="store_true", help="plain text output")


def log_to_file(path: Path) -> None:
    """Send the log to ``path`` instead of the terminal, where it would land on the ``you>``
    prompt; the handlers' formatters and filters (token masking) carry over."""
    root = logging.getLogger()
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    for old in list(root.handlers):
        if isinstance(old, logging.StreamHandler) and not isinstance(old, logging.FileHandler):
            if old.formatter is not None:
                handler.setFormatter(old.formatter)
            for log_filter in old.filters:
                handler.addFilter(log_filter)
            root.removeHandler(old)
    root.addHandler(handler)


def run(args: argparse.Namespace, settings: Settings) -> int:
    script: Path | None = getattr(args, "script", None)
    source: TextIO
    if script is None or str(script) == "-":
        source = sys.stdin
    else:
        try:
            source = script.open(encoding="utf-8")
        except OSError as exc:
            print(f"newsdigest demo: {script}: {exc.strerror}", file=sys.stderr)
            return 2
    interactive = script is None and sys.stdin.isatty()
    color = sys.stdout.isatty() and not getattr(args, "no_color", False)
    # What outlives the demo (its log, pictures the bot sent) goes here; the database does not.
    folder = settings.data_dir / "demo"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"newsdigest demo: {folder}: {exc.strerror}", file=sys.stderr)
        return 2
    log_to_file(folder / "demo.log")
    print(f"(the log goes to {folder / 'demo.log'})")
    try:
        return asyncio.run(
            run_demo(
                settings,
                source=source,
                out=sys.stdout,
                interactive=interactive,
                color=color,
                folder=folder,
            )
        )
    finally:
        if source is not sys.stdin:
            source.close()
