"""A local Telegram Bot API server with simulated users, for tests and the demo.

Emulated, at ``{base}/bot{TOKEN}/{method}`` with Telegram's JSON envelope: getMe,
getUpdates (offset, limit, long-poll timeout, allowed_updates), deleteWebhook, getWebhookInfo,
sendMessage, editMessageText, editMessageReplyMarkup, deleteMessage, answerCallbackQuery,
set/get/deleteMyCommands, sendChatAction, getChat, getChatMember, getChatAdministrators,
sendPhoto, sendDocument, getFile (and ``{base}/file/bot{TOKEN}/{path}``).

Enforced: 4096/1024 UTF-16 limits on visible text and captions, strict HTML parse mode, flood
control (429 with retry_after) per bot, per private chat and per group, 403 for blocked users and
kicked bots, 400 with migrate_to_chat_id for upgraded groups, 409 when a newer getUpdates ends a
waiting one, 401 for a wrong token, 404 for unknown methods. Flood control counts sent messages
(sendMessage, sendPhoto, sendDocument), not edits, answers or chat actions.

Not emulated: webhooks, inline mode, payments, media groups, MarkdownV2, fetching media by URL,
stripping of surrounding whitespace, and every method not listed above (they answer 404).
"""

from bot.emulator.entities import EntityParseError, parse_html, utf16_len
from bot.emulator.flood import FloodControl, FloodLimits, busiest_window
from bot.emulator.protocol import ApiError
from bot.emulator.server import DEFAULT_TOKEN, BotApiEmulator
from bot.emulator.world import ApiCall, Chat, SentMessage, User

__all__ = [
    "DEFAULT_TOKEN",
    "ApiCall",
    "ApiError",
    "BotApiEmulator",
    "Chat",
    "EntityParseError",
    "FloodControl",
    "FloodLimits",
    "SentMessage",
    "User",
    "busiest_window",
    "parse_html",
    "utf16_len",
]
