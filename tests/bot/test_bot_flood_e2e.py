"""Under Telegram's real sending limits (emulated), a crowd's requests are all answered, none lost."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.emulator import FloodLimits, SentMessage
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
