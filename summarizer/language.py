"""A cheap English-or-not check from stop-word profiles and Unicode scripts."""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter

from sumy.utils import get_stop_words

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


@functools.cache
def _profiles() -> dict[str, frozenset[str]]:
    return {language: frozenset(get_stop_words(language)) for language in _LATIN_LANGUAGES}


def detect_language(text: str) -> str:
    """Name the language of ``text``: ``"english"``, ``"german"``… or a script (``"Cyrillic"``)."""
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
    return detect_language(text) == "english"
