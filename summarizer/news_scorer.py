"""The news method's learned sentence scorer, whose weights and trees ship in the package.

tests/benchmarks/train_news_scorer.py fits them on a seeded split of cnn_train and the team's
Mail-style stories and writes news_scorer.json and news_lexicon.npy; at run time only numpy
reads them, so the install needs no learning library.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray

from summarizer.lexicon import Lexicon
from summarizer.sentence_features import FEATURE_NAMES

WEIGHTS_FILE = "news_scorer.json"
LEXICON_FILE = "news_lexicon.npy"
# The trees read one column more than the linear model: the lexicon's score (see lexicon.py).
TREE_FEATURES = (*FEATURE_NAMES, "lexicon")
_TREE_FIELDS = ("feature", "threshold", "left", "right", "value")


@dataclass(frozen=True, slots=True)
class BoostedTrees:
    """Gradient-boosted regression trees, stored as padded node arrays (trees × nodes).

    A linear score cannot say "the lead matters when it is long and central, not when it is a
    one-line teaser"; shallow trees can, and on five folds of cnn_train's training part adding
    them raised ROUGE-1 + ROUGE-2 + ROUGE-Lsum over Lead-3 from +7.1 to +8.4. Evaluated here
    instead of by scikit-learn so that the install stays light: a node sends a sentence left
    when its feature is at most the threshold, as scikit-learn's HistGradientBoosting does, and
    a leaf (``left`` 0: the root is nobody's child) holds its share of the score.
    """

    feature: NDArray[np.int64]
    threshold: NDArray[np.float64]
    left: NDArray[np.int64]
    right: NDArray[np.int64]
    value: NDArray[np.float64]

    def score(self, matrix: NDArray[np.float64]) -> NDArray[np.float64]:
        """The trees' summed leaf values for each row of ``matrix``."""
        trees = np.arange(len(self.feature))[:, None]
        rows = np.arange(len(matrix))[None, :]
        node = np.zeros((len(self.feature), len(matrix)), dtype=np.int64)
        while True:
            left = self.left[trees, node]
            inner = left > 0
            if not inner.any():
                break
            goes_left = matrix[rows, self.feature[trees, node]] <= self.threshold[trees, node]
            node = np.where(inner, np.where(goes_left, left, self.right[trees, node]), node)
        result: NDArray[np.float64] = self.value[trees, node].sum(axis=0)
        return result

    def to_lists(self) -> list[dict[str, list[float]]]:
        """One dict of node lists per tree, padding left out."""
        trees = []
        for row in range(len(self.feature)):
            size = _tree_size(self.left[row], self.right[row])
            trees.append({name: getattr(self, name)[row, :size].tolist() for name in _TREE_FIELDS})
        return trees

    @classmethod
    def from_lists(cls, trees: list[dict[str, list[float]]]) -> BoostedTrees:
        width = max((len(tree["value"]) for tree in trees), default=1)

        def padded(name: str, dtype: type) -> NDArray[Any]:
            array: NDArray[Any] = np.zeros((len(trees), width), dtype=dtype)
            for row, tree in enumerate(trees):
                array[row, : len(tree[name])] = tree[name]
            return array

        return cls(
            feature=padded("feature", np.int64),
            threshold=padded("threshold", np.float64),
            left=padded("left", np.int64),
            right=padded("right", np.int64),
            value=padded("value", np.float64),
        )


def _tree_size(left: NDArray[np.int64], right: NDArray[np.int64]) -> int:
    return int(max(left.max(initial=0), right.max(initial=0))) + 1


def average_ranks(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Each value's rank from 0, equal values sharing their mean rank (scipy's rankdata - 1)."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.ones(len(values), dtype=bool)
    starts[1:] = ordered[1:] != ordered[:-1]
    first = np.flatnonzero(starts)
    sizes = np.diff(np.append(first, len(values)))
    group_rank = first + (sizes - 1) / 2
    ranks = np.empty(len(values))
    ranks[order] = group_rank[np.cumsum(starts) - 1]
    return ranks


@dataclass(frozen=True, slots=True)
class NewsScorer:
    """Standardised features times weights, trees beside them, and the selection knobs."""

    mean: NDArray[np.float64]
    scale: NDArray[np.float64]
    weights: NDArray[np.float64]
    # Two sentences sharing this much (LexRank's idf-cosine) say one thing: the later one goes.
    redundancy: float
    # A Telegram reader gets about this many words; a sentence that would overrun it is passed
    # over for a shorter one further down the ranking.
    max_words: int
    trees: BoostedTrees
    lexicon: Lexicon

    def linear(self, matrix: NDArray[np.float64]) -> NDArray[np.float64]:
        result: NDArray[np.float64] = ((matrix - self.mean) / self.scale) @ self.weights
        return result

    def score(self, matrix: NDArray[np.float64], sentences: Sequence[str]) -> NDArray[np.float64]:
        """One score per sentence (a row of ``matrix``, its text in ``sentences``); only the
        order matters.

        The linear model and the trees each rank the article's sentences and the ranks are
        added: the two disagree in scale but agree on most orders, and on the folds the pair
        beat either alone (the trees alone: +7.4). The trees also read the lexicon's score.
        """
        lexical = self.lexicon.score(sentences)
        trees = self.trees.score(np.column_stack([matrix, lexical]))
        return average_ranks(self.linear(matrix)) + average_ranks(trees)

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(FEATURE_NAMES),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "weights": self.weights.tolist(),
            "redundancy": self.redundancy,
            "max_words": self.max_words,
            "tree_features": list(TREE_FEATURES),
            "trees": self.trees.to_lists(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], lexicon: Lexicon) -> NewsScorer:
        """The scorer ``to_dict`` wrote, whose trees read ``lexicon``'s scores."""
        if (
            tuple(data["features"]) != FEATURE_NAMES
            or tuple(data.get("tree_features", ())) != TREE_FEATURES
        ):
            # Weights belong to one list of features in one order, and come with their trees
            # and lexicon; anything else is a stale file.
            raise ValueError(
                f"{WEIGHTS_FILE} was trained on other features or without the lexicon; "
                "run tests/benchmarks/train_news_scorer.py again"
            )
        return cls(
            mean=np.asarray(data["mean"], dtype=np.float64),
            scale=np.asarray(data["scale"], dtype=np.float64),
            weights=np.asarray(data["weights"], dtype=np.float64),
            redundancy=float(data["redundancy"]),
            max_words=int(data["max_words"]),
            trees=BoostedTrees.from_lists(data["trees"]),
            lexicon=lexicon,
        )


@functools.cache
def news_scorer() -> NewsScorer:
    """The shipped scorer, read from the package once per process."""
    package = resources.files("summarizer")
    with package.joinpath(LEXICON_FILE).open("rb") as file:
        lexicon = Lexicon.from_array(np.load(file, allow_pickle=False))
    data = json.loads(package.joinpath(WEIGHTS_FILE).read_text(encoding="utf-8"))
    return NewsScorer.from_dict(data, lexicon)
