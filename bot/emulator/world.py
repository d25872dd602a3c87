"""The simulated side of Telegram: users, chats, what they send the bot and what it sent them."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from bot.emulator.entities import utf16_len

T = TypeVar("T")
ChatType = Literal["private", "group", "supergroup", "channel"]


@dataclass(eq=False, slots=True)
class SentMessage:
    """One message the bot sent, as stored: visible text, entities, the raw HTML and later edits."""

    message_id: int
    chat_id: int
    date: int
    text: str = ""  # visible text, or the caption of a photo/document
    html: str | None = None  # the markup exactly as sent, when parse_mode was HTML
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    photo: bytes | None = None
    document: bytes | None = None
    file_id: str | None = None
    reply_to_message_id: int | None = None
    link_preview_disabled: bool = False
    edits: list[str] = field(default_factory=list)  # earlier visible texts, oldest first
    deleted: bool = False

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """The inline keyboard's buttons, row by row, flattened."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    def button_data(self, label: str) -> str:
        """The callback data of the button showing ``label``."""
        for button in self.buttons:
            if button.get("text") == label and "callback_data" in button:
                return str(button["callback_data"])
        raise LookupError(
            f"no callback button {label!r} in {[b.get('text') for b in self.buttons]}"
        )


@dataclass(eq=False, slots=True)
class Chat:
    """A chat the bot can talk to; ``messages`` holds everything the bot sent there, in order."""

    id: int
    type: ChatType
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    owner_id: int | None = None
    admins: set[int] = field(default_factory=set)
    members: set[int] = field(default_factory=set)
    blocked: bool = False  # private chat: the user blocked the bot
    kicked: bool = False  # group or channel: the bot was removed
    migrated_to: int | None = None
    messages: list[SentMessage] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    reply_mark: int = 0  # len(messages) when a simulated user last wrote here
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1), init=False, repr=False)

    @property
    def is_group(self) -> bool:
        return self.type != "private"

    def next_message_id(self) -> int:
        return next(self._ids)

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        for key in ("title", "username", "first_name"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


class User:
    """A simulated Telegram user who writes to the bot, presses its buttons and may block it."""

    def __init__(
        self,
        world: World,
        user_id: int,
        first_name: str,
        username: str | None,
        language_code: str | None,
    ) -> None:
        self.world = world
        self.id = user_id
        self.first_name = first_name
        self.username = username
        self.language_code = language_code
        self.private_chat = Chat(user_id, "private", username=username, first_name=first_name)

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    def send_text(
        self,
        text: str,
        *,
        chat: Chat | None = None,
        reply_to: SentMessage | None = None,
        entities: list[dict[str, Any]] | None = None,
        **extra: Any,
    ) -> int:
        """Send a text message to the bot (or into ``chat``); returns the message id."""
        fields: dict[str, Any] = {"text": text, **extra}
        if entities:
            fields["entities"] = entities
        if reply_to is not None:
            fields["reply_to_message"] = self.world.message_to_api(reply_to)
        return self._push_message(chat or self.private_chat, fields)

    def _push_message(self, where: Chat, fields: dict[str, Any]) -> int:
        message: dict[str, Any] = {
            "message_id": where.next_message_id(),
            "from": self.to_api(),
            "chat": where.to_api(),
            "date": int(time.time()),
            **fields,
        }
        where.reply_mark = len(where.messages)
        self.world.push_update("message", message)
        return int(message["message_id"])

    def send_document(
        self,
        content: bytes,
        *,
        file_name: str,
        mime_type: str | None = None,
        caption: str | None = None,
        chat: Chat | None = None,
    ) -> int:
        """Send a file as Telegram does: the message carries its file id, name, type and size;
        the bot downloads the content with getFile."""
        file_id = f"user-document-{len(self.world.files) + 1}"
        self.world.files[file_id] = content
        document: dict[str, Any] = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": file_name,
            "file_size": len(content),
        }
        if mime_type:
            document["mime_type"] = mime_type
        fields: dict[str, Any] = {"document": document}
        if caption:
            fields["caption"] = caption
        return self._push_message(chat or self.private_chat, fields)

    def send_command(self, command: str, *, chat: Chat | None = None) -> int:
        """Send ``/command args`` with the bot_command entity Telegram would attach."""
        name = command.split(maxsplit=1)[0]
        entity = {"type": "bot_command", "offset": 0, "length": utf16_len(name)}
        return self.send_text(command, chat=chat, entities=[entity])

    def forward(self, text: str, *, origin: User | Chat | str, chat: Chat | None = None) -> int:
        """Forward a message first written by ``origin`` (a user, a channel or a hidden name)."""
        now = int(time.time())
        if isinstance(origin, User):
            source: dict[str, Any] = {"type": "user", "date": now, "sender_user": origin.to_api()}
        elif isinstance(origin, Chat):
            source = {"type": "channel", "date": now, "chat": origin.to_api(), "message_id": 1}
        else:
            source = {"type": "hidden_user", "date": now, "sender_user_name": origin}
        return self.send_text(text, chat=chat, forward_origin=source)

    def press_button(self, message: SentMessage, callback_data: str) -> str:
        """Press an inline button of a bot message; returns the callback query id."""
        if message.deleted or callback_data not in {
            b.get("callback_data") for b in message.buttons
        }:
            raise LookupError(
                f"message {message.message_id} has no button with data {callback_data!r}"
            )
        return self.forge_button(message, callback_data)

    def forge_button(self, message: SentMessage, callback_data: str) -> str:
        """A tap carrying data no button of the message has (an old or modified client, a
        forged update), as the bot would receive it; returns the callback query id."""
        query_id = str(next(self.world.query_ids))
        self.world.callback_answers[query_id] = None  # answerable once
        self.world.push_update(
            "callback_query",
            {
                "id": query_id,
                "from": self.to_api(),
                "chat_instance": str(message.chat_id),
                "message": self.world.message_to_api(message),
                "data": callback_data,
            },
        )
        self.world.chats[message.chat_id].reply_mark = len(
            self.world.chats[message.chat_id].messages
        )
        return query_id

    def block_bot(self) -> None:
        self.private_chat.blocked = True

    def unblock_bot(self) -> None:
        self.private_chat.blocked = False


def command_list_key(scope: dict[str, Any], language: str) -> str:
    """Where a command list is kept: its scope and its language ("" for every other one)."""
    return json.dumps([scope, language], sort_keys=True)


@dataclass(frozen=True, slots=True)
class ApiCall:
    """One Bot API request as received: method, decoded parameters, clock time and HTTP status."""

    method: str
    params: dict[str, Any]
    time: float
    status: int


class World:
    """Users, chats and the update queue, with awaitable waits driven by events (never sleeps)."""

    def __init__(self, bot_user: dict[str, Any]) -> None:
        self.bot_user = bot_user
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.updates: list[dict[str, Any]] = []  # not yet confirmed by getUpdates' offset
        self.allowed_updates: set[str] | None = None
        self.calls: list[ApiCall] = []
        self.callback_answers: dict[str, dict[str, Any] | None] = {}
        # setMyCommands lists by command_list_key (scope and language).
        self.commands: dict[str, list[dict[str, Any]]] = {}
        # File contents by file id: what the bot sent, and documents users sent it.
        self.files: dict[str, bytes] = {}
        self.query_ids = itertools.count(7_000_001)
        self._update_ids = itertools.count(1)
        self._user_ids = itertools.count(10_001)
        self._group_ids = itertools.count(1_001)
        self._changed = asyncio.Event()

    # --- building the world ------------------------------------------------------------------

    def create_user(
        self,
        first_name: str = "Ada",
        *,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> User:
        user = User(self, next(self._user_ids), first_name, username, language_code)
        self.users[user.id] = user
        self.chats[user.id] = user.private_chat
        return user

    def create_group(
        self,
        title: str,
        *,
        members: Iterable[User] = (),
        admins: Iterable[User] = (),
        kind: ChatType = "group",
        username: str | None = None,
    ) -> Chat:
        """A group, supergroup or channel; the first admin owns it, and the bot is a member."""
        number = next(self._group_ids)
        chat_id = -number if kind == "group" else -1_000_000_000_000 - number
        admin_ids = [user.id for user in admins]
        chat = Chat(
            chat_id,
            kind,
            title=title,
            username=username,
            owner_id=admin_ids[0] if admin_ids else None,
            admins=set(admin_ids),
            members={user.id for user in members} | set(admin_ids) | {self.bot_user["id"]},
        )
        if kind == "channel":
            chat.admins.add(self.bot_user["id"])  # a bot can only post in a channel as an admin
        self.chats[chat_id] = chat
        return chat

    def add_bot(self, chat: Chat, *, by: User) -> int | None:
        """``by`` adds the bot to a group: Telegram tells the bot with a my_chat_member update
        (from "left" to "member"), whose id this returns."""
        bot_id = self.bot_user["id"]
        chat.members.add(bot_id)
        return self.push_update(
            "my_chat_member",
            {
                "chat": chat.to_api(),
                "from": by.to_api(),
                "date": int(time.time()),
                "old_chat_member": {"status": "left", "user": self.bot_user},
                "new_chat_member": {"status": "member", "user": self.bot_user},
            },
        )

    def migrate_group(self, group: Chat) -> Chat:
        """Upgrade a group to a supergroup; the old id then answers with migrate_to_chat_id.

        Like Telegram, both chats get a service message naming the other id.
        """
        new = self.create_group(group.title or "", kind="supergroup")
        new.owner_id, new.admins, new.members = (
            group.owner_id,
            set(group.admins),
            set(group.members),
        )
        group.migrated_to = new.id
        # Telegram tells the bot in both chats, with a service message from whoever upgraded.
        owner = self.users.get(group.owner_id) if group.owner_id is not None else None
        for chat, key, other in (
            (group, "migrate_to_chat_id", new),
            (new, "migrate_from_chat_id", group),
        ):
            message: dict[str, Any] = {
                "message_id": chat.next_message_id(),
                "chat": chat.to_api(),
                "date": int(time.time()),
                key: other.id,
            }
            if owner is not None:
                message["from"] = owner.to_api()
            self.push_update("message", message)
        return new

    # --- updates and waiting ------------------------------------------------------------------

    def push_update(self, kind: str, payload: dict[str, Any]) -> int | None:
        """Queue an update for the bot; its id, or None when the bot did not ask for its kind."""
        if self.allowed_updates is not None and kind not in self.allowed_updates:
            return None  # Telegram drops updates of types the bot did not ask for
        update_id = next(self._update_ids)
        self.updates.append({"update_id": update_id, kind: payload})
        self.notify()
        return update_id

    def notify(self) -> None:
        """Wake every waiter; each re-checks its own condition."""
        self._changed.set()
        self._changed = asyncio.Event()

    # A timeout argument (rather than asyncio.timeout around the call) keeps test lines short.
    async def wait_until(
        self,
        condition: Callable[[], T | None],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> T:
        """Return the first truthy ``condition()``, re-checked whenever the world changes."""
        async with asyncio.timeout(timeout):
            while not (result := condition()):
                await self._changed.wait()
            return result

    def command_menu(self, user: User) -> list[dict[str, Any]]:
        """The command menu ``user`` sees in their private chat with the bot.

        Bot API, "Determining list of commands": the narrowest scope with a list wins (chat,
        then all private chats, then default), and within a scope the list for the user's
        language before the one for every language.
        """
        language = (user.language_code or "")[:2].lower()
        for scope in (
            {"type": "chat", "chat_id": user.id},
            {"type": "all_private_chats"},
            {"type": "default"},
        ):
            for code in dict.fromkeys((language, "")):
                found = self.commands.get(command_list_key(scope, code))
                if found:
                    return found
        return []

    def sent_to(self, chat_id: int) -> list[SentMessage]:
        return self.chats[chat_id].messages

    async def wait_for_message(
        self,
        chat_id: int,
        predicate: Callable[[SentMessage], bool] | None = None,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109
        since: int | None = None,
    ) -> SentMessage:
        """The first message the bot sent to ``chat_id`` matching ``predicate``, from ``since`` on.

        ``since`` defaults to the moment a simulated user last wrote in that chat, so after
        ``user.send_text(...)`` this awaits the bot's answer even if it has already arrived.
        """
        chat = self.chats[chat_id]
        start = chat.reply_mark if since is None else since

        def found() -> SentMessage | None:
            return next(
                (m for m in chat.messages[start:] if predicate is None or predicate(m)), None
            )

        try:
            return await self.wait_until(found, timeout)
        except TimeoutError:
            texts = [m.text[:60] for m in chat.messages[start:]]
            raise TimeoutError(
                f"no matching message to chat {chat_id} in {timeout}s; got {texts}"
            ) from None

    # --- Bot API representations --------------------------------------------------------------

    def message_to_api(self, message: SentMessage) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "from": self.bot_user,
            "chat": self.chats[message.chat_id].to_api(),
            "date": message.date,
        }
        media = message.photo is not None or message.document is not None
        if message.text:
            data["caption" if media else "text"] = message.text
        if message.entities:
            data["caption_entities" if media else "entities"] = message.entities
        if message.photo is not None:
            data["photo"] = [
                {
                    "file_id": message.file_id,
                    "file_unique_id": f"u{message.file_id}",
                    "width": 800,
                    "height": 600,
                    "file_size": len(message.photo),
                }
            ]
        if message.document is not None:
            data["document"] = {
                "file_id": message.file_id,
                "file_unique_id": f"u{message.file_id}",
                "file_size": len(message.document),
            }
        if message.reply_markup:
            data["reply_markup"] = message.reply_markup
        return data
