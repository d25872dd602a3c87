"""Every command with its menu description, usage line and example: one table for /help, usage errors and setMyCommands."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import BotCommand

from jobs.messages import escape


@dataclass(frozen=True, slots=True)
class CommandInfo:
    name: str
    description: str
    usage: str
    example: str
    admin_only: bool = False


COMMANDS: tuple[CommandInfo, ...] = (
    CommandInfo("start", "what this bot does", "/start [topic]", "/start tech"),
    CommandInfo("help", "commands and examples", "/help", "/help"),
    CommandInfo("digest", "the latest digest now", "/digest", "/digest"),
    CommandInfo("sources", "pick sources from the catalog", "/sources", "/sources"),
    CommandInfo("add", "add a feed or site", "/add URL", "/add https://example.com/feed.xml"),
    CommandInfo("mysources", "list your sources", "/mysources", "/mysources"),
    CommandInfo("remove", "remove one of your sources", "/remove [NUMBER]", "/remove 2"),
    CommandInfo("settings", "schedule and digest options", "/settings", "/settings"),
    CommandInfo(
        "schedule",
        "when digests come",
        "/schedule off | daily HH:MM | every N h",
        "/schedule daily 07:30, 18:00",
    ),
    CommandInfo("timezone", "your time zone", "/timezone ZONE", "/timezone Europe/Berlin"),
    CommandInfo("quiet", "quiet hours for alerts", "/quiet START-END | off", "/quiet 22-07"),
    CommandInfo(
        "alert",
        "add a keyword alert",
        '/alert WORDS, "PHRASES", OR, -EXCLUDED',
        '/alert climate "carbon tax" -opinion',
    ),
    CommandInfo("alerts", "list and remove alerts", "/alerts", "/alerts"),
    CommandInfo(
        "summary",
        "summarize a link or a text",
        "/summary URL (or reply to a message)",
        "/summary https://example.com/story",
    ),
    CommandInfo("search", "search recent articles", "/search WORDS", "/search wind farm"),
    CommandInfo("trend", "chart of mentions per day", "/trend WORDS", "/trend inflation"),
    CommandInfo(
        "channel", "post digests to your channel", "/channel @CHANNEL", "/channel @my_news"
    ),
    CommandInfo("stop", "unsubscribe and delete your data", "/stop", "/stop"),
    CommandInfo("stats", "bot statistics (admins)", "/stats", "/stats", admin_only=True),
)
BY_NAME = {info.name: info for info in COMMANDS}


def usage(name: str) -> str:
    """The usage line sent back for malformed arguments (HTML)."""
    info = BY_NAME[name]
    return f"Usage: <code>{escape(info.usage)}</code>\nExample: <code>{escape(info.example)}</code>"


def bot_commands() -> list[BotCommand]:
    """The command menu registered with setMyCommands (admin commands are not advertised)."""
    return [BotCommand(info.name, info.description) for info in COMMANDS if not info.admin_only]


def help_html() -> str:
    lines = ["<b>NewsDigest</b> sends calm news digests, instant keyword alerts and summaries.", ""]
    for info in COMMANDS:
        if info.admin_only:
            continue
        lines.append(f"<code>{escape(info.usage)}</code> — {escape(info.description)}")
        if info.example != info.usage:
            lines.append(f"   e.g. <code>{escape(info.example)}</code>")
    lines += ["", "Send a link or paste a long text and you get its summary."]
    return "\n".join(lines)
