"""Under Telegram's real sending limits (emulated), a crowd's requests are all answered, none lost."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.emulator import FloodLimits, SentMessage
from bot.telegram_transport import SharedPaceLimiter
from tests.bot.harness import bot_harness


def mentioning(word: str) -> Callable[[SentMessage], bool]:
    return lambda message: word in message.text


async def test_fifty_users_at_once_under_flood_control_all_get_answers(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, flood=FloodLimits()) as harness:
        users = [harness.user(f"Crowd {n}") for n in range(50)]
        for n, user in enumerate(users):
            user.send_command(f"/alert storm{n}")
            user.send_command("/help")
        for n, user in enumerate(users):
            await harness.emulator.wait_for_message(user.id, mentioning(f"storm{n}"), timeout=20)
            await harness.emulator.wait_for_message(
                user.id, lambda m: "/alert" in m.text, timeout=20
            )
        # 100 replies in a burst pass the bot's 30/s only if they are paced (or retried).
        assert harness.errors == []
        assert all(len(harness.emulator.sent_to(user.id)) == 2 for user in users)


async def test_replies_and_the_outbox_draw_on_one_pace(tmp_path: Path) -> None:
    # Telegram's 30/s is per bot: the two Bot objects of one process must share it.
    async with bot_harness(tmp_path) as harness:
        limiter = harness.app.bot.rate_limiter
        sender = harness.app.bot_data.runtime.pipeline.sender
        assert isinstance(limiter, SharedPaceLimiter)
        assert sender is not None
        assert limiter.pace is sender.limiter
