"""Lengths and content terms of text in each language we read, with or without spaces."""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable

from sumy.nlp.stemmers import Stemmer
from sumy.utils import get_stop_words

from summarizer.languages import LanguageProfile
from summarizer.sentences import split_words

# Han ideographs (with the compatibility block), hiragana and katakana: the scripts written
# without spaces, where one character is the unit a reader counts.
_CJK = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HIRAGANA_ONLY = re.compile(r"^[\u3040-\u309f]+$")
# Languages for which sumy ships no stop-word list; spaCy's (in the spaCy wheel, no model
# needed) stand in.
_SPACY_STOP_WORDS = {"ru": "spacy.lang.ru.stop_words", "nl": "spacy.lang.nl.stop_words",
                     "tr": "spacy.lang.tr.stop_words"}  # fmt: skip


def cjk_characters(text: str) -> int:
    """How many Chinese or Japanese characters ``text`` holds."""
    return len(_CJK.findall(text))


def text_length(text: str, profile: LanguageProfile) -> int:
    """Length as a reader counts it: words, or for Chinese and Japanese characters.

    Latin words inside CJK text (names, "GDP") count one each beside the characters.
    """
    if profile.spaced:
        return len(text.split())
    return cjk_characters(text) + len(split_words(_CJK_RUN.sub(" ", text)))


def length_unit(profile: LanguageProfile) -> str:
    """The unit ``text_length`` counts in, for messages: "words" or "characters"."""
    return "words" if profile.spaced else "characters"


@functools.cache
def stop_words(profile: LanguageProfile) -> frozenset[str]:
    """The language's stop words, lower case: sumy's list, else spaCy's, else none."""
    if profile.sumy is not None:
        try:
            return frozenset(w.lower() for w in get_stop_words(profile.sumy))
        except LookupError:  # sumy has a stemmer but no list for this language
            pass
    module = _SPACY_STOP_WORDS.get(profile.code)
    if module is None:
        return frozenset()
    words: set[str] = importlib.import_module(module).STOP_WORDS
    return frozenset(w.lower() for w in words)


@functools.cache
def stemmer(profile: LanguageProfile) -> Callable[[str], str]:
    """A cached stemmer for the language: sumy's (Snowball and its own), or truncation."""
    if profile.truncate is not None:
        size = profile.truncate

        def truncate(word: str) -> str:
            return word[:size]

        return truncate
    stem: Callable[[str], str] = Stemmer(profile.sumy or "english") if profile.sumy else str
    # A story repeats its words: remembering stems halves the cost, as for English (ranking.py).
    return functools.lru_cache(maxsize=100_000)(stem)


def content_terms(sentence: str, profile: LanguageProfile) -> list[str]:
    """The terms two sentences share when they say the same thing.

    Spaced languages: stems of the words that are not stop words. Chinese and Japanese have no
    word boundaries without a segmenter model, so their terms are overlapping character
    bigrams, the standard unit of CJK retrieval; bigrams of hiragana alone are particles and
    endings, left out like stop words.
    """
    if profile.spaced:
        stops = stop_words(profile)
        stem = stemmer(profile)
        return [stem(w) for w in (w.lower() for w in split_words(sentence)) if w not in stops]
    terms: list[str] = []
    for run in _CJK_RUN.findall(sentence):
        if len(run) == 1:
            terms.append(run)
        terms.extend(
            run[i : i + 2] for i in range(len(run) - 1) if not _HIRAGANA_ONLY.match(run[i : i + 2])
        )
    terms.extend(w.lower() for w in split_words(_CJK_RUN.sub(" ", sentence)))
    return terms
