"""Webhook mode: Telegram (the emulator) POSTs updates to the bot's own HTTP server."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from tests.bot.harness import bot_harness


async def test_updates_arrive_by_webhook_and_are_answered(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, webhook=True) as harness:
        emulator = harness.emulator
        assert emulator.webhook_url is not None and emulator.webhook_url.endswith("/telegram")
        assert emulator.webhook_secret == "webhook-secret-1"
        user = harness.user("Hooked")
        reply = await harness.ask(user, "/help")
        assert "What I can do" in reply.text
        assert emulator.webhook_deliveries >= 1
        # Nobody polls in webhook mode; a poll is refused as Telegram refuses it.
        assert not [call for call in emulator.calls if call.method == "getUpdates"]
        # A POST without the secret token is not taken for an update from Telegram.
        async with aiohttp.ClientSession() as session:
            forged = {
                "update_id": 999,
                "message": {
                    "message_id": 1,
                    "date": 0,
                    "chat": {"id": user.id, "type": "private"},
                    "text": "/help",
                },
            }
            async with session.post(emulator.webhook_url, json=forged) as answer:
                assert answer.status == 403
        assert harness.errors == []
