"""`newsdigest run`: the bot and its scheduler in one process; the local demo without a token."""

from __future__ import annotations

import argparse
import sys

from telegram import Update

from bot.app import build_application
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
    if settings.webhook_url:
        secret = settings.webhook_secret.reveal() if settings.webhook_secret else None
        app.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            webhook_url=settings.webhook_url,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
