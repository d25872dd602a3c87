"""The Bot API over HTTP on 127.0.0.1, answering as Telegram does, its rules and errors included."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, Self

from aiohttp import ClientError, ClientSession, web

from bot.emulator.entities import EntityParseError, parse_html, utf16_len
from bot.emulator.flood import FloodControl, FloodLimits, busiest_window
from bot.emulator.protocol import ApiError, Params, bad_request, read_params
from bot.emulator.world import ApiCall, Chat, SentMessage, World, command_list_key

logger = logging.getLogger(__name__)

DEFAULT_TOKEN = "123456:TEST-emulator-token-0123456789abcdef"  # noqa: S105 (not a secret)
DEFAULT_LIMITS = FloodLimits()
MAX_TEXT = 4096
MAX_CAPTION = 1024
# Bots may download files up to 20 MB with getFile (Bot API, "getFile").
MAX_DOWNLOAD = 20 * 1024 * 1024
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE_CODE = re.compile(r"[a-z]{2}")
_COMMAND_SCOPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)
_CHAT_SCOPES = frozenset({"chat", "chat_administrators", "chat_member"})
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF")
_ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_post_messages",
    "can_edit_messages",
    "can_pin_messages",
)


Handler = Callable[[Params], Awaitable[Any]]

CALLBACK_ANSWER_LIMIT = 200


class BotApiEmulator(World):
    """A Telegram Bot API server for one bot, with a simulated world of users and chats.

    ``async with BotApiEmulator() as emu:`` serves on an ephemeral port of 127.0.0.1; point the
    bot's base URL at ``emu.base_url``. ``limits=None`` turns flood control off.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        limits: FloodLimits | None = DEFAULT_LIMITS,
        clock: Callable[[], float] = time.monotonic,
        bot_username: str = "newsdigest_test_bot",
        bot_name: str = "NewsDigest",
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(
            {
                "id": int(token.split(":", 1)[0]),
                "is_bot": True,
                "first_name": bot_name,
                "username": bot_username,
            }
        )
        self.token = token
        self.clock = clock
        self.flood = FloodControl(limits, clock) if limits is not None else None
        self.host = host
        self.port = port
        # When each message was admitted (as the flood buckets count), with flood control on or off.
        self.admitted: list[float] = []
        self.pollers = 0  # getUpdates requests waiting now: a bot is ready once this is 1
        self._poll_round = 0
        self._closing = False
        self._runner: web.AppRunner | None = None
        # Webhook mode: updates are POSTed to this URL instead of waiting for getUpdates.
        self.webhook_url: str | None = None
        self.webhook_secret: str | None = None
        self.webhook_deliveries = 0
        self._pusher: asyncio.Task[None] | None = None
        self._methods: dict[str, tuple[str, Handler]] = {
            name.lower(): (name, handler)
            for name, handler in {
                "getMe": self._get_me,
                "getUpdates": self._get_updates,
                "setWebhook": self._set_webhook,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "sendMessage": self._send_message,
                "editMessageText": self._edit_message_text,
                "editMessageReplyMarkup": self._edit_reply_markup,
                "deleteMessage": self._delete_message,
                "answerCallbackQuery": self._answer_callback_query,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "deleteMyCommands": self._delete_my_commands,
                "sendChatAction": self._send_chat_action,
                "getChat": self._get_chat,
                "getChatMember": self._get_chat_member,
                "getChatAdministrators": self._get_chat_administrators,
                "sendPhoto": self._send_photo,
                "sendDocument": self._send_document,
                "getFile": self._get_file,
            }.items()
        }

    # --- lifecycle ------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The value for PTB's ``base_url`` (and ``NEWSDIGEST_TELEGRAM_API_URL``)."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    @property
    def rate_limited(self) -> int:
        """How many 429 answers were served."""
        return self.flood.refused if self.flood is not None else 0

    @property
    def busiest_second(self) -> int:
        """The most messages admitted in any sliding one-second window (Telegram's count)."""
        return busiest_window(self.admitted, 1.0)

    async def start(self) -> None:
        app = web.Application(client_max_size=50 * 1024 * 1024)  # Telegram's upload limit
        app.router.add_route("*", "/file/bot{token}/{path:.+}", self._serve_file)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        # A short shutdown wait is enough: close() first wakes every long poll.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = self._runner.addresses[0][1]
        logger.info("Bot API emulator listening on %s", self.base_url)

    async def close(self) -> None:
        self._closing = True
        self.notify()
        await self._stop_pusher()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def calls_to(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method == method]

    # --- HTTP ------------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").to_api(), status=401)
        found = self._methods.get(request.match_info["method"].lower())
        if found is None:
            return web.json_response(ApiError(404, "Not Found").to_api(), status=404)
        method, handler = found
        params = Params({}, {})
        try:
            params = await read_params(request)
            status, body = 200, {"ok": True, "result": await handler(params)}
        except ApiError as error:
            status, body = error.code, error.to_api()
        self.calls.append(ApiCall(method, params.values, self.clock(), status))
        self.notify()  # so that tests can await a call with wait_until
        return web.json_response(body, status=status)

    async def _serve_file(self, request: web.Request) -> web.Response:
        content = self.files.get(request.match_info["path"].removeprefix("files/"))
        if request.match_info["token"] != self.token or content is None:
            return web.json_response(ApiError(404, "Not Found").to_api(), status=404)
        return web.Response(body=content)

    # --- shared rules ----------------------------------------------------------------------------

    def _chat(self, params: Params) -> Chat:
        raw = params.text("chat_id")
        if not raw:
            raise bad_request("chat_id is empty")
        if raw.startswith("@"):
            chat = next(
                (
                    c
                    for c in self.chats.values()
                    if c.username and c.is_group and "@" + c.username == raw
                ),
                None,
            )
        else:
            chat = self.chats.get(params.integer("chat_id") or 0)
        if chat is None:
            raise bad_request("chat not found")
        if chat.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=chat.migrated_to,
            )
        if chat.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat.kicked:
            where = "channel" if chat.type == "channel" else "group"
            raise ApiError(403, f"Forbidden: bot was kicked from the {where} chat")
        return chat

    def _admit(self, chat: Chat) -> None:
        if self.flood is not None:
            retry_after = self.flood.admit(chat.id, is_group=chat.is_group)
            if retry_after is not None:
                raise ApiError(
                    429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
                )
        self.admitted.append(self.clock())

    @staticmethod
    def _render(
        params: Params, field: str, limit: int, too_long: str
    ) -> tuple[str, str | None, list[dict[str, Any]]]:
        """Visible text, raw HTML (if any) and entities, checked for markup and length."""
        raw = params.text(field) or ""
        mode = (params.text("parse_mode") or "").lower()
        if not mode:
            text, html, entities = (
                raw,
                None,
                list(params.get(f"{field}_entities" if field == "caption" else "entities") or []),
            )
        elif mode == "html":
            try:
                text, entities = parse_html(raw)
            except EntityParseError as exc:
                raise bad_request(f"can't parse entities: {exc}") from None
            html = raw
        else:
            raise bad_request("unsupported parse_mode")
        # Telegram counts the visible text, after entities are parsed, in UTF-16 code units.
        if utf16_len(text) > limit:
            raise bad_request(too_long)
        return text, html, entities

    @staticmethod
    def _markup(params: Params) -> dict[str, Any] | None:
        markup = params.get("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if not button.get("text"):
                    raise bad_request("text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= 64:
                    raise bad_request("BUTTON_DATA_INVALID")
        return markup

    def _store(self, chat: Chat, params: Params, **fields: Any) -> dict[str, Any]:
        reply_to = self._reply_target(chat, params)
        preview = params.get("link_preview_options") or {}
        message = SentMessage(
            message_id=chat.next_message_id(),
            chat_id=chat.id,
            date=int(time.time()),
            reply_to_message_id=reply_to,
            link_preview_disabled=bool(preview.get("is_disabled"))
            or params.flag("disable_web_page_preview"),
            reply_markup=self._markup(params),
            **fields,
        )
        chat.messages.append(message)
        self.notify()
        return self.message_to_api(message)

    @staticmethod
    def _reply_target(chat: Chat, params: Params) -> int | None:
        """The message a send replies to, as Telegram checks it: one deleted since is refused
        ("message to be replied not found") unless allow_sending_without_reply, which sends
        the message on its own. The emulator keeps only the bot's messages, so a user's is
        taken on trust."""
        reply = params.get("reply_parameters") or {}
        target = reply.get("message_id") or params.integer("reply_to_message_id")
        if target is None:
            return None
        gone = any(m.message_id == int(target) and m.deleted for m in chat.messages)
        if not gone:
            return int(target)
        if reply.get("allow_sending_without_reply") or params.flag("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")

    def _target(self, params: Params, verb: str) -> tuple[Chat, SentMessage]:
        if params.get("inline_message_id"):
            raise bad_request("inline messages are not emulated")
        chat = self._chat(params)
        message_id = params.integer("message_id", required=True)
        for message in reversed(chat.messages):
            if message.message_id == message_id and not message.deleted:
                return chat, message
        raise bad_request(f"message to {verb} not found")

    # --- methods ----------------------------------------------------------------------------------

    async def _get_me(self, params: Params) -> dict[str, Any]:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _get_updates(self, params: Params) -> list[dict[str, Any]]:
        if self.webhook_url is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.integer("offset")
        limit = min(max(params.integer("limit") or 100, 1), 100)
        timeout = params.integer("timeout") or 0
        allowed = params.get("allowed_updates")
        if allowed is not None:
            self.allowed_updates = set(allowed) or None
        if offset and offset > 0:  # confirms every update before it
            self.updates = [update for update in self.updates if update["update_id"] >= offset]
        # Like Telegram, a newer getUpdates ends a waiting one with 409: two bots on one token
        # show up as errors, and a poll the client abandoned does not linger.
        self._poll_round += 1
        mine = self._poll_round
        self.notify()
        if not self.updates and timeout > 0 and not self._closing:
            self.pollers += 1
            self.notify()
            try:
                with contextlib.suppress(TimeoutError):
                    await self.wait_until(
                        lambda: bool(self.updates) or self._closing or self._poll_round != mine,
                        timeout,
                    )
            finally:
                self.pollers -= 1
            if self._poll_round != mine:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
        return self.updates[:limit]

    async def _set_webhook(self, params: Params) -> bool:
        """Deliver updates by POST from now on.

        Telegram wants HTTPS on port 443, 80, 88 or 8443; a local emulator also takes plain
        http on 127.0.0.1, which is where a bot under test listens.
        """
        url = params.get("url") or ""
        if not url:
            return await self._delete_webhook(params)
        if not re.match(r"^(https://|http://127\.0\.0\.1[:/])", str(url)):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if params.flag("drop_pending_updates"):
            self.updates = []
        allowed = params.get("allowed_updates")
        if allowed is not None:
            self.allowed_updates = set(allowed) or None
        self.webhook_url = str(url)
        self.webhook_secret = params.get("secret_token")
        await self._stop_pusher()
        self._pusher = asyncio.create_task(self._push_updates())
        self.notify()
        return True

    async def _delete_webhook(self, params: Params) -> bool:
        if params.flag("drop_pending_updates"):
            self.updates = []
        self.webhook_url = None
        await self._stop_pusher()
        self.notify()
        return True

    async def _get_webhook_info(self, params: Params) -> dict[str, Any]:
        return {
            "url": self.webhook_url or "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }

    async def _stop_pusher(self) -> None:
        if self._pusher is not None:
            self._pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pusher
            self._pusher = None

    async def _push_updates(self) -> None:
        """POST each pending update to the webhook, in order, until it answers 2xx."""
        headers = (
            {"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret} if self.webhook_secret else {}
        )
        async with ClientSession() as session:
            while self.webhook_url is not None:
                await self.wait_until(lambda: bool(self.updates), timeout=365 * 86400)
                update = self.updates[0]
                try:
                    async with session.post(
                        self.webhook_url, json=update, headers=headers
                    ) as answer:
                        delivered = 200 <= answer.status < 300
                except (ClientError, OSError):
                    delivered = False
                if delivered:
                    self.updates.remove(update)
                    self.webhook_deliveries += 1
                    self.notify()
                else:
                    # Telegram retries a failing webhook later; a second is plenty locally.
                    await asyncio.sleep(1.0)

    async def _send_message(self, params: Params) -> dict[str, Any]:
        chat = self._chat(params)
        text, html, entities = self._render(params, "text", MAX_TEXT, "message is too long")
        if not text.strip():
            raise bad_request("message text is empty")
        self._markup(params)  # refuse a bad keyboard before spending a flood token on it
        self._admit(chat)
        return self._store(chat, params, text=text, html=html, entities=entities)

    async def _send_photo(self, params: Params) -> dict[str, Any]:
        return self._send_media(params, "photo")

    async def _send_document(self, params: Params) -> dict[str, Any]:
        return self._send_media(params, "document")

    def _send_media(self, params: Params, kind: str) -> dict[str, Any]:
        chat = self._chat(params)
        content = params.upload(kind)
        if isinstance(content, str):
            # A file id we issued; URLs are not fetched, since tests never leave 127.0.0.1.
            content = self.files.get(content)
            if content is None:
                raise bad_request("wrong file identifier/HTTP URL specified")
        if not content:
            raise bad_request(f"there is no {kind} in the request")
        if kind == "photo" and not content.startswith(_IMAGE_MAGIC):
            raise bad_request("IMAGE_PROCESS_FAILED")
        text, html, entities = self._render(
            params, "caption", MAX_CAPTION, "message caption is too long"
        )
        self._markup(params)
        self._admit(chat)
        file_id = f"{kind}-{len(self.files) + 1}"
        self.files[file_id] = content
        return self._store(
            chat,
            params,
            text=text,
            html=html,
            entities=entities,
            file_id=file_id,
            **{kind: content},
        )

    async def _get_file(self, params: Params) -> dict[str, Any]:
        file_id = params.text("file_id") or ""
        if file_id not in self.files:
            raise bad_request("invalid file_id")
        if len(self.files[file_id]) > MAX_DOWNLOAD:
            raise bad_request("file is too big")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(self.files[file_id]),
            "file_path": f"files/{file_id}",
        }

    async def _edit_message_text(self, params: Params) -> dict[str, Any]:
        _, message = self._target(params, "edit")
        text, html, entities = self._render(params, "text", MAX_TEXT, "message is too long")
        if not text.strip():
            raise bad_request("message text is empty")
        if message.photo is not None or message.document is not None:
            raise bad_request("there is no text in the message to edit")
        # As in Telegram, an edit without reply_markup removes the inline keyboard.
        markup = self._markup(params)
        if (text, entities, markup) == (message.text, message.entities, message.reply_markup):
            raise bad_request(NOT_MODIFIED)
        message.edits.append(message.text)
        message.text, message.html, message.entities, message.reply_markup = (
            text,
            html,
            entities,
            markup,
        )
        self.notify()
        return self.message_to_api(message)

    async def _edit_reply_markup(self, params: Params) -> dict[str, Any]:
        _, message = self._target(params, "edit")
        markup = self._markup(params)
        if markup == message.reply_markup:
            raise bad_request(NOT_MODIFIED)
        message.reply_markup = markup
        self.notify()
        return self.message_to_api(message)

    async def _delete_message(self, params: Params) -> bool:
        _, message = self._target(params, "delete")
        message.deleted = True
        self.notify()
        return True

    async def _answer_callback_query(self, params: Params) -> bool:
        query_id = params.text("callback_query_id") or ""
        if query_id not in self.callback_answers or self.callback_answers[query_id] is not None:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        # Bot API, answerCallbackQuery: text is 0-200 characters; Telegram answers a longer one
        # "MESSAGE_TOO_LONG", and the tap stays unanswered.
        if len(params.text("text") or "") > CALLBACK_ANSWER_LIMIT:
            raise bad_request("MESSAGE_TOO_LONG")
        self.callback_answers[query_id] = {
            key: params.get(key) for key in ("text", "show_alert", "url", "cache_time")
        }
        self.notify()
        return True

    def _scope_key(self, params: Params) -> str:
        """The (scope, language) a command list is stored under, refused as Telegram refuses.

        Bot API, setMyCommands: ``language_code`` is empty (every language without a list of
        its own) or a two-letter ISO 639-1 code; ``scope`` is a BotCommandScope, default when
        omitted, and the chat scopes name a chat the bot can see.
        """
        language = params.text("language_code") or ""
        if language and not _LANGUAGE_CODE.fullmatch(language):
            raise bad_request("invalid language code specified")
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in _COMMAND_SCOPES:
            raise bad_request("wrong parameter scope")
        if scope["type"] in _CHAT_SCOPES:
            chat = self._chat(Params({"chat_id": scope.get("chat_id")}, {}))
            if scope["type"] != "chat" and not chat.is_group:
                raise bad_request("can't use specified scope in private chats")
            if scope["type"] == "chat_member":
                self._member(chat, int(scope.get("user_id") or 0))
            scope = {**scope, "chat_id": chat.id}
        return command_list_key(scope, language)

    async def _set_my_commands(self, params: Params) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("commands must be a list of at most 100 BotCommand")
        for command in commands:
            if not _COMMAND.fullmatch(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._scope_key(params)] = commands
        return True

    async def _get_my_commands(self, params: Params) -> list[dict[str, Any]]:
        # Exactly the list stored for this scope and language: no fallback (that is the
        # client's, see World.command_menu).
        return self.commands.get(self._scope_key(params), [])

    async def _delete_my_commands(self, params: Params) -> bool:
        self.commands.pop(self._scope_key(params), None)
        return True

    async def _send_chat_action(self, params: Params) -> bool:
        chat = self._chat(params)
        action = params.text("action") or ""
        if action not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        chat.actions.append(action)
        self.notify()
        return True

    async def _get_chat(self, params: Params) -> dict[str, Any]:
        gifts = dict.fromkeys(
            (
                "unlimited_gifts",
                "limited_gifts",
                "unique_gifts",
                "premium_subscription",
                "gifts_from_channels",
            ),
            False,
        )
        return {
            **self._chat(params).to_api(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": gifts,
        }

    def _member(self, chat: Chat, user_id: int) -> dict[str, Any]:
        if user_id == self.bot_user["id"]:
            user = self.bot_user
        elif user_id in self.users:
            user = self.users[user_id].to_api()
        else:
            raise bad_request("user not found")
        if chat.type == "private":
            status = "member"
        elif user_id == chat.owner_id:
            status = "creator"
        elif user_id in chat.admins:
            status = "administrator"
        else:
            status = "member" if user_id in chat.members else "left"
        member: dict[str, Any] = {"status": status, "user": user}
        if status in ("creator", "administrator"):
            member["is_anonymous"] = False
        if status == "administrator":
            member.update(dict.fromkeys(_ADMIN_RIGHTS, True), can_be_edited=False)
        return member

    async def _get_chat_member(self, params: Params) -> dict[str, Any]:
        return self._member(self._chat(params), params.integer("user_id", required=True) or 0)

    async def _get_chat_administrators(self, params: Params) -> list[dict[str, Any]]:
        chat = self._chat(params)
        if not chat.is_group:
            raise bad_request("there are no administrators in the private chat")
        ids = ([chat.owner_id] if chat.owner_id is not None else []) + sorted(
            chat.admins - {chat.owner_id}
        )
        return [self._member(chat, user_id) for user_id in ids]
