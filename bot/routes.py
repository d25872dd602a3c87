"""Every handler, registered in one place where the order (which handler wins) is visible."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.handlers import (
    admin,
    alerts,
    basics,
    following,
    language,
    mutes,
    opml,
    pausing,
    preferences,
    reading,
    sources,
    stories,
)
from bot.handlers.buttons import checks_buttons, stale_button

if TYPE_CHECKING:
    from bot.app import BotApplication


# Only new messages: an edited "/alert x" must not add a second alert, and posts in a channel
# the bot publishes to are the channel's content, not requests.
NEW_MESSAGE = filters.UpdateType.MESSAGE


def register_handlers(app: BotApplication) -> None:
    commands = {
        "start": basics.start,
        "help": basics.help_command,
        "digest": reading.digest,
        "sources": sources.sources,
        "add": sources.add,
        "mysources": sources.mysources,
        "remove": sources.remove,
        "settings": preferences.settings,
        "timezone": preferences.timezone,
        "quiet": preferences.quiet,
        "language": language.language,
        "pause": pausing.pause,
        "resume": pausing.resume,
        "alert": alerts.alert,
        "alerts": alerts.alerts,
        "follow": following.follow,
        "following": following.following,
        "mute": mutes.mute,
        "unmute": mutes.unmute,
        "summary": reading.summary,
        "search": reading.search,
        "trend": reading.trend,
        "stats": admin.stats,
        "stop": admin.stop,
        "channel": admin.channel,
        "export": opml.export,
    }
    for name, callback in commands.items():
        app.add_handler(CommandHandler(name, callback, filters=NEW_MESSAGE))
    # Patterns pick the handler by prefix; each handler checks its fields against what it
    # offered (bot.handlers.buttons), so forged data is answered, never trusted.
    buttons = {
        r"^catp?:": sources.catalog_button,
        r"^topic:": sources.topic_button,
        r"^rm:": sources.remove_button,
        r"^set:": preferences.settings_button,
        r"^lang:": language.language_button,
        r"^al:(rm|mode):": alerts.alert_button,
        r"^mw:rm:": mutes.unmute_button,
        r"^sr:": reading.search_page_button,
        r"^fo:": following.follow_button,
        r"^fu:": following.unfollow_button,
        r"^stop:(yes|all|no)$": admin.stop_button,
        r"^digest:now$": reading.digest_button,
        # Per-story buttons under digests and alerts (jobs/story_buttons.py lists their data).
        r"^st:": stories.story_button,
        r"^mo:": stories.more_button,
        r"^bk$": stories.back_button,
        r"^(mu|um):[^:]*:": stories.mute_button,
        r"^um:": sources.unmute_button,  # under /mysources: no story
    }
    for pattern, callback in buttons.items():
        app.add_handler(CallbackQueryHandler(checks_buttons(callback), pattern=pattern))
    app.add_handler(CallbackQueryHandler(stale_button))  # data none of our buttons carries
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, admin.group_migrated))
    app.add_handler(ChatMemberHandler(language.joined_group, ChatMemberHandler.MY_CHAT_MEMBER))
    # An OPML file (before the caption handler below, which a captioned file would also match).
    app.add_handler(
        MessageHandler(
            (filters.Document.FileExtension("opml") | filters.Document.FileExtension("xml"))
            & NEW_MESSAGE,
            opml.opml_file,
        )
    )
    # After every command above: anything else that looks like a command gets a hint.
    app.add_handler(MessageHandler(filters.COMMAND & NEW_MESSAGE, basics.unknown_command))
    # Links and long texts are summarized unasked only in private chats; in a group that would
    # answer every shared link, so groups ask with /summary (or /summary as a reply).
    app.add_handler(
        MessageHandler(
            (filters.TEXT | filters.CAPTION)
            & ~filters.COMMAND
            & filters.ChatType.PRIVATE
            & NEW_MESSAGE,
            reading.plain_message,
        )
    )
    app.add_error_handler(basics.on_error)
