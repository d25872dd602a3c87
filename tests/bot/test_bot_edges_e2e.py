"""Edge cases of the bot end to end: group rules on buttons and deep links, escaping of echoed input,
lists as long as the limits allow, and repeated taps Telegram answers with "message is not
modified", through the real Application and the emulator."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.emulator import SentMessage, User, parse_html, utf16_len
from bot.replies import send_html
from store.models import AlertRule, Chat, Subscription
from tests.bot.harness import Harness

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_errors")]


async def _subscriptions(harness: Harness, chat_id: int) -> int:
    async with harness.services.sessionmaker() as session:
        count = await session.scalar(
            select(func.count()).select_from(Subscription).where(Subscription.chat_id == chat_id)
        )
    return int(count or 0)


async def test_a_deep_link_in_a_group_subscribes_only_for_its_admins(harness: Harness) -> None:
    owner, member = harness.user("Owner"), harness.user("Member")
    group = harness.emulator.create_group("Readers", members=[member], admins=[owner])
    member.send_command("/start energy", chat=group)
    refused = await harness.emulator.wait_for_message(group.id)
    assert refused.text == "Only this group's admins can change its settings."
    assert await _subscriptions(harness, group.id) == 0
    owner.send_command("/start energy", chat=group)
    await harness.emulator.wait_for_message(group.id, lambda m: "Subscribed" in m.text)
    assert await _subscriptions(harness, group.id) == 1


async def test_group_buttons_pressed_by_members_change_nothing(harness: Harness) -> None:
    owner, member = harness.user("Chair"), harness.user("Guest")
    group = harness.emulator.create_group("Board", members=[member], admins=[owner])
    owner.send_command("/settings", chat=group)
    panel = await harness.emulator.wait_for_message(group.id, lambda m: "Settings" in m.text)
    owner.send_command("/sources", chat=group)
    catalog = await harness.emulator.wait_for_message(group.id, lambda m: "Sources" in m.text)
    mark = len(group.messages)
    await harness.press(member, panel, "12 stories")
    await harness.press(member, catalog, "Energy Wire")
    await harness.emulator.wait_until(lambda: len(group.messages) >= mark + 2)
    assert [m.text for m in group.messages[mark:]] == [
        "Only this group's admins can change its settings."
    ] * 2
    async with harness.services.sessionmaker() as session:
        chat = await session.get(Chat, group.id)
    assert chat is not None and chat.items_per_digest == 8
    assert await _subscriptions(harness, group.id) == 0
    await harness.press(owner, panel, "12 stories")
    await harness.emulator.wait_until(lambda: "Stories per digest: 12" in panel.text)


async def test_echoed_input_is_escaped_not_sent_as_markup(harness: Harness) -> None:
    user = harness.user("Mallory")
    user.send_command("/start <b>&amp;x")
    unknown_topic = await harness.emulator.wait_for_message(user.id, lambda m: "topic" in m.text)
    assert unknown_topic.html is not None  # sent as HTML, not the plain-text fallback
    assert "There is no topic “<b>&amp;x”" in unknown_topic.text
    user.send_command("/x<i>")
    unknown = await harness.emulator.wait_for_message(user.id, lambda m: "know" in m.text)
    assert unknown.html is not None and unknown.text.startswith("I don't know /x<i>")


async def test_the_longest_list_of_alerts_the_limits_allow_fits_one_message(
    harness: Harness,
) -> None:
    user = harness.user("Collector")
    limits = harness.services.settings.limits
    for n in range(limits.alerts_per_chat):
        # As long as an alert may be, in as few words as it may have.
        words = " ".join(f"word{n}x{k}" + "y" * 20 for k in range(12))[: limits.alert_query_chars]
        user.send_command(f"/alert {words.rsplit(' ', 1)[0]}")
        await harness.emulator.wait_for_message(user.id, lambda m: "Alert added" in m.text)
    listing = await harness.ask(user, "/alerts")
    assert listing.html is not None
    visible, _ = parse_html(listing.html)
    assert utf16_len(visible) <= 4096
    assert f"{limits.alerts_per_chat}. word{limits.alerts_per_chat - 1}x0" in visible
    # A remove and a mode button per rule: 100, the most a Telegram keyboard holds.
    assert len(listing.buttons) == 2 * limits.alerts_per_chat


LONG_TEXT = " ".join(
    f"The harbour council met on day {n} and approved {n * 3} million euros for the quay."
    for n in range(12)
)


async def test_only_new_private_messages_are_summarized_unasked(harness: Harness) -> None:
    owner = harness.user("Poster")
    channel = harness.emulator.create_group("Harbour Post", admins=[owner], kind="channel")
    group = harness.emulator.create_group("Chatters", admins=[owner])
    post = {"message_id": 1, "chat": channel.to_api(), "date": 1, "text": LONG_TEXT}
    harness.emulator.push_update("channel_post", post)
    owner.send_text(harness.server.url("/articles/wind-farm-a.html"), chat=group)
    owner.send_text(LONG_TEXT, chat=group)
    edited = {
        "message_id": 5,
        "from": owner.to_api(),
        "chat": owner.private_chat.to_api(),
        "date": 1,
        "edit_date": 2,
        "text": "/alert quakes",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
    }
    harness.emulator.push_update("edited_message", edited)
    # A later request answered means the earlier updates were dispatched (and passed over).
    await harness.ask(owner, "/alerts")
    assert channel.messages == [] and channel.actions == []
    assert group.messages == [] and group.actions == []
    async with harness.services.sessionmaker() as session:
        count = await session.scalar(
            select(func.count()).select_from(AlertRule).where(AlertRule.chat_id == owner.id)
        )
    assert count == 0


async def test_made_up_settings_buttons_change_nothing(harness: Harness) -> None:
    user = harness.user("Forger")
    panel = await harness.ask(user, "/settings")
    for data in ("set:items:100000", "set:sched:garbage", "set:sent:x"):
        answer = await harness.press_made_up(user, panel, data)
        assert answer["text"].startswith("That button is out of date")
    async with harness.services.sessionmaker() as session:
        chat = await session.get(Chat, user.id)
    assert chat is not None
    assert (chat.items_per_digest, chat.digest_schedule) == (8, "daily 08:00")


async def test_forged_buttons_are_answered_as_out_of_date_and_change_nothing(
    harness: Harness,
) -> None:
    other = harness.user("Victim")
    catalog = await harness.ask(other, "/sources")
    await harness.press(other, catalog, "Energy Wire")
    await harness.ask(other, "/alert lighthouse")
    async with harness.services.sessionmaker() as session:
        others_feed = await session.scalar(
            select(Subscription.feed_id).where(Subscription.chat_id == other.id)
        )
        others_rule = await session.scalar(
            select(AlertRule.id).where(AlertRule.chat_id == other.id)
        )
    user = harness.user("Tinkerer")
    welcome = await harness.ask(user, "/start")
    forged = [
        "topic:<b>nope",
        "cat:x:0",
        "cat:0:999999999999999999999999",
        "cat:99:0",
        "catp:99999999999999999999999",
        "catp:",
        "rm:99999999999999999999999",
        f"rm:{others_feed}",
        "rm:-1",
        "al:rm:99999999999999999999999",
        f"al:rm:{others_rule}",
        f"al:mode:{others_rule}",
        "al:mode:x",
        "mw:rm:99999999999999999999999",
        "mw:rm:",
        "sr:1",
        "sr:x:0",
        "sr:",
        "set:items:100000",
        "stop:maybe",
        "no-such-button",
    ]
    for data in forged:
        answer = await harness.press_made_up(user, welcome, data)
        assert answer["text"].startswith("That button is out of date"), data
    assert await _subscriptions(harness, user.id) == 0
    assert await _subscriptions(harness, other.id) == 1
    assert "lighthouse" in (await harness.ask(other, "/alerts")).text
    assert [m.text for m in harness.emulator.sent_to(user.id)] == [welcome.text]  # nothing more


async def test_summary_in_reply_to_a_short_message_with_a_link_reads_the_link(
    harness: Harness,
) -> None:
    user = harness.user("Sharer")
    url = harness.server.url("/articles/wind-farm-a.html")
    shared = {
        "message_id": 77,
        "date": 1,
        "chat": user.private_chat.to_api(),
        "from": user.to_api(),
        "text": f"Look at this: {url}. Via a friend",
    }
    entity = [{"type": "bot_command", "offset": 0, "length": 8}]
    user.send_text("/summary", entities=entity, reply_to_message=shared)
    answer = await harness.emulator.wait_for_message(user.id, lambda m: "min read" in m.text)
    assert "Storm cuts power cable to offshore wind farm" in answer.text


def _unchanged_edits(harness: Harness) -> int:
    """Edits the emulator refused as Telegram does: 400 "message is not modified"."""
    return sum(
        1
        for call in harness.emulator.calls
        if call.method.startswith("editMessage") and call.status == 400
    )


def _data(message: SentMessage, label: str) -> str:
    return next(str(b["callback_data"]) for b in message.buttons if label in b.get("text", ""))


async def _double_tap(harness: Harness, user: User, message: SentMessage, label: str) -> None:
    """Two taps on one button before the bot has answered the first, as an impatient thumb does."""
    data = _data(message, label)
    first, second = user.press_button(message, data), user.press_button(message, data)
    await harness.handled(first, second)


def _assert_no_apology(harness: Harness, user: User) -> None:
    assert not [m.text for m in harness.emulator.sent_to(user.id) if "Sorry" in m.text]


async def test_tapping_the_selected_setting_answers_saved_without_an_apology(
    harness: Harness,
) -> None:
    user = harness.user("Settler")
    panel = await harness.ask(user, "/settings")
    refused = _unchanged_edits(harness)
    query_id = user.press_button(panel, _data(panel, "Daily 08:00"))  # already selected
    await harness.handled(query_id)
    assert _unchanged_edits(harness) == refused + 1
    answer = harness.emulator.callback_answers[query_id]
    assert answer is not None and answer["text"] == "Saved"
    _assert_no_apology(harness, user)


async def test_double_next_in_sources_turns_the_page_once(harness: Harness) -> None:
    user = harness.user("Pager")
    catalog = await harness.ask(user, "/sources")
    refused = _unchanged_edits(harness)
    await _double_tap(harness, user, catalog, "Next")
    assert _unchanged_edits(harness) == refused + 1
    assert any("Previous" in b["text"] for b in catalog.buttons)
    _assert_no_apology(harness, user)


async def test_double_tap_on_remove_removes_once(harness: Harness) -> None:
    user = harness.user("Remover")
    catalog = await harness.ask(user, "/sources")
    await harness.press(user, catalog, "Energy Wire")
    listing = await harness.ask(user, "/remove")
    await _double_tap(harness, user, listing, "Energy Wire")
    assert listing.buttons == []
    _assert_no_apology(harness, user)


async def test_double_tap_on_an_alert_remove_button(harness: Harness) -> None:
    user = harness.user("Unalerter")
    await harness.ask(user, "/alert harbour")
    listing = await harness.ask(user, "/alerts")
    await _double_tap(harness, user, listing, "harbour")
    assert listing.text.startswith("You have no alerts")
    _assert_no_apology(harness, user)


async def test_cancel_twice_in_stop_deletes_nothing_and_apologises_for_nothing(
    harness: Harness,
) -> None:
    user = harness.user("Hesitant")
    await harness.ask(user, "/alert quay")
    question = await harness.ask(user, "/stop")
    await _double_tap(harness, user, question, "Cancel")
    assert question.text == "Nothing was deleted."
    _assert_no_apology(harness, user)
    assert "quay" in (await harness.ask(user, "/alerts")).text


@pytest.mark.parametrize(
    "command",
    ["/timezone", "/settings", "/search", "/quiet", "/alert", "/add", "/trend", "/start"],
)
async def test_a_long_argument_is_echoed_only_as_a_short_excerpt(
    harness: Harness, command: str
) -> None:
    user = harness.user("Verbose")
    # Words Telegram keeps as they are, 4,000 characters of them: more than a reply can hold
    # once the reply's own words are added.
    argument = " ".join(f"zq{n:03d}x" for n in range(572))[:4000]
    user.send_command(f"{command} {argument}")
    answer = await harness.emulator.wait_for_message(user.id, timeout=20)
    assert answer.text and utf16_len(answer.text) <= 4096
    assert "zq000x" not in answer.text or "zq010x" not in answer.text  # an excerpt at most
    assert "Sorry" not in answer.text


async def test_a_reply_too_long_for_telegram_is_cut_where_replies_are_sent(
    harness: Harness,
) -> None:
    user = harness.user("Reader")
    await send_html(harness.app.bot, user.id, "<b>Long</b> " + "word &amp; " * 700)
    answer = await harness.emulator.wait_for_message(user.id)
    assert utf16_len(answer.text) <= 4096 and answer.text.endswith("…")
    assert answer.text.startswith("Long word & word")


async def test_a_new_users_first_commands_arriving_together_both_work(harness: Harness) -> None:
    for name in ("Eager", "Keen", "Prompt"):
        user = harness.user(name)
        # One batch of updates, handled concurrently: each finds no chat row and creates one.
        user.send_command("/start")
        user.send_command("/alert harbour")
        user.send_command("/settings")
        chat = harness.emulator.sent_to(user.id)
        await harness.emulator.wait_until(lambda chat=chat: len(chat) >= 3)
        assert harness.errors == []
        async with harness.services.sessionmaker() as session:
            rules = await session.scalars(
                select(AlertRule.query).where(AlertRule.chat_id == user.id)
            )
            assert list(rules) == ["harbour"]
            assert await session.get(Chat, user.id) is not None


async def test_a_time_zone_that_does_not_exist_is_refused_not_replaced(harness: Harness) -> None:
    user = harness.user("Islander")
    refused = await harness.ask(user, "/timezone Etc/GMT+13")
    assert refused.text.startswith("Unknown time zone 'Etc/GMT+13'")
    accepted = await harness.ask(user, "/timezone etc/gmt+12")
    assert "Etc/GMT+12" in accepted.text
    async with harness.services.sessionmaker() as session:
        chat = await session.get(Chat, user.id)
    assert chat is not None and chat.timezone == "Etc/GMT+12"


@pytest.mark.parametrize(
    "address", ["file:///etc/passwd", "gopher://example.org/1", "FTP://example.org/feed.xml"]
)
async def test_add_refuses_schemes_other_than_http(harness: Harness, address: str) -> None:
    user = harness.user("Schemer")
    answer = await harness.ask(user, f"/add {address}")
    assert answer.text == "I can only add http and https addresses."


@pytest.mark.parametrize("address", ["notaurl", "http://news", "https://"])
async def test_add_of_something_that_is_no_web_address_says_so(
    harness: Harness, address: str
) -> None:
    user = harness.user("Typist")
    answer = await harness.ask(user, f"/add {address}")
    assert answer.text == "That is not a web address: send a link such as example.com/feed."


async def test_add_of_a_private_address_does_not_mention_server_settings(
    harness: Harness,
) -> None:
    user = harness.user("Prober")
    answer = await harness.ask(user, "/add 10.1.2.3:8080/feed.xml", timeout=20)
    assert answer.text == "I could not add that source: this address is not allowed"


async def test_commands_for_another_bot_are_ignored(harness: Harness) -> None:
    user = harness.user("Multibot")
    group = harness.emulator.create_group("Bots", admins=[user])
    sent = [
        (group.id, user.send_command("/digest@otherbot", chat=group)),
        (group.id, user.send_command("/poll", chat=group)),
        (group.id, user.send_command("/poll@otherbot", chat=group)),
        (user.id, user.send_command("/poll@otherbot")),
    ]
    for chat_id, message_id in sent:
        await harness.handled_message(chat_id, message_id)
    assert harness.emulator.sent_to(group.id) == []
    assert harness.emulator.sent_to(user.id) == []
    mine = await harness.ask(user, "/poll@newsdigest_test_bot")
    assert mine.text.startswith("I don't know /poll")
