"""Answers that must be right, not only polite (issue #12): held alerts follow the quiet hours a
chat has now, times in the chat's zone, entities under their kind's sign, no server settings in
what readers are told; through the real Application and the emulator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot.emulator import User
from jobs.alerts import retime_held_alerts
from jobs.fetch import AddressGuard
from jobs.quiet_hours import stored_hold
from store import alerting, deliveries
from store.models import AlertRule, Chat, Delivery, DeliveryKind, Feed, Subscription, utcnow
from tests.bot.harness import Harness

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_errors")]


def _window_around_now(zone_offset_hours: int = 0) -> str:
    """Quiet hours from an hour ago to two hours ahead, on a clock ``zone_offset_hours`` from UTC."""
    local = utcnow() + timedelta(hours=zone_offset_hours)
    return f"{local - timedelta(hours=1):%H:%M}-{local + timedelta(hours=2):%H:%M}"


async def _queue_alert(
    harness: Harness,
    chat_id: int,
    key: str,
    *,
    now: datetime | None = None,
    not_before: datetime | None = None,
) -> None:
    async with harness.services.sessionmaker() as session, session.begin():
        await deliveries.enqueue(
            session,
            chat_id=chat_id,
            kind=DeliveryKind.ALERT,
            item_key=key,
            payload={"text": f"🔔 <b>{key}</b>"},
            now=now or utcnow(),
            not_before=not_before,
        )


async def _hold_an_alert(harness: Harness, chat_id: int, key: str) -> None:
    """Queue an alert as the matcher does: held until the chat's quiet hours end."""
    now = utcnow()
    async with harness.services.sessionmaker() as session:
        chat = await session.get(Chat, chat_id)
    assert chat is not None
    hold = stored_hold(chat.quiet_hours, chat.timezone, now)
    assert hold is not None
    await _queue_alert(harness, chat_id, key, now=now, not_before=hold)


async def _send_outbox(harness: Harness) -> None:
    sender = harness.app.bot_data.runtime.pipeline.sender
    assert sender is not None
    await sender.send_due()


def _texts(harness: Harness, chat_id: int) -> list[str]:
    return [message.text for message in harness.emulator.sent_to(chat_id)]


async def test_quiet_off_releases_the_alerts_held_for_the_old_window(harness: Harness) -> None:
    user = harness.user("Night owl")
    await harness.ask(user, "/timezone UTC")
    await harness.ask(user, f"/quiet {_window_around_now()}")
    await _hold_an_alert(harness, user.id, "held-by-quiet")
    await _send_outbox(harness)
    assert not any("held-by-quiet" in text for text in _texts(harness, user.id))

    answer = await harness.ask(user, "/quiet off")
    assert answer.text.startswith("🔔 Quiet hours off")
    await _send_outbox(harness)
    assert any("held-by-quiet" in text for text in _texts(harness, user.id))


async def test_a_quiet_window_moved_off_now_releases_held_alerts(harness: Harness) -> None:
    user = harness.user("Shift worker")
    await harness.ask(user, "/timezone UTC")
    await harness.ask(user, f"/quiet {_window_around_now()}")
    await _hold_an_alert(harness, user.id, "held-then-moved")
    # The same length of quiet, but twelve hours away: the alert is due now.
    await harness.ask(user, f"/quiet {_window_around_now(12)}")
    await _send_outbox(harness)
    assert any("held-then-moved" in text for text in _texts(harness, user.id))


async def test_a_new_time_zone_moves_the_quiet_window_held_alerts_wait_for(
    harness: Harness,
) -> None:
    user = harness.user("Traveller")
    await harness.ask(user, "/timezone UTC")
    await harness.ask(user, f"/quiet {_window_around_now()}")
    await _hold_an_alert(harness, user.id, "held-then-flown")
    # The window read as UTC covers now; read twelve hours ahead (Etc/GMT-12) it does not.
    await harness.ask(user, "/timezone Etc/GMT-12")
    await _send_outbox(harness)
    assert any("held-then-flown" in text for text in _texts(harness, user.id))


async def test_a_window_that_starts_now_holds_alerts_already_queued(harness: Harness) -> None:
    user = harness.user("Early sleeper")
    await harness.ask(user, "/timezone UTC")
    await _queue_alert(harness, user.id, "queued-before-quiet")
    await harness.ask(user, f"/quiet {_window_around_now()}")
    async with harness.services.sessionmaker() as session:
        due = await session.scalar(
            select(Delivery.next_attempt_at).where(Delivery.item_key == "queued-before-quiet")
        )
    assert due is not None
    aware = due if due.tzinfo is not None else due.replace(tzinfo=UTC)
    assert aware > utcnow() + timedelta(minutes=90)


async def test_a_retry_back_off_is_not_moved_by_quiet_hours(harness: Harness) -> None:
    user = harness.user("Unlucky")
    await harness.ask(user, "/timezone UTC")
    await _queue_alert(harness, user.id, "backing-off", not_before=utcnow() + timedelta(minutes=30))
    async with harness.services.sessionmaker() as session, session.begin():
        await session.execute(
            update(Delivery).where(Delivery.item_key == "backing-off").values(attempts=1)
        )
        moved = await retime_held_alerts(
            session, user.id, quiet_hours=None, timezone="UTC", now=utcnow()
        )
    assert moved == 0


async def test_settings_show_the_next_digest_on_the_chats_own_clock(harness: Harness) -> None:
    user = harness.user("Tokyo reader")
    await harness.ask(user, "/timezone Asia/Tokyo")
    shown = await harness.ask(user, "/settings daily 07:30")
    assert "(Asia/Tokyo), next: " in shown.text
    assert ", 07:30\n" in shown.text
    again = await harness.ask(user, "/settings")
    assert ", 07:30\n" in again.text


async def test_a_broken_feed_notice_tells_readers_nothing_of_server_settings(
    harness: Harness,
) -> None:
    user = harness.user("Subscriber")
    added = await harness.ask(user, f"/add {harness.server.url('/rss2.xml')}", timeout=20)
    assert added.text.startswith("✅"), added.text
    refusal = AddressGuard().refusal("feeds.intranet", "10.1.2.3")
    assert refusal is not None and "NEWSDIGEST_FETCH_ALLOW" in refusal  # what admins are told
    now = utcnow()
    async with harness.services.sessionmaker() as session, session.begin():
        feed_id = await session.scalar(
            select(Subscription.feed_id).where(Subscription.chat_id == user.id)
        )
        # Broken by a refusal, notice not yet queued: what a stop between the two leaves, and
        # what the live path hands over too (the error as recorded).
        await session.execute(
            update(Feed)
            .where(Feed.id == feed_id)
            .values(broken_at=now, last_error=refusal, next_due_at=now + timedelta(days=1))
        )
    await harness.ingest()
    await _send_outbox(harness)
    notice = next(text for text in _texts(harness, user.id) if "stopped working" in text)
    assert "NEWSDIGEST" not in notice and "administrator" not in notice
    assert "this address is not allowed" in notice


@pytest.mark.parametrize(
    ("query", "reason"),
    [("a", "nearly every story"), ("the", "nearly every story"), ("-x", "only excludes")],
)
async def test_alerts_of_only_common_words_are_refused_with_a_reason(
    harness: Harness, query: str, reason: str
) -> None:
    user = harness.user("Vague")
    answer = await harness.ask(user, f"/alert {query}")
    assert reason in answer.text and "Alert added" not in answer.text
    async with harness.services.sessionmaker() as session:
        assert (
            await session.scalar(select(AlertRule.id).where(AlertRule.chat_id == user.id)) is None
        )


async def test_alerts_are_shown_as_the_user_wrote_them(harness: Harness) -> None:
    user = harness.user("Economist")
    added = await harness.ask(user, "/alert central  bank -mortgage")
    assert added.text.startswith("🔔 Alert added: central bank -mortgage\n")
    again = await harness.ask(user, "/alert bank central -mortgage")
    assert again.text == "You already have the alert central bank -mortgage."
    listing = await harness.ask(user, "/alerts")
    assert "1. central bank -mortgage" in listing.text
    assert [b["text"] for b in listing.buttons] == ["✖ 1. central bank -mortgage", "🗞 1. daily"]
    async with harness.services.sessionmaker() as session:
        rule = await session.scalar(select(AlertRule).where(AlertRule.chat_id == user.id))
        assert rule is not None
        # Matching and de-duplication still go by the one canonical form.
        assert rule.query == "bank central -mortgage"
        assert await alerting.rule_queries(session, [rule.id]) == {
            rule.id: "central bank -mortgage"
        }


async def _all_replies(harness: Harness, user: User, command: str) -> list[str]:
    """Every message the bot sent for one command, once it has handled it to the end."""
    before = len(harness.emulator.sent_to(user.id)) if user.id in harness.emulator.chats else 0
    await harness.handled_message(user.id, user.send_command(command))
    return _texts(harness, user.id)[before:]


@pytest.mark.parametrize("command", ["/quiet sometime", "/quiet 22-22", "/quiet"])
async def test_quiet_answers_in_one_message(harness: Harness, command: str) -> None:
    user = harness.user("Quiet one")
    replies = await _all_replies(harness, user, command)
    assert len(replies) == 1 and "Usage: /quiet" in replies[0], replies


async def test_a_schedule_that_does_not_parse_gets_its_examples_once(harness: Harness) -> None:
    user = harness.user("Scheduler")
    for command in ("/settings at teatime", "/settings daily"):
        replies = await _all_replies(harness, user, command)
        assert len(replies) == 1 and replies[0].count("Example") == 1, replies


async def test_counted_replies_with_one_and_two(harness: Harness) -> None:
    user = harness.user("Counter")
    await harness.ask(user, f"/add {harness.server.url('/rss2.xml')}", timeout=20)
    one = await harness.ask(user, "/alert lighthouse")
    assert one.text.endswith("It watches your 1 source.")
    await harness.ask(user, f"/add {harness.server.url('/atom.xml')}", timeout=20)
    two = await harness.ask(user, "/alert harbour")
    assert two.text.endswith("It watches your 2 sources.")
    panel = await harness.ask(user, "/settings")
    await harness.press(user, panel, "1 sentence")
    await harness.emulator.wait_until(lambda: "Summary: 1 sentence\n" in panel.text)
    await harness.press(user, panel, "2 sentences")
    await harness.emulator.wait_until(lambda: "Summary: 2 sentences\n" in panel.text)


async def test_a_text_too_short_to_summarize_counts_its_words(harness: Harness) -> None:
    user = harness.user("Terse")
    one = await harness.ask(user, "/summary harbour", timeout=30)
    assert one.text.startswith("I could not summarize that: it has 1 word, "), one.text
    two = await harness.ask(user, "/summary harbour news", timeout=30)
    assert two.text.startswith("I could not summarize that: it has 2 words, "), two.text
