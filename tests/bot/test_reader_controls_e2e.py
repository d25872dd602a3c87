"""Weekly and weekday schedules, /pause and /resume, and OPML in the chat, through the real bot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from store import deliveries
from store.models import Chat, DeliveryKind, utcnow
from tests.bot.harness import Harness

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_errors")]


async def _chat(harness: Harness, chat_id: int) -> Chat:
    async with harness.services.sessionmaker() as session:
        chat = await session.get(Chat, chat_id)
    assert chat is not None
    return chat


async def test_weekly_schedule_is_stored_and_due_on_its_local_day(harness: Harness) -> None:
    user = harness.user("Weekly")
    await harness.ask(user, "/timezone Europe/Berlin")
    reply = await harness.ask(user, "/settings weekly mon 08:00")
    assert "every Monday at 08:00" in reply.text
    chat = await _chat(harness, user.id)
    assert chat.digest_schedule == "weekly mon 08:00"
    assert chat.next_digest_at is not None
    local = chat.next_digest_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert (local.weekday(), local.hour, local.minute) == (0, 8, 0)
    assert (chat.next_digest_at - datetime.now(UTC)).days < 7


async def test_weekdays_several_times_and_the_buttons(harness: Harness) -> None:
    user = harness.user("Weekdays")
    reply = await harness.ask(user, "/settings weekdays 07:30 12:00 18:00")
    assert "on weekdays at 07:30, 12:00 and 18:00" in reply.text
    assert (await _chat(harness, user.id)).digest_schedule == "weekdays 07:30,12:00,18:00"
    await harness.press(user, reply, "Mondays 08:00")
    await harness.emulator.wait_until(lambda: "every Monday at 08:00" in reply.text)
    assert (await _chat(harness, user.id)).digest_schedule == "weekly mon 08:00"
    await harness.press(user, reply, "Weekdays 08:00")
    await harness.emulator.wait_until(lambda: "on weekdays at 08:00" in reply.text)
    bad = await harness.ask(user, "/settings weekly 08:00")
    assert "Which day" in bad.text and "/settings weekly mon 08:00" in bad.text
    assert (await _chat(harness, user.id)).digest_schedule == "weekdays 08:00"


async def test_help_shows_the_new_schedules(harness: Harness) -> None:
    user = harness.user("Helped")
    reply = await harness.ask(user, "/help")
    assert "/settings weekly mon 08:00" in reply.text


async def _held_alert(harness: Harness, chat_id: int, n: int) -> None:
    """An alert as alert matching queues it (tests/jobs/test_pause.py runs the matcher itself)."""
    async with harness.services.sessionmaker() as session, session.begin():
        await deliveries.enqueue(
            session,
            chat_id=chat_id,
            kind=DeliveryKind.ALERT,
            item_key=f"story:e2e-{n}",
            payload={
                "text": f"🔔 <b>ferry</b>\nFerry story {n}",
                "title": f"Ferry story {n}",
                "url": f"https://news.example/{n}",
                "source": "Harbour Gazette",
            },
            now=utcnow(),
        )


async def test_pause_holds_alerts_and_resume_sends_one_list(harness: Harness) -> None:
    user = harness.user("Traveller")
    sender = harness.app.bot_data.runtime.pipeline.sender
    assert sender is not None
    reply = await harness.ask(user, "/pause 3d")
    assert "Paused until" in reply.text and "/resume" in reply.text
    chat = await _chat(harness, user.id)
    assert chat.paused_at is not None and chat.paused_until is not None
    assert timedelta(days=3) - (chat.paused_until - chat.paused_at) < timedelta(seconds=1)
    for n in range(3):
        await _held_alert(harness, user.id, n)
    before = len(harness.emulator.sent_to(user.id))
    await sender.send_due()
    assert len(harness.emulator.sent_to(user.id)) == before  # held, not sent

    resumed = await harness.ask(user, "/resume")
    assert "Resumed" in resumed.text and "3 alerts arrived meanwhile" in resumed.text
    await sender.send_due()
    away = await harness.emulator.wait_for_message(
        user.id, lambda m: "While you were away" in m.text
    )
    assert "3 stories matched" in away.text and "Ferry story 2" in away.text
    await sender.send_due()
    assert [m.text for m in harness.emulator.sent_to(user.id)].count(away.text) == 1
    again = await harness.ask(user, "/resume")
    assert "Nothing to resume" in again.text


async def test_pause_until_resumed_and_bad_durations(harness: Harness) -> None:
    user = harness.user("Resting")
    reply = await harness.ask(user, "/pause")
    assert "until you send /resume" in reply.text
    assert (await _chat(harness, user.id)).paused_until is None
    bad = await harness.ask(user, "/pause soon")
    assert "not a duration" in bad.text and "<code>/pause 3d</code>" not in bad.text
    assert "/pause 3d" in bad.text
    nothing = await harness.ask(user, "/resume")
    assert "No alerts matched meanwhile" in nothing.text
    assert (await _chat(harness, user.id)).paused_at is None


async def test_in_a_group_only_admins_pause(harness: Harness) -> None:
    owner, member = harness.user("PauseOwner"), harness.user("PauseMember")
    group = harness.emulator.create_group("Pausers", members=[owner, member], admins=[owner])
    member.send_command("/pause 1d", chat=group)
    refused = await harness.emulator.wait_for_message(group.id)
    assert "Only this group's admins" in refused.text
    assert (await _chat(harness, group.id)).paused_at is None
