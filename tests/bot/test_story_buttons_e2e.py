"""Per-story buttons under digests and alerts (issue #15), through the real bot and emulator."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.context import Context
from bot.emulator import SentMessage, User
from bot.handlers.buttons import STALE_BUTTON, checks_buttons
from bot.handlers.stories import MORE_REPLY_HOLD, offered_story
from jobs.digests import DigestOptions, queue_due_digests
from jobs.i18n import translation
from store import deliveries
from store.models import Chat, Delivery, DeliveryKind, Subscription, Summary, utcnow
from tests.bot.harness import Harness
from tests.feedserver import Route, story_text

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_errors")]


def _route(harness: Harness, path: str, title: str, items: list[tuple[str, int]]) -> str:
    """Serve an RSS feed at ``path`` with (title, seed) items; returns its URL."""
    entries = "".join(
        f"<item><title>{name}</title><link>{harness.server.url(f'{path}/{seed}.html')}</link>"
        f"<guid>{path}-{seed}</guid><description>{story_text(seed)}</description></item>"
        for name, seed in items
    )
    feed = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"{entries}</channel></rss>"
    )
    harness.server.route(path, Route(feed.encode()))
    return harness.server.url(path)


async def _add(harness: Harness, user: User, url: str) -> None:
    """Subscribe to the feed and store what it has (the backlog, which /digest shows)."""
    added = await harness.ask(user, f"/add {url}", timeout=20)
    assert added.text.startswith("✅"), added.text  # "Added …", in the reader's language
    await harness.ingest()


async def _digest(harness: Harness, user: User, *, chat_id: int | None = None) -> SentMessage:
    where = harness.emulator.chats[chat_id] if chat_id is not None else None
    asked = user.send_command("/digest", chat=where)
    digest = await harness.emulator.wait_for_message(
        chat_id or user.id, lambda m: "Your digest" in m.text, timeout=20
    )
    # The message is recorded with its stories once sent: a tap quicker than that is stale.
    await harness.handled_message(chat_id or user.id, asked)
    return digest


def _numbers(message: SentMessage) -> dict[str, str]:
    return {b["text"]: b["callback_data"] for b in message.buttons}


async def _tap(harness: Harness, user: User, message: SentMessage, data: str) -> dict[str, Any]:
    """Press the button with ``data``; returns how the bot answered the tap."""
    query_id = user.press_button(message, data)
    await harness.handled(query_id)
    answer = harness.emulator.callback_answers[query_id]
    assert answer is not None
    return answer


async def _forged(harness: Harness, user: User, message: SentMessage, data: str) -> str:
    query_id = user.forge_button(message, data)
    await harness.handled(query_id)
    answer = harness.emulator.callback_answers[query_id]
    assert answer is not None
    return str(answer["text"])


async def _muted(harness: Harness, chat_id: int) -> set[int]:
    async with harness.services.sessionmaker() as session:
        rows = await session.scalars(
            select(Subscription.feed_id).where(
                Subscription.chat_id == chat_id, Subscription.muted_at.is_not(None)
            )
        )
        return set(rows)


async def test_digest_numbers_open_a_story_whose_more_replies_with_its_full_summary(
    harness: Harness,
) -> None:
    user = harness.user("Numbers")
    url = _route(harness, "/sb/one.xml", "Quay Times", [(f"Quay story {n}", n) for n in range(3)])
    await _add(harness, user, url)
    digest = await _digest(harness, user)
    numbers = _numbers(digest)
    assert list(numbers) == ["1", "2", "3"]
    assert all(data.startswith("st:") for data in numbers.values())
    first_row = digest.reply_markup

    await _tap(harness, user, digest, numbers["2"])
    actions = _numbers(digest)
    article = numbers["2"].removeprefix("st:")
    assert actions == {
        "➕ More on 2": f"mo:{article}",
        "🔔 Follow": f"fo:{article}",
        "🔇 Mute Quay Times": actions["🔇 Mute Quay Times"],
        "↩ Back": "bk",
    }
    assert actions["🔇 Mute Quay Times"].endswith(f":{article}")

    await _tap(harness, user, digest, f"mo:{article}")
    more = await harness.emulator.wait_for_message(user.id, lambda m: "min read" in m.text)
    assert more.reply_to_message_id == digest.message_id
    async with harness.services.sessionmaker() as session:
        summary = await session.scalar(select(Summary).where(Summary.article_id == int(article)))
    assert summary is not None and len(summary.sentences) >= 2
    # Every sentence the summarizer kept (the digest item shows two), its names and figures.
    assert all(sentence in more.text for sentence in summary.sentences)
    assert "📍" in more.text or "👤" in more.text
    assert "📊" in more.text and "source" in more.text

    await _tap(harness, user, digest, "bk")
    assert digest.reply_markup == first_row


ALREADY_REPLIED = "The full summary is in the reply under this message."
ON_ITS_WAY = "The full summary is on its way."


def _replies(harness: Harness, chat_id: int, message: SentMessage) -> list[SentMessage]:
    """The bot's replies under ``message`` (More's full summaries)."""
    return [
        m
        for m in harness.emulator.sent_to(chat_id)
        if m.reply_to_message_id == message.message_id and "min read" in m.text
    ]


async def _story_actions(harness: Harness, user: User, path: str, seed: int) -> SentMessage:
    """A digest of one story whose keyboard shows that story's actions."""
    url = _route(harness, path, f"Tap Gazette {seed}", [(f"Tap story {seed}", seed)])
    await _add(harness, user, url)
    digest = await _digest(harness, user)
    await _tap(harness, user, digest, _numbers(digest)["1"])
    return digest


async def _more_row(harness: Harness, chat_id: int) -> Delivery:
    async with harness.services.sessionmaker() as session:
        [row] = await session.scalars(
            select(Delivery).where(
                Delivery.chat_id == chat_id, Delivery.kind == DeliveryKind.SUMMARY
            )
        )
    return row


async def _dead_handler_claim(
    harness: Harness,
    chat_id: int,
    message: SentMessage,
    article: str,
    text: str,
    tapped_at: datetime,
) -> None:
    """What a More handler killed after its claim leaves behind: the claim, made at
    ``tapped_at``, of a reply under ``message``."""
    async with harness.services.sessionmaker() as session, session.begin():
        await deliveries.claim_reply(
            session,
            chat_id=chat_id,
            kind=DeliveryKind.SUMMARY,
            item_key=f"more:{message.message_id}:{article}",
            payload={"text": text, "reply_to": message.message_id},
            now=tapped_at,
            hold=MORE_REPLY_HOLD,
        )


async def test_a_double_tap_on_more_sends_one_reply(harness: Harness) -> None:
    user = harness.user("Double tapper")
    digest = await _story_actions(harness, user, "/sb/double.xml", 1001)
    more = _numbers(digest)["➕ More on 1"]
    # Both taps reach the bot before either is handled, as a quick double tap does.
    first, second = user.press_button(digest, more), user.press_button(digest, more)
    await harness.handled(first, second)
    assert len(_replies(harness, user.id, digest)) == 1
    notes = sorted(
        str((harness.emulator.callback_answers[q] or {}).get("text") or "") for q in (first, second)
    )
    # One tap sends it; the other is pointed to it (sent by then, or on its way).
    assert notes[0] == "" and notes[1] in {ALREADY_REPLIED, ON_ITS_WAY}
    # Later taps too: the reply is there, under the message.
    assert (await _tap(harness, user, digest, more))["text"] == ALREADY_REPLIED
    assert len(_replies(harness, user.id, digest)) == 1
    assert (await _more_row(harness, user.id)).status == "sent"


async def test_a_more_reply_whose_handler_died_is_sent_once_by_the_sender(
    harness: Harness,
) -> None:
    """kill -9 after the tap claimed its reply and before Telegram had it: the row waits,
    held from the sender while a live handler could still be sending it, then goes out once."""
    user = harness.user("Crash tapper")
    digest = await _story_actions(harness, user, "/sb/crash.xml", 1002)
    article = _numbers(digest)["➕ More on 1"].removeprefix("mo:")
    sender = harness.app.bot_data.runtime.pipeline.sender
    assert sender is not None

    await _dead_handler_claim(
        harness, user.id, digest, article, "<b>Tap story 1002</b> · 1 min read", utcnow()
    )
    await sender.send_due()
    assert _replies(harness, user.id, digest) == []  # held: the handler might still be sending
    assert (await _tap(harness, user, digest, f"mo:{article}"))["text"] == ON_ITS_WAY
    async with harness.services.sessionmaker() as session, session.begin():
        row = await session.get(Delivery, (await _more_row(harness, user.id)).id)
        assert row is not None
        row.next_attempt_at = utcnow() - timedelta(seconds=1)  # the hold is over
    await sender.send_due()
    [reply] = _replies(harness, user.id, digest)
    assert reply.text == "Tap story 1002 · 1 min read"
    assert (await _tap(harness, user, digest, f"mo:{article}"))["text"] == ALREADY_REPLIED
    await sender.send_due()
    assert len(_replies(harness, user.id, digest)) == 1


async def test_a_tap_too_old_to_answer_still_gets_its_reply(harness: Harness) -> None:
    user = harness.user("Late tapper")
    digest = await _story_actions(harness, user, "/sb/late.xml", 1003)
    tapped = user.press_button(digest, _numbers(digest)["➕ More on 1"])
    # Telegram no longer takes an answer to it ("query is too old"), as after a backlog.
    harness.emulator.callback_answers[tapped] = {"text": "answered elsewhere"}
    await harness.handled(tapped)
    assert len(_replies(harness, user.id, digest)) == 1
    assert (await _more_row(harness, user.id)).status == "sent"


async def test_a_more_reply_telegram_refused_is_sent_by_the_sender_or_asked_for_again(
    harness: Harness,
) -> None:
    user = harness.user("Blocked tapper")
    digest = await _story_actions(harness, user, "/sb/blocked.xml", 1004)
    more = _numbers(digest)["➕ More on 1"]
    user.block_bot()  # the send answers 403: the handler hands the reply to the sender
    await _tap(harness, user, digest, more)
    assert (await _more_row(harness, user.id)).next_attempt_at <= utcnow()
    sender = harness.app.bot_data.runtime.pipeline.sender
    assert sender is not None
    await sender.send_due()  # 403 again: the chat is marked gone and its rows dropped
    assert (await _more_row(harness, user.id)).status == "dropped"
    user.unblock_bot()
    # A copy that was dropped does not stand in the way: the next tap sends it.
    assert (await _tap(harness, user, digest, more)).get("text") in (None, "")
    assert len(_replies(harness, user.id, digest)) == 1
    assert (await _more_row(harness, user.id)).status == "sent"


async def test_a_more_reply_whose_message_was_deleted_is_sent_on_its_own(
    harness: Harness,
) -> None:
    """Telegram refuses a reply to a deleted message unless told to send it alone; the handler
    and the sender both do."""
    user = harness.user("Deleter")
    digest = await _story_actions(harness, user, "/sb/deleted.xml", 1005)
    article = _numbers(digest)["➕ More on 1"].removeprefix("mo:")
    sender = harness.app.bot_data.runtime.pipeline.sender
    assert sender is not None
    before = len(harness.emulator.sent_to(user.id))
    digest.deleted = True  # the reader deleted the digest; the tap was already on its way
    query_id = user.forge_button(digest, f"mo:{article}")
    await harness.handled(query_id)
    [alone] = harness.emulator.sent_to(user.id)[before:]
    assert "min read" in alone.text and alone.reply_to_message_id is None
    # The sender's copy, after a handler died, is sent alone too.
    other = await _story_actions(harness, user, "/sb/deleted-2.xml", 1006)
    await _dead_handler_claim(
        harness, user.id, other, article, "Deleted story · 1 min read", utcnow() - MORE_REPLY_HOLD
    )
    other.deleted = True
    await sender.send_due()
    assert harness.emulator.sent_to(user.id)[-1].text == "Deleted story · 1 min read"
    assert harness.emulator.sent_to(user.id)[-1].reply_to_message_id is None


async def test_a_more_reply_in_a_chat_marked_gone_is_asked_for_again(harness: Harness) -> None:
    """The sender never sends to a chat marked inactive (it answered 403 once): a reply the
    handler could not send there fails, and the next tap sends it, instead of 'on its way'
    forever."""
    user = harness.user("Returning blocker")
    digest = await _story_actions(harness, user, "/sb/gone.xml", 1007)
    async with harness.services.sessionmaker() as session, session.begin():
        chat = await session.get(Chat, user.id)
        assert chat is not None
        chat.active = False
    more = _numbers(digest)["➕ More on 1"]
    user.block_bot()
    await _tap(harness, user, digest, more)
    assert (await _more_row(harness, user.id)).status == "failed"
    user.unblock_bot()
    await _tap(harness, user, digest, more)
    assert len(_replies(harness, user.id, digest)) == 1


async def test_mute_source_leaves_it_out_of_digests_and_alerts_until_unmuted(
    harness: Harness,
) -> None:
    user = harness.user("Muter")
    quiet = _route(harness, "/sb/quiet.xml", "Noisy Post", [("Noisy story", 101)])
    kept = _route(harness, "/sb/kept.xml", "Calm Herald", [("Calm story", 201)])
    await _add(harness, user, quiet)
    await _add(harness, user, kept)
    await harness.ask(user, "/alert zephyrine")
    digest = await _digest(harness, user)
    assert "Noisy Post" in digest.text and "Calm Herald" in digest.text
    noisy = "1" if digest.text.index("Noisy story") < digest.text.index("Calm story") else "2"
    await _tap(harness, user, digest, _numbers(digest)[noisy])
    answer = await _tap(harness, user, digest, _numbers(digest)["🔇 Mute Noisy Post"])
    assert "Muted Noisy Post" in answer["text"] and "/mysources" in answer["text"]
    assert "🔊 Unmute Noisy Post" in _numbers(digest)  # the undo is where the tap was
    [feed_id] = await _muted(harness, user.id)

    # The next digest has only the other source; so have the alerts.
    again = await _digest(harness, user)
    assert "Calm Herald" in again.text and "Noisy Post" not in again.text
    _route(harness, "/sb/quiet.xml", "Noisy Post", [("Noisy zephyrine", 102)])
    _route(harness, "/sb/kept.xml", "Calm Herald", [("Calm zephyrine", 202)])
    await harness.app.bot_data.runtime.pipeline.ingest_everything_now()
    sender = harness.app.bot_data.runtime.pipeline.sender
    assert sender is not None
    await sender.send_due()
    alert = await harness.emulator.wait_for_message(
        user.id, lambda m: "Calm zephyrine" in m.text, since=0
    )
    assert "🔇 Mute Calm Herald" in _numbers(alert)
    assert not any("Noisy zephyrine" in m.text for m in harness.emulator.sent_to(user.id))

    listing = await harness.ask(user, "/mysources")
    assert "Noisy Post 🔇 muted" in listing.text and "Calm Herald 🔇" not in listing.text
    answer = await _tap(harness, user, listing, f"um:{feed_id}")
    assert "Noisy Post is back" in answer["text"]
    assert await _muted(harness, user.id) == set()
    assert "muted" not in listing.text and listing.buttons == []
    back = await _digest(harness, user)
    assert "Noisy Post" in back.text


async def test_an_alert_carries_the_story_actions(harness: Harness) -> None:
    user = harness.user("Alerted")
    url = _route(harness, "/sb/alerting.xml", "Tide Wire", [("Tide story", 301)])
    await _add(harness, user, url)
    await harness.ask(user, "/alert quokkas")
    _route(harness, "/sb/alerting.xml", "Tide Wire", [("Tide quokkas arrive", 302)])
    await harness.app.bot_data.runtime.pipeline.ingest_everything_now()
    sender = harness.app.bot_data.runtime.pipeline.sender
    assert sender is not None
    await sender.send_due()
    alert = await harness.emulator.wait_for_message(user.id, lambda m: "Tide quokkas" in m.text)
    buttons = _numbers(alert)
    assert set(buttons) == {"➕ More", "🔔 Follow", "🔇 Mute Tide Wire"}
    article = buttons["🔔 Follow"].removeprefix("fo:")
    assert buttons["➕ More"] == f"mo:{article}"
    await _tap(harness, user, alert, f"mo:{article}")
    more = await harness.emulator.wait_for_message(user.id, lambda m: "min read" in m.text)
    assert more.reply_to_message_id == alert.message_id and "Tide quokkas" in more.text
    # Muting from an alert turns its button into the undo, and keeps the other actions.
    await _tap(harness, user, alert, buttons["🔇 Mute Tide Wire"])
    assert set(_numbers(alert)) == {"➕ More", "🔔 Follow", "🔊 Unmute Tide Wire"}
    await _tap(harness, user, alert, _numbers(alert)["🔊 Unmute Tide Wire"])
    assert await _muted(harness, user.id) == set()


async def test_a_scheduled_digest_is_queued_with_each_messages_own_numbers(
    harness: Harness,
) -> None:
    user = harness.user("Scheduled")
    url = _route(harness, "/sb/sched.xml", "Dock Daily", [("Dock old", 401)])
    await _add(harness, user, url)
    _route(harness, "/sb/sched.xml", "Dock Daily", [(f"Dock news {n}", 402 + n) for n in range(3)])
    await harness.app.bot_data.runtime.pipeline.ingest_everything_now()
    async with harness.services.sessionmaker() as session, session.begin():
        chat = await session.get(Chat, user.id)
        assert chat is not None
        chat.next_digest_at = utcnow() - timedelta(minutes=1)
    await queue_due_digests(
        harness.services.sessionmaker, options=DigestOptions(settle=timedelta(0))
    )
    async with harness.services.sessionmaker() as session:
        [queued] = await session.scalars(
            select(Delivery).where(
                Delivery.chat_id == user.id, Delivery.kind == DeliveryKind.DIGEST
            )
        )
    # The keyboard and the stories it names are in the outbox row: a crash loses neither.
    assert [story["n"] for story in queued.payload["stories"]] == [1, 2, 3]
    sender = harness.app.bot_data.runtime.pipeline.sender
    assert sender is not None
    await sender.send_due()
    digest = await harness.emulator.wait_for_message(
        user.id, lambda m: "Your digest" in m.text, since=0
    )
    assert digest.reply_markup == queued.payload["reply_markup"]
    await _tap(harness, user, digest, _numbers(digest)["3"])
    assert "➕ More on 3" in _numbers(digest)


async def test_forged_or_old_story_data_is_answered_as_out_of_date(harness: Harness) -> None:
    user, other = harness.user("Forger"), harness.user("Victim")
    mine = _route(harness, "/sb/mine.xml", "Own Gazette", [("Own story", 501)])
    theirs = _route(harness, "/sb/theirs.xml", "Their Gazette", [("Their story", 601)])
    await _add(harness, user, mine)
    await _add(harness, other, theirs)
    digest = await _digest(harness, user)
    foreign = await _digest(harness, other)
    their_article = _numbers(foreign)["1"].removeprefix("st:")
    my_article = _numbers(digest)["1"].removeprefix("st:")
    async with harness.services.sessionmaker() as session:
        their_feed = await session.scalar(
            select(Subscription.feed_id).where(Subscription.chat_id == other.id)
        )
    help_reply = await harness.ask(user, "/help")
    assert "tap a story's number" in help_reply.text and "🔇 Mute its source" in help_reply.text
    for data in [
        f"st:{their_article}",  # another chat's article
        f"mo:{their_article}",
        f"mu:{their_feed}:{my_article}",  # not the story's feed
        f"mu:{their_feed}:{their_article}",
        f"um:{their_feed}",  # not a muted source of this chat
        "st:abc",
        "st:" + "9" * 18,
        "st:" + "1" * 19,
        "st:" + "1" * 62,  # 65 bytes: no button of Telegram's carries it
        "mu:1",
        "mu:1:2:3",
        "bk:1",
    ]:
        assert await _forged(harness, user, digest, data) == STALE_BUTTON, data
    # The right data on a message that showed no stories.
    assert await _forged(harness, user, help_reply, f"mo:{my_article}") == STALE_BUTTON
    assert await _forged(harness, user, help_reply, "bk") == STALE_BUTTON
    assert await _muted(harness, other.id) == set()
    assert len([m for m in harness.emulator.sent_to(other.id) if "min read" in m.text]) == 0


async def test_in_a_group_anyone_reads_more_and_only_admins_mute(harness: Harness) -> None:
    owner, member = harness.user("GroupOwner"), harness.user("GroupMember")
    group = harness.emulator.create_group("Readers", members=[owner, member], admins=[owner])
    url = _route(harness, "/sb/group.xml", "Group Ledger", [("Group story", 701)])
    owner.send_command(f"/add {url}", chat=group)
    await harness.emulator.wait_for_message(group.id, lambda m: "Added" in m.text, timeout=20)
    await harness.ingest()
    digest = await _digest(harness, member, chat_id=group.id)
    await _tap(harness, member, digest, _numbers(digest)["1"])
    article = _numbers(digest)["🔔 Follow"].removeprefix("fo:")
    await _tap(harness, member, digest, f"mo:{article}")
    more = await harness.emulator.wait_for_message(group.id, lambda m: "min read" in m.text)
    assert more.reply_to_message_id == digest.message_id
    # The group has its reply: the next member who asks is pointed to it.
    assert (await _tap(harness, owner, digest, f"mo:{article}"))["text"] == ALREADY_REPLIED
    assert len(_replies(harness, group.id, digest)) == 1
    mute = _numbers(digest)["🔇 Mute Group Ledger"]
    await _tap(harness, member, digest, mute)
    await harness.emulator.wait_for_message(
        group.id, lambda m: "Only this group's admins" in m.text
    )
    assert await _muted(harness, group.id) == set()
    await _tap(harness, owner, digest, mute)
    assert len(await _muted(harness, group.id)) == 1


async def test_a_story_of_a_removed_source_still_reads_more_but_offers_no_mute(
    harness: Harness,
) -> None:
    user = harness.user("Remover")
    url = _route(harness, "/sb/removed.xml", "Gone Weekly", [("Gone story", 801)])
    await _add(harness, user, url)
    digest = await _digest(harness, user)
    number = _numbers(digest)["1"]
    await _tap(harness, user, digest, number)
    mute = _numbers(digest)["🔇 Mute Gone Weekly"]
    await _tap(harness, user, digest, "bk")
    offer = await harness.ask(user, "/remove")
    await harness.press(user, offer, "Gone Weekly")
    await _tap(harness, user, digest, number)
    assert set(_numbers(digest)) == {"➕ More on 1", "🔔 Follow", "↩ Back"}
    assert await _forged(harness, user, digest, mute) == STALE_BUTTON
    await _tap(harness, user, digest, _numbers(digest)["➕ More on 1"])
    await harness.emulator.wait_for_message(user.id, lambda m: "min read" in m.text)


async def test_muting_drops_the_sources_alerts_still_waiting(harness: Harness) -> None:
    user = harness.user("Paused muter")
    url = _route(harness, "/sb/held.xml", "Held Courier", [("Held story", 901)])
    await _add(harness, user, url)
    await harness.ask(user, "/alert kestrels")
    digest = await _digest(harness, user)
    await harness.ask(user, "/pause")
    _route(harness, "/sb/held.xml", "Held Courier", [("Held kestrels return", 902)])
    await harness.app.bot_data.runtime.pipeline.ingest_everything_now()
    async with harness.services.sessionmaker() as session:
        [held] = await session.scalars(
            select(Delivery).where(Delivery.chat_id == user.id, Delivery.kind == DeliveryKind.ALERT)
        )
    assert held.status == "pending"
    await _tap(harness, user, digest, _numbers(digest)["1"])
    await _tap(harness, user, digest, _numbers(digest)["🔇 Mute Held Courier"])
    resumed = await harness.ask(user, "/resume")
    assert "No alerts matched meanwhile" in resumed.text
    sender = harness.app.bot_data.runtime.pipeline.sender
    assert sender is not None
    await sender.send_due()
    assert not any("kestrels return" in m.text for m in harness.emulator.sent_to(user.id))
    async with harness.services.sessionmaker() as session:
        dropped = await session.get(Delivery, held.id)
    assert dropped is not None and dropped.status == "dropped"


async def test_the_follow_buttons_data_is_checked_by_offered_story(harness: Harness) -> None:
    """The contract with the follow-story feature: ``fo:<article>``, and offered_story to check it."""

    async def follow(update: Update, context: Context) -> None:
        assert update.callback_query is not None and update.callback_query.data is not None
        story = await offered_story(update, context, update.callback_query.data[3:])
        await update.callback_query.answer(f"following {story.article_id} of {story.source}")

    # Where the follow-story feature registers it: among the routes, before the catch-all.
    handler = CallbackQueryHandler(checks_buttons(follow), pattern=r"^fo:")
    harness.app.handlers[0].insert(0, handler)
    try:
        user, other = harness.user("Follower"), harness.user("Other follower")
        await _add(harness, user, _route(harness, "/sb/f1.xml", "Follow Times", [("F1", 1001)]))
        await _add(harness, other, _route(harness, "/sb/f2.xml", "Other Times", [("F2", 1002)]))
        digest, foreign = await _digest(harness, user), await _digest(harness, other)
        await _tap(harness, user, digest, _numbers(digest)["1"])
        follow_data = _numbers(digest)["🔔 Follow"]
        answer = await _tap(harness, user, digest, follow_data)
        assert answer["text"] == f"following {follow_data[3:]} of Follow Times"
        theirs = _numbers(foreign)["1"].replace("st:", "fo:")
        assert await _forged(harness, user, digest, theirs) == STALE_BUTTON
    finally:
        harness.app.remove_handler(handler)


async def test_a_german_reader_gets_more_in_german_and_a_long_source_name_still_mutes(
    harness: Harness,
) -> None:
    tr = translation("de")
    user = harness.user("Lange", language_code="de")
    source = (
        "Hafenkurier – Nachrichten aus dem Hafen, der Altstadt und dem ganzen Umland, "
        "jeden Tag aktuell, gründlich recherchiert und unabhängig"
    )
    url = _route(harness, "/sb/long.xml", source, [("Langer Bericht", 301)])
    await _add(harness, user, url)
    asked = user.send_command("/digest")
    digest = await harness.emulator.wait_for_message(
        user.id, lambda m: tr.gettext("Your digest") in m.text, timeout=20
    )
    await harness.handled_message(user.id, asked)
    await _tap(harness, user, digest, _numbers(digest)["1"])
    actions = _numbers(digest)
    [more] = [data for data in actions.values() if data.startswith("mo:")]
    await _tap(harness, user, digest, more)
    reply = await harness.emulator.wait_for_message(
        user.id, lambda m: m.reply_to_message_id == digest.message_id
    )
    reads = [
        tr.ngettext("{count} min read", "{count} min read", n).format(count=n) for n in (1, 2, 3)
    ]
    assert any(f"⏱ {read}" in reply.text for read in reads), reply.text
    # The story is English, the reader German: the footer says so, in German.
    assert tr.gettext("in {language}").format(language="Englisch") in reply.text
    [mute] = [data for data in actions.values() if data.startswith("mu:")]
    # Telegram refuses a tap's answer over 200 characters: the name is cut, the mute is told.
    answer = await _tap(harness, user, digest, mute)
    assert len(str(answer["text"])) <= 200 and str(answer["text"]).startswith("🔇")
    assert any(label.startswith("🔊") for label in _numbers(digest))
    assert len(await _muted(harness, user.id)) == 1
