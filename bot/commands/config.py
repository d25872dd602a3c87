"""`newsdigest config`: print the effective settings, secrets masked."""

from __future__ import annotations

import argparse
import json
import sys

from bot.settings import Settings, describe_settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object instead of a table"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    rows = describe_settings(settings)
    if args.json:
        json.dump(dict(rows), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(f"\nmode: {'demo (no Telegram token set)' if settings.demo_mode else 'Telegram'}")
    return 0
