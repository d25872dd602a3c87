"""Story buttons' callback data: within Telegram's 64 bytes with the longest ids."""

from __future__ import annotations

from jobs.i18n import translation
from jobs.story_buttons import (
    LONGEST_DATA,
    StoryRef,
    actions_keyboard,
    digest_payload,
    number_keyboard,
    stories_of,
)

# Row ids are BIGINT; bot/handlers/buttons.py accepts at most 18 digits.
LONGEST_ID = 10**18 - 1


def _data(keyboard: dict) -> list[str]:
    return [b["callback_data"] for row in keyboard["inline_keyboard"] for b in row]


def test_every_button_fits_64_bytes_with_18_digit_ids() -> None:
    story = StoryRef(24, LONGEST_ID, LONGEST_ID, "A source with a very long name indeed, Ltd.")
    tr = translation(None)
    data = _data(number_keyboard([story] * 24))
    for muted in (False, True):
        data += _data(actions_keyboard(story, muted=muted, back=True, tr=tr))
    assert LONGEST_DATA in data
    assert max(len(d.encode()) for d in data) == len(LONGEST_DATA.encode()) <= 64


def test_numbers_wrap_and_actions_name_the_story() -> None:
    stories = [StoryRef(n, 100 + n, 7, "Wire") for n in range(1, 9)]
    rows = number_keyboard(stories)["inline_keyboard"]
    assert [[b["text"] for b in row] for row in rows] == [
        ["1", "2", "3", "4", "5", "6"],
        ["7", "8"],
    ]
    alert = actions_keyboard(stories[0], muted=False, back=False, tr=translation(None))
    assert _data(alert) == ["mo:101", "fo:101", "mu:7:101"]


def test_stories_read_back_from_a_payload_and_junk_is_skipped() -> None:
    stories = [StoryRef(1, 5, 7, "Wire"), StoryRef(2, 6, 8, "Gazette")]
    payload = digest_payload("text", stories)
    assert stories_of(payload) == stories
    payload["stories"].append({"n": "x", "article": None})
    assert stories_of(payload) == stories
    assert stories_of({"text": "a notice"}) == []
    assert "reply_markup" not in digest_payload("empty", [])
