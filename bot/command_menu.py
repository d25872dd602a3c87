"""The command menu Telegram shows beside the message field, registered once per language."""

from __future__ import annotations

from telegram import Bot, BotCommand

from bot.render import COMMANDS
from jobs.i18n import translation
from jobs.reader_language import SHIPPED_LANGUAGES

# Bot API, BotCommand: a description is 1-256 characters.
DESCRIPTION_LIMIT = 256


def command_menu(language: str | None) -> list[BotCommand]:
    """Every reader command with its /help summary in ``language`` (None: English)."""
    tr = translation(language)
    return [
        BotCommand(command.name, tr.gettext(command.summary)[:DESCRIPTION_LIMIT])
        for command in COMMANDS
    ]


async def register_command_menus(bot: Bot) -> None:
    """setMyCommands once without a language (what every other language sees) and once per
    language we speak, so a reader's Telegram shows the menu in their app's language."""
    await bot.set_my_commands(command_menu(None))
    for code in SHIPPED_LANGUAGES:
        await bot.set_my_commands(command_menu(code), language_code=code)
