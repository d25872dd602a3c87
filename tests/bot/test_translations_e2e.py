"""The reader's language through the real bot: a "de" user reads German, anyone else English."""

from __future__ import annotations

import pytest

from bot.render import render_help, render_language_line
from jobs.i18n import translation
from jobs.messages import visible_text
from tests.bot.harness import Harness

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_errors")]


async def test_a_german_user_gets_help_refusals_and_digests_in_german(harness: Harness) -> None:
    user = harness.emulator.create_user("Greta", language_code="de")
    help_text = await harness.ask(user, "/help")
    assert help_text.text == visible_text(
        render_help(admin=False, tr=translation("de")) + "\n" + render_language_line("de")
    )
    assert help_text.text.startswith("Was ich kann")
    assert "/digest — der neueste Digest, sofort" in help_text.text

    refused = await harness.ask(user, "/pause soon")
    assert refused.text.startswith("'soon' ist keine Dauer.")
    assert "Beispiele: /pause 3d" in refused.text

    vague = await harness.ask(user, "/alert the")
    assert "steht in fast jeder Meldung" in vague.text

    subscribed = await harness.ask(user, "/start world")
    assert subscribed.text.startswith("✅ World abonniert (2 Quellen)."), subscribed.text
    await harness.ingest()
    digest = await harness.ask(user, "/digest", timeout=20)
    head, counts = digest.text.split("\n")[:2]
    assert head.startswith("📰 Dein Digest — ")
    assert " Meldungen aus " in counts or " Meldung aus " in counts, counts


@pytest.mark.parametrize("code", ["en", "xx", None])
async def test_english_and_unknown_languages_get_english(
    harness: Harness, code: str | None
) -> None:
    user = harness.emulator.create_user(f"Reader {code}", language_code=code)
    help_text = await harness.ask(user, "/help")
    assert help_text.text == visible_text(
        render_help(admin=False) + "\n" + render_language_line(None)
    )
    assert help_text.text.startswith("What I can do")
    refused = await harness.ask(user, "/pause soon")
    assert refused.text.startswith("'soon' is not a duration.")
    subscribed = await harness.ask(user, "/start world")
    assert subscribed.text.startswith("✅ Subscribed to World (2 sources)."), subscribed.text
    await harness.ingest()
    digest = await harness.ask(user, "/digest", timeout=20)
    assert digest.text.startswith("📰 Your digest — ")


async def test_a_stale_button_is_answered_in_the_users_language(harness: Harness) -> None:
    user = harness.emulator.create_user("Jonas", language_code="de-AT")
    welcome = await harness.ask(user, "/start")
    assert "Hallo! Ich bin newsdigest." in welcome.text
    assert any(button["text"] == "📰 Erster Digest" for button in welcome.buttons)
    # A callback no button carries, as an old message or a modified client sends it.
    answer = await harness.press_made_up(user, welcome, "topic:no-such-topic")
    assert answer["text"] == (
        "Dieser Button ist veraltet: Schick den Befehl noch einmal, um neue Buttons zu bekommen."
    )
