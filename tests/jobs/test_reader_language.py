"""The reader's locale: names of languages, the story-language note, dates, times and numbers."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from jobs.reader_language import (
    SHIPPED_LANGUAGES,
    chat_language,
    format_day,
    format_moment,
    format_number,
    language_name,
    offered_language,
    own_name,
    source_language_note,
)

MONDAY = datetime(2026, 12, 7, 7, 30, tzinfo=UTC)


# The languages issue #13 launches with, each as /language names it.
LAUNCH_LANGUAGES = {
    "en": "English",
    "de": "Deutsch",
    "es": "Español",
    "fr": "Français",
    "pt": "Português",
    "ru": "Русский",
    "uk": "Українська",
    "zh": "中文",
}


def test_the_bot_ships_every_launch_language_each_named_in_its_own_words() -> None:
    assert tuple(LAUNCH_LANGUAGES) == SHIPPED_LANGUAGES
    assert {code: own_name(code) for code in SHIPPED_LANGUAGES} == LAUNCH_LANGUAGES


@pytest.mark.parametrize(
    ("tag", "code", "shipped"),
    [
        ("de", "de", "de"),
        ("pt-br", "pt", "pt"),
        ("zh-hans", "zh", "zh"),
        ("th", "th", None),
        (None, "en", None),
        ("xx", "en", None),  # no locale Babel knows: English, not an error in a digest
    ],
)
def test_telegram_tags_map_to_a_language(tag: str | None, code: str, shipped: str | None) -> None:
    assert chat_language(tag) == code
    assert offered_language(tag) == shipped


def test_the_story_language_is_named_only_when_it_is_not_the_readers() -> None:
    assert source_language_note("de", reader="en") == "in German"
    assert source_language_note("de", reader="de-AT") == ""
    assert source_language_note("en", reader=None) == ""
    assert source_language_note("und", reader="en") == ""  # unknown: say nothing
    assert source_language_note(None, reader="en") == ""
    assert language_name("th", reader="de") == "Thailändisch"
    assert language_name("de", reader="fr") == "allemand"


def test_english_dates_stay_as_the_bot_always_wrote_them() -> None:
    assert format_day(MONDAY, reader=None) == "Monday, 7 December"
    assert format_moment(MONDAY, reader="en") == "Mon 7 Dec, 07:30"
    assert format_moment(MONDAY, reader="en") == f"{MONDAY:%a %-d %b, %H:%M}"


def test_other_locales_use_their_own_patterns_and_the_local_wall_clock() -> None:
    berlin = MONDAY.astimezone(ZoneInfo("Europe/Berlin"))
    assert format_day(berlin, reader="de") == "Montag, 7. Dezember"
    assert format_moment(berlin, reader="de") == "Mo., 7. Dez., 08:30"
    assert format_day(MONDAY, reader="fr") == "lundi 7 décembre"
    assert format_day(MONDAY, reader="pt") == "segunda-feira, 7 de dezembro"
    assert format_day(MONDAY, reader="zh") == "12月7日星期一"


def test_numbers_take_the_readers_grouping_and_decimal_mark() -> None:
    assert format_number(12345.5, reader="en") == "12,345.5"
    assert format_number(12345.5, reader="de") == "12.345,5"
    assert format_number(1000, reader="xx") == "1,000"
