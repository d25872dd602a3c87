"""The `newsdigest` command line: parse arguments, load settings, hand over to one subcommand."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import ModuleType

from bot.commands import articles, config, db, demo, feeds, ingest, run, summarize, worker
from bot.log_masking import install_secret_mask
from bot.settings import Secret, Settings, SettingsError, load_settings
from bot.startup import TokenRefused
from bot.version import package_version

log = logging.getLogger(__name__)

# (name, module, help) in the order `--help` lists them.
SUBCOMMANDS: tuple[tuple[str, ModuleType, str], ...] = (
    (
        "run",
        run,
        "run the bot and the scheduler in one process (the demo when no token is set)",
    ),
    ("worker", worker, "run ingestion and delivery without the bot (one of several workers)"),
    ("ingest", ingest, "fetch due feeds once or on a schedule"),
    ("summarize", summarize, "summarize files, standard input or URLs"),
    ("feeds", feeds, "add, list, remove, import and export feeds"),
    ("articles", articles, "list stored articles with their summaries"),
    ("db", db, "create or migrate the database schema"),
    ("config", config, "print the effective settings (secrets masked)"),
    ("demo", demo, "run the whole system locally with an emulated Telegram"),
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdigest",
        description="Telegram news digests, keyword alerts and on-demand summaries.",
        epilog="Settings come from NEWSDIGEST_* environment variables and --config; see README.",
    )
    parser.add_argument("--version", action="version", version=f"newsdigest {package_version()}")
    parser.add_argument("--config", type=Path, metavar="PATH", help="a TOML settings file")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module, help_text in SUBCOMMANDS:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(sub)
        sub.set_defaults(handler=module.run)
    return parser


def configure_logging(level: str, secrets: Iterable[Secret] = ()) -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    install_secret_mask(secrets)
    # httpx logs each request line, and Bot API request lines carry the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # aiosqlite logs every operation at DEBUG, from its own thread, so with --verbose those
    # lines drown ours and can land after (or inside) the last line the command prints.
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
    # Its only record is a traceback for an answer that is not JSON (a 404 page from a wrong
    # NEWSDIGEST_TELEGRAM_API_URL), which PTB then raises anyway, the body in the message.
    logging.getLogger("telegram.request.BaseRequest").setLevel(logging.CRITICAL)
    if level != "DEBUG":
        logging.getLogger("alembic").setLevel(logging.WARNING)
        # APScheduler logs two lines per job run (every 30 s); our jobs log one line of results.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    # Opt in to PTB's timedelta durations now (retry_after and friends) rather than be warned on
    # every flood-control answer; bot/telegram_transport.py reads either form.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    args = build_parser().parse_args(argv)
    try:
        settings: Settings = load_settings(os.environ if environ is None else environ, args.config)
    except SettingsError as exc:
        print(f"newsdigest: bad setting {exc}", file=sys.stderr)
        return 2
    secrets = [s for s in (settings.telegram_token, settings.webhook_secret) if s is not None]
    configure_logging("DEBUG" if args.verbose else settings.log_level, secrets)
    try:
        return int(args.handler(args, settings))
    except TokenRefused as exc:
        print(f"newsdigest: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def entry_point() -> None:
    sys.exit(main())
