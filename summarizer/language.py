"""Language checks by name: ``detect_language`` (the identifier) and the old stop-word check.

``stop_word_language`` is the English-or-not check the summarizer used before 1.4.0, kept as
the baseline of tests/benchmarks/bench_language_id.py; everything else uses language_id.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter

from sumy.utils import get_stop_words

from summarizer.language_id import identify_language
from summarizer.sentences import split_words

# The stop-word lists sumy ships for Latin-script languages: a stop-word profile separates these
# reliably on a paragraph or more, and needs no language-identification model.
_LATIN_LANGUAGES = (
    "english",
    "french",
    "german",
    "spanish",
    "italian",
    "portuguese",
    "czech",
    "polish",
    "swedish",
)
_SAMPLE_CHARS = 3_000
_MIN_ENGLISH_SHARE = 0.15
# What the stop-word check said, as ISO 639-1 codes; a script names its commonest language.
_CODES = {
    "english": "en", "french": "fr", "german": "de", "spanish": "es", "italian": "it",
    "portuguese": "pt", "czech": "cs", "polish": "pl", "swedish": "sv",
    "CJK": "zh", "Cyrillic": "ru", "Arabic": "ar", "Hiragana": "ja", "Katakana": "ja",
}  # fmt: skip


@functools.cache
def _profiles() -> dict[str, frozenset[str]]:
    return {language: frozenset(get_stop_words(language)) for language in _LATIN_LANGUAGES}


def detect_language(text: str, hints: tuple[str | None, ...] = ()) -> str:
    """The ISO 639-1 code of ``text``'s language ("en", "de"…), "und" when it cannot be told."""
    return identify_language(text, hints)


def stop_word_language(text: str) -> str:
    """The pre-1.4.0 check as an ISO code: stop-word profiles, else the script's commonest."""
    return _CODES.get(_stop_word_name(text), "und")


def _stop_word_name(text: str) -> str:
    sample = text[:_SAMPLE_CHARS]
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return "unknown"
    # Naming characters is slow; ASCII letters are Latin, so only the others are looked up.
    non_latin = [c for c in letters if not c.isascii() and "LATIN" not in unicodedata.name(c, "")]
    if len(non_latin) > len(letters) / 2:
        scripts = Counter(unicodedata.name(c, "UNKNOWN").split()[0] for c in non_latin)
        script = scripts.most_common(1)[0][0]
        return script if script == "CJK" else script.capitalize()
    words = [w.lower() for w in split_words(sample)]
    if not words:
        return "unknown"
    hits = {lang: sum(w in stops for w in words) for lang, stops in _profiles().items()}
    best = max(hits, key=lambda lang: hits[lang])
    if best == "english" and hits["english"] / len(words) < _MIN_ENGLISH_SHARE:
        return "unknown"
    return best


def is_english(text: str) -> bool:
    """Tell whether ``text`` reads as English."""
    return detect_language(text) == "en"
