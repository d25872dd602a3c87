"""The news scorer's lexical prior: which words and word pairs make a sentence a highlight.

The 31 sentence features see a sentence's place, length and shape, not what it says, and so
cannot tell which of a Mail-style story's later sentences its highlights draw on ("was jailed",
"died in hospital") from those they pass over ("told the newspaper", "it comes as"). A logistic
regression over the sentence's words and adjacent pairs, fitted on the same greedy-oracle labels
by tests/benchmarks/train_news_scorer.py, gives its log-odds to the trees as one more feature.
On five folds of the training rows it raised R-1 + R-2 + R-Lsum over Lead-3 by +0.44 on CNN and
+0.65 on Mail-style stories (see the README).

The n-grams are hashed into BUCKETS weights as scikit-learn's HashingVectorizer hashes them
(MurmurHash3, from the mmh3 package, as scikit-learn's own murmurhash3_32), so the shipped file
is a fixed-size array and no vocabulary of every training n-gram has to ship. Read here rather
than by scikit-learn, to keep the install light; tests/summarizer/test_lexicon.py checks that
this reads a sentence exactly as the fitted scikit-learn model does.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import mmh3
import numpy as np
from numpy.typing import NDArray

BUCKETS = 2**18
# scikit-learn's default token pattern: words of two or more word characters.
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
# Every digit reads 0, so "£3m" and "£7m", "1999" and "2014" are one word each.
_DIGIT = re.compile(r"\d")


def normalised(sentence: str) -> str:
    """The sentence as the lexicon reads it: lower case, digits as 0."""
    return _DIGIT.sub("0", sentence.lower())


def _grams(sentence: str) -> Iterator[str]:
    tokens = _TOKEN.findall(normalised(sentence))
    return itertools.chain(tokens, map(" ".join, itertools.pairwise(tokens)))


def ngrams(sentence: str) -> set[str]:
    """The sentence's words and pairs of adjacent words, as scikit-learn's vectorizers with
    ``ngram_range=(1, 2)`` and ``normalised`` as preprocessor find them."""
    return set(_grams(sentence))


def bucket(gram: str) -> int:
    """The weight an n-gram shares (HashingVectorizer's index, alternate_sign=False).

    Hashed as UTF-8 bytes, lone surrogates passed through: mmh3 5.3 crashes the process on a
    str holding one. The n-grams of ``ngrams`` never do (``\\w`` matches no surrogate), so
    ``buckets_of`` hashes them as str, the same hash.
    """
    return abs(mmh3.hash(gram.encode("utf-8", "surrogatepass"), 0, True)) % BUCKETS


def buckets_of(sentence: str) -> set[int]:
    """The buckets of the sentence's n-grams: ``bucket`` of each of ``ngrams``, inlined, as
    this is the lexicon's whole cost."""
    hash_ = mmh3.hash
    return {abs(hash_(gram, 0, True)) % BUCKETS for gram in _grams(sentence)}


@dataclass(frozen=True, slots=True, eq=False)
class Lexicon:
    """A linear model over which buckets a sentence's n-grams fall in (each 1, scaled to unit
    length, as HashingVectorizer(binary=True, norm="l2") makes them)."""

    intercept: float
    weights: NDArray[np.float32]  # BUCKETS long

    def score(self, sentences: Sequence[str]) -> NDArray[np.float64]:
        """Each sentence's log-odds of being a highlight sentence."""
        rows: list[int] = []
        buckets: list[int] = []
        for row, sentence in enumerate(sentences):
            found = buckets_of(sentence)
            rows.extend([row] * len(found))
            buckets.extend(found)
        # Summed per sentence at once: a loop over sentences would cost the summary its lead
        # over LexRank (see the speed benchmark).
        index = np.asarray(rows, dtype=np.int64)
        weights = self.weights[np.asarray(buckets, dtype=np.int64)].astype(np.float64)
        sums = np.bincount(index, weights=weights, minlength=len(sentences))
        counts = np.bincount(index, minlength=len(sentences))
        scores: NDArray[np.float64] = self.intercept + sums / np.sqrt(np.maximum(counts, 1))
        return scores

    def weight_of(self, gram: str) -> float:
        return float(self.weights[bucket(gram)])

    def to_array(self) -> NDArray[np.float32]:
        """The file's contents: the weights, then the intercept."""
        return np.append(self.weights, np.float32(self.intercept)).astype(np.float32)

    @classmethod
    def from_array(cls, array: NDArray[np.float32]) -> Lexicon:
        if array.shape != (BUCKETS + 1,):
            raise ValueError(
                f"a lexicon holds {BUCKETS + 1} numbers, not {array.shape}; "
                "run tests/benchmarks/train_news_scorer.py again"
            )
        return cls(intercept=float(array[-1]), weights=array[:-1].astype(np.float32))
