"""The Bot API emulator, driven over HTTP by PTB's real ``Bot`` and ``Application``."""

from __future__ import annotations

import asyncio
import datetime as dtm
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeChatAdministrators,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MessageOriginChannel,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
)
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from bot.emulator import BotApiEmulator, FloodLimits

# The smallest valid PNG: the emulator refuses photos that are not images, as Telegram does.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("More", callback_data="more:1")]])


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(limits=None) as emulator:
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url) as client:
        yield client


async def test_send_html_message_is_stored_as_text_entities_and_raw_html(
    emu: BotApiEmulator, bot: Bot
) -> None:
    user = emu.create_user()
    html = '<b>Top</b> story &amp; <a href="https://n.test/a?x=1&amp;y=2">more</a>'
    sent = await bot.send_message(user.id, html, parse_mode=ParseMode.HTML, reply_markup=KEYBOARD)
    assert sent.text == "Top story & more"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 0, 3),
        ("text_link", 12, 4),
    ]
    [stored] = emu.sent_to(user.id)
    assert stored.html == html
    assert stored.entities[1]["url"] == "https://n.test/a?x=1&y=2"
    assert stored.button_data("More") == "more:1"
    [call] = emu.calls_to("sendMessage")
    assert call.params["reply_markup"] == KEYBOARD.to_dict()  # PTB sent it JSON-encoded in a form


async def test_length_is_counted_in_utf16_units_of_the_visible_text(
    emu: BotApiEmulator, bot: Bot
) -> None:
    user = emu.create_user()
    await bot.send_message(user.id, "<b>" + "x" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    await bot.send_message(user.id, "😀" * 2048)  # 4096 UTF-16 units: exactly the limit
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(user.id, "😀" * 2048 + "!")
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(user.id, PNG, caption="c" * 1025)
    assert len(emu.sent_to(user.id)) == 2


@pytest.mark.parametrize("text", ["<b>open", "<b><i>x</b></i>", "a < b", "Q&A", "line<br>break"])
async def test_bad_html_is_a_bad_request(emu: BotApiEmulator, bot: Bot, text: str) -> None:
    user = emu.create_user()
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(user.id, text, parse_mode=ParseMode.HTML)
    assert emu.sent_to(user.id) == []


async def test_blocked_kicked_migrated_and_unknown_chats(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.create_user()
    user.block_bot()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(user.id, "hi")
    group = emu.create_group("Readers", members=[user])
    group.kicked = True
    with pytest.raises(Forbidden, match="bot was kicked from the group chat"):
        await bot.send_message(group.id, "hi")
    old = emu.create_group("Old", admins=[user])
    new = emu.migrate_group(old)
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(old.id, "hi")
    assert migrated.value.new_chat_id == new.id
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "hi")


async def test_wrong_token_unknown_method_and_json_bodies(emu: BotApiEmulator) -> None:
    with pytest.raises(InvalidToken, match="rejected by the server"):
        async with Bot("999:" + "x" * 35, base_url=emu.base_url):
            pass  # entering calls getMe, which a foreign token fails
    async with Bot(emu.token, base_url=emu.base_url) as bot:
        with pytest.raises(EndPointNotFound):
            await bot.do_api_request("sendTelepathy")
    user = emu.create_user()
    async with httpx.AsyncClient(base_url=emu.base_url + emu.token) as client:
        ok = await client.post(
            "/sendMessage",
            json={
                "chat_id": user.id,
                "text": "<i>x</i>",
                "parse_mode": "HTML",
                "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
            },
        )
        bad = await client.post("/sendMessage", json={"chat_id": user.id, "text": "<i>x"})
    assert ok.json()["result"]["entities"] == [{"type": "italic", "offset": 0, "length": 1}]
    assert bad.status_code == 200  # no parse_mode: the markup is plain text
    assert emu.sent_to(user.id)[1].text == "<i>x"


async def test_long_poll_returns_as_soon_as_a_user_writes(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.create_user(username="ada")
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await emu.wait_until(lambda: emu.pollers == 1)
    user.send_command("/start tech")
    [update] = await asyncio.wait_for(poll, timeout=5)
    message = update.message
    assert message is not None and message.from_user is not None
    assert (message.text, message.from_user.username) == ("/start tech", "ada")
    assert [(e.type, e.offset, e.length) for e in message.entities] == [("bot_command", 0, 6)]
    # Asking with offset = last id + 1 confirms it; nothing is delivered twice.
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()


async def test_a_second_poller_ends_the_first_with_conflict(emu: BotApiEmulator, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=30))
    await emu.wait_until(lambda: emu.pollers == 1)
    async with Bot(emu.token, base_url=emu.base_url) as second_instance:
        second = asyncio.create_task(second_instance.get_updates(timeout=30))
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await asyncio.wait_for(first, timeout=5)
        emu.create_user().send_text("hello")
        [update] = await asyncio.wait_for(second, timeout=5)
    assert update.message is not None and update.message.text == "hello"


async def test_wait_for_message_sees_answers_since_the_users_last_message(
    emu: BotApiEmulator, bot: Bot
) -> None:
    user = emu.create_user()
    await bot.send_message(user.id, "Welcome")
    user.send_text("/digest")
    await bot.send_message(user.id, "Digest, part 1")
    await bot.send_message(user.id, "Digest, part 2")
    # Both answers arrived before the waits: each still finds its own, "Welcome" is not an answer.
    first = await emu.wait_for_message(user.id)
    second = await emu.wait_for_message(user.id, lambda m: m.text.endswith("2"))
    assert (first.text, second.text) == ("Digest, part 1", "Digest, part 2")
    with pytest.raises(TimeoutError, match="got \\['Digest, part 1', 'Digest, part 2'\\]"):
        await emu.wait_for_message(user.id, lambda m: "3" in m.text, timeout=0.05)


async def test_forwarded_and_reply_messages_carry_their_origin(
    emu: BotApiEmulator, bot: Bot
) -> None:
    user = emu.create_user()
    channel = emu.create_group("Wire", kind="channel", username="wire")
    sent = await bot.send_message(user.id, "Digest")
    user.forward("Breaking: tests pass", origin=channel)
    user.send_text("why?", reply_to=emu.sent_to(user.id)[0])
    forwarded, reply = (update.message for update in await bot.get_updates())
    assert forwarded is not None and reply is not None and reply.reply_to_message is not None
    assert isinstance(forwarded.forward_origin, MessageOriginChannel)
    assert forwarded.forward_origin.chat.title == "Wire"
    assert reply.reply_to_message.message_id == sent.message_id


async def test_button_press_edit_and_callback_answer(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.create_user()
    sent = await bot.send_message(user.id, "Digest", reply_markup=KEYBOARD)
    with pytest.raises(LookupError, match="no button with data 'less:1'"):
        user.press_button(emu.sent_to(user.id)[0], "less:1")
    query_id = user.press_button(emu.sent_to(user.id)[0], "more:1")
    [update] = await bot.get_updates()
    query = update.callback_query
    assert query is not None and query.message is not None
    assert (query.data, query.message.message_id) == ("more:1", sent.message_id)
    await query.answer("Loading…")
    assert emu.callback_answers[query_id] == {
        "text": "Loading…",
        "show_alert": None,
        "url": None,
        "cache_time": None,
    }
    with pytest.raises(BadRequest, match="Query is too old"):
        await query.answer("again")
    await bot.edit_message_text("Digest, expanded", user.id, sent.message_id)
    stored = emu.sent_to(user.id)[0]
    assert (stored.text, stored.edits, stored.reply_markup) == (
        "Digest, expanded",
        ["Digest"],
        None,
    )
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("Digest, expanded", user.id, sent.message_id)
    await bot.delete_message(user.id, sent.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("gone", user.id, sent.message_id)


async def test_commands_actions_members_and_photos(emu: BotApiEmulator, bot: Bot) -> None:
    owner, admin, reader = emu.create_user("O"), emu.create_user("A"), emu.create_user("R")
    group = emu.create_group("Club", members=[reader], admins=[owner, admin], kind="supergroup")
    await bot.set_my_commands([BotCommand("digest", "Today's digest")])
    assert [c.command for c in await bot.get_my_commands()] == ["digest"]
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Bad-Name", "x")])
    await bot.send_chat_action(group.id, "typing")
    assert group.actions == ["typing"]
    statuses = [(await bot.get_chat_member(group.id, u.id)).status for u in (owner, admin, reader)]
    assert statuses == ["creator", "administrator", "member"]
    assert [m.user.id for m in await bot.get_chat_administrators(group.id)] == [owner.id, admin.id]
    assert (await bot.get_chat(group.id)).title == "Club"
    photo = await bot.send_photo(reader.id, PNG, caption="<b>Trend</b>", parse_mode=ParseMode.HTML)
    stored = emu.sent_to(reader.id)[0]
    assert (stored.photo, stored.text, stored.entities[0]["type"]) == (PNG, "Trend", "bold")
    downloaded = await (await bot.get_file(photo.photo[-1].file_id)).download_as_bytearray()
    assert bytes(downloaded) == PNG
    await bot.send_document(reader.id, b"a,b\n1,2\n", filename="trend.csv")
    assert emu.sent_to(reader.id)[1].document == b"a,b\n1,2\n"
    with pytest.raises(BadRequest, match="Image_process_failed"):
        await bot.send_photo(reader.id, b"not an image")


async def test_command_lists_are_kept_per_scope_and_language(emu: BotApiEmulator, bot: Bot) -> None:
    german, thai = (
        emu.create_user("G", language_code="de"),
        emu.create_user("T", language_code="th"),
    )
    group = emu.create_group("Club", admins=[german])
    await bot.set_my_commands([BotCommand("digest", "Today's digest")])
    await bot.set_my_commands([BotCommand("digest", "Heute")], language_code="de")
    await bot.set_my_commands(
        [BotCommand("stats", "Numbers")], scope=BotCommandScopeChat(group.id), language_code="de"
    )
    # getMyCommands answers exactly the list of that scope and language, no fallback.
    assert [c.description for c in await bot.get_my_commands(language_code="de")] == ["Heute"]
    assert [c.description for c in await bot.get_my_commands()] == ["Today's digest"]
    assert await bot.get_my_commands(language_code="fr") == ()
    chat_scope = BotCommandScopeChat(group.id)
    assert [c.command for c in await bot.get_my_commands(chat_scope, "de")] == ["stats"]
    # What a client shows: the user's language first, then the list for every language.
    assert [c["description"] for c in emu.command_menu(german)] == ["Heute"]
    assert [c["description"] for c in emu.command_menu(thai)] == ["Today's digest"]
    with pytest.raises(BadRequest, match="Invalid language code specified"):
        await bot.set_my_commands([BotCommand("digest", "x")], language_code="deu")
    with pytest.raises(BadRequest, match="Can't use specified scope in private chats"):
        await bot.get_my_commands(BotCommandScopeChatAdministrators(german.id))
    await bot.delete_my_commands(language_code="de")
    assert [c["description"] for c in emu.command_menu(german)] == ["Today's digest"]


async def test_flood_control_answers_429_with_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    # Opt in to PTB 22's timedelta retry_after; the int form warns, and warnings are errors here.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    now = [0.0]
    async with (
        BotApiEmulator(limits=FloodLimits(private_chat_burst=2), clock=lambda: now[0]) as emu,
        Bot(emu.token, base_url=emu.base_url) as bot,
    ):
        user = emu.create_user()
        group = emu.create_group("Busy", members=[user])
        await bot.send_message(user.id, "1")
        await bot.send_message(user.id, "2")
        with pytest.raises(RetryAfter) as refused:
            await bot.send_message(user.id, "3")
        assert refused.value.retry_after == dtm.timedelta(seconds=1)
        for n in range(20):
            await bot.send_message(group.id, str(n))
        with pytest.raises(RetryAfter) as refused:
            await bot.send_message(group.id, "21")
        assert refused.value.retry_after == dtm.timedelta(seconds=3)
        now[0] += 3.0
        await bot.send_message(user.id, "3")
        await bot.send_message(group.id, "21")
    assert emu.rate_limited == 2
    assert [m.text for m in emu.sent_to(user.id)] == ["1", "2", "3"]
    assert [c.status for c in emu.calls_to("sendMessage")].count(429) == 2


async def test_application_polls_the_emulator_and_replies(emu: BotApiEmulator) -> None:
    errors: list[object] = []

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(" ".join(context.args or []))

    async def record_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.append(context.error)

    app = ApplicationBuilder().token(emu.token).base_url(emu.base_url).build()
    app.add_handler(CommandHandler("echo", echo))
    app.add_error_handler(record_error)
    user = emu.create_user()
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0)
    try:
        await emu.wait_until(lambda: emu.pollers == 1)
        user.send_command("/echo hi there")
        reply = await emu.wait_for_message(user.id)
        assert reply.text == "hi there"
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    assert errors == []
    assert [call.method for call in emu.calls[:2]] == ["getMe", "deleteWebhook"]


async def test_a_user_sends_a_document_the_bot_downloads(emu: BotApiEmulator, bot: Bot) -> None:
    from bot.emulator.server import MAX_DOWNLOAD

    reader = emu.create_user("R")
    reader.send_document(
        b"<opml/>", file_name="feeds.opml", mime_type="text/x-opml", caption="mine"
    )
    [update] = await bot.get_updates(timeout=0)
    assert update.message is not None and update.message.document is not None
    document = update.message.document
    assert (document.file_name, document.mime_type, document.file_size) == (
        "feeds.opml",
        "text/x-opml",
        7,
    )
    assert update.message.caption == "mine"
    assert bytes(await (await document.get_file()).download_as_bytearray()) == b"<opml/>"
    # Telegram lets bots download files up to 20 MB.
    reader.send_document(b"x" * (MAX_DOWNLOAD + 1), file_name="huge.opml")
    [_, big] = await bot.get_updates(timeout=0)
    assert big.message is not None and big.message.document is not None
    with pytest.raises(BadRequest, match="File is too big"):
        await bot.get_file(big.message.document.file_id)


async def test_callback_data_longer_than_64_bytes_is_refused_like_telegram(
    emu: BotApiEmulator, bot: Bot
) -> None:
    user = emu.create_user()
    fits = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="é" * 32)]])
    sent = await bot.send_message(user.id, "Digest", reply_markup=fits)  # 64 bytes
    for data in ("x" * 65, "é" * 32 + "x"):  # 65 bytes, the second in 33 characters
        long = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data=data)]])
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await bot.send_message(user.id, "Digest", reply_markup=long)
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await bot.edit_message_reply_markup(user.id, sent.message_id, reply_markup=long)
    assert len(emu.sent_to(user.id)) == 1
    assert emu.sent_to(user.id)[0].button_data("A") == "é" * 32
