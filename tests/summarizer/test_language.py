"""The English check names what it found."""

from __future__ import annotations

from summarizer.language import detect_language, is_english
from tests.summarizer.articles import GERMAN_STORY, WIRE_STORY


def test_english_and_other_latin_languages() -> None:
    assert is_english(WIRE_STORY)
    assert detect_language(GERMAN_STORY) == "german"
    assert (
        detect_language("El gobierno anunció el miércoles que los impuestos no subirán.")
        == "spanish"
    )


def test_other_scripts_are_named_by_script() -> None:
    assert (
        detect_language("Правительство объявило в среду, что налоги не будут повышены.")
        == "Cyrillic"
    )
    assert detect_language("12345 !!!") == "unknown"
