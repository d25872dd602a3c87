"""Sentence and word splitting for English news, and the adapter that gives it to sumy."""

from __future__ import annotations

import re
import threading

import pysbd

# pysbd keeps per-call state on the Segmenter, so each thread of the digest pool gets its own.
_local = threading.local()

# sumy keeps only tokens that are letters with inner apostrophes or hyphens (its
# Tokenizer._WORD_PATTERN); a regex yielding exactly that class is equivalent to running NLTK's
# word tokenizer and filtering, without NLTK's punkt data and at a fraction of the cost.
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_CAPTION_BREAK = re.compile(r"(?<=[a-z0-9)])\s+(?=[‘'\"“][A-Z])")


def _segmenter() -> pysbd.Segmenter:
    segmenter = getattr(_local, "segmenter", None)
    if segmenter is None:
        segmenter = _local.segmenter = pysbd.Segmenter(language="en", clean=False)
    return segmenter


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph into sentences; abbreviations, decimals and quotes stay whole."""
    # Segmenter.segment() would also locate every sentence in the text again with one fresh regex
    # each (about 40 % of its time); without pysbd's cleaning the processor's sentences are
    # already verbatim substrings, and build_article finds their offsets itself.
    return [s.strip() for s in _segmenter().processor(paragraph).process() if s.strip()]


def split_words(sentence: str) -> list[str]:
    """Return the words of ``sentence`` (letters, inner apostrophes and hyphens; no numbers)."""
    return _WORD.findall(sentence)


class SumyTokenizer:
    """sumy's ``Tokenizer`` interface over pysbd, which ships its rules in the package."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(split_words(sentence))
