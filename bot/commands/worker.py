"""`newsdigest worker`: ingestion and delivery without the bot, one of possibly several workers."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.pipeline import build_pipeline
from bot.services import services_for
from bot.settings import Settings
from bot.telegram_transport import sender_bot
from bot.worker import run_worker


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--summarizer-processes",
        type=int,
        default=1,
        metavar="N",
        help="summarize in N processes (default 1: a thread); use the cores you have",
    )


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    if settings.telegram_token is None:
        print(
            "newsdigest worker: set NEWSDIGEST_TELEGRAM_TOKEN so this worker can send; "
            "without it, use `newsdigest ingest` to fetch feeds only",
            file=sys.stderr,
        )
        return 2
    processes = max(1, args.summarizer_processes)
    bot = sender_bot(settings.telegram_token.reveal(), settings.telegram_api_url)
    async with services_for(
        settings, summarizer_workers=processes, summarizer_processes=processes > 1
    ) as services:
        await run_worker(build_pipeline(services, bot=bot), deliver=True, bot=bot)
    return 0


def run(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_run(args, settings))
