"""Languages are told by ISO 639-1 code; the old stop-word check stays as the baseline."""

from __future__ import annotations

from summarizer.language import detect_language, is_english, stop_word_language
from tests.summarizer.articles import GERMAN_STORY, WIRE_STORY


def test_english_and_other_latin_languages() -> None:
    assert is_english(WIRE_STORY)
    assert detect_language(GERMAN_STORY) == "de"
    assert detect_language("El gobierno anunció el miércoles que los impuestos no subirán.") == "es"


def test_other_scripts_are_named_by_code() -> None:
    assert detect_language("Правительство объявило в среду, что налоги не будут повышены.") == "ru"
    assert detect_language("12345 !!!") == "und"


def test_the_stop_word_baseline_answers_in_codes_too() -> None:
    assert stop_word_language(GERMAN_STORY) == "de"
    assert (
        stop_word_language("Правительство объявило в среду, что налоги не будут повышены.") == "ru"
    )
    assert stop_word_language("12345 !!!") == "und"
