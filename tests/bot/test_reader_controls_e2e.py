"""Weekly and weekday schedules, /pause and /resume, and OPML in the chat, through the real bot."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from store.models import Chat
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
