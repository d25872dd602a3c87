"""`newsdigest demo`: the whole system locally, with a terminal chat (or a script of lines)."""

from __future__ import annotations

import argparse
import asyncio
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
    try:
        return asyncio.run(
            run_demo(settings, source=source, out=sys.stdout, interactive=interactive, color=color)
        )
    finally:
        if source is not sys.stdin:
            source.close()
