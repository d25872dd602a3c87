"""Subcommands whose features are still being built: they exist, and say so plainly."""

from __future__ import annotations

import argparse
import sys

from bot.settings import Settings

NOT_YET = {
    "run": "the Telegram bot",
    "demo": "the local demo",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)


def run(args: argparse.Namespace, settings: Settings) -> int:
    what = NOT_YET.get(args.command, args.command)
    print(f"newsdigest {args.command}: {what} is not built yet in this version.", file=sys.stderr)
    if args.command == "run" and settings.demo_mode:
        print(
            "To run against Telegram, set NEWSDIGEST_TELEGRAM_TOKEN (a token from @BotFather); "
            "with no token, `newsdigest run` will start the local demo once it exists.",
            file=sys.stderr,
        )
    return 1
