"""Every handler of the bot, registered in one place in the order PTB tries them."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import App
from bot.handlers import admin, alerts, basics, digest, search, settings, sources, stop, summary


def register_handlers(app: App) -> None:
    """Commands first, then button presses, then plain messages; unknown commands last of all."""
    commands = {
        "start": basics.start,
        "help": basics.help_command,
        "digest": digest.digest,
        "sources": sources.sources,
        "add": sources.add,
        "mysources": sources.mysources,
        "remove": sources.remove,
        "settings": settings.settings,
        "schedule": settings.schedule,
        "timezone": settings.timezone,
        "quiet": settings.quiet,
        "alert": alerts.alert,
        "alerts": alerts.alerts,
        "summary": summary.summary,
        "search": search.search,
        "trend": search.trend,
        "stats": admin.stats,
        "channel": admin.channel,
        "stop": stop.stop,
    }
    for name, callback in commands.items():
        app.add_handler(CommandHandler(name, callback))
    buttons = {
        r"^start:": basics.start_button,
        r"^src:": sources.sources_button,
        r"^rm:\d+$": sources.remove_button,
        r"^set:": settings.settings_button,
        r"^al:rm:\d+$": alerts.alerts_button,
        r"^stop:": stop.stop_button,
    }
    for pattern, callback in buttons.items():
        app.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    app.add_handler(MessageHandler(filters.COMMAND, basics.unknown_command))
    app.add_handler(
        MessageHandler(
            filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE, summary.plain_message
        )
    )
    app.add_error_handler(basics.error_handler)
