"""`newsdigest run`: the bot and its scheduler in one process; the local demo without a token."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.app import Webhook, build_application, serve
from bot.commands import demo
from bot.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    demo.add_arguments(parser)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if settings.telegram_token is None:
        print(
            "No Telegram token is set (NEWSDIGEST_TELEGRAM_TOKEN), so this is the local demo.\n"
            "To run the real bot, get a token from @BotFather and set it.\n",
            file=sys.stderr,
        )
        return demo.run(args, settings)
    app = build_application(settings)
    asyncio.run(serve(app, settings, webhook=Webhook.from_settings(settings)))
    return 0
