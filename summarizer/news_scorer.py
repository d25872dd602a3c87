"""The news method's learned sentence scorer: a linear model whose weights ship in the package.

tests/benchmarks/train_news_scorer.py fits the weights on a seeded split of cnn_train and writes
news_scorer.json; at run time only numpy reads them, so the install needs no learning library.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray

from summarizer.sentence_features import FEATURE_NAMES

WEIGHTS_FILE = "news_scorer.json"
# The indicator features of the first three sentences (raw 0/1 columns of the feature matrix).
_LEAD_COLUMNS = [FEATURE_NAMES.index(name) for name in ("first", "second", "third")]


@dataclass(frozen=True, slots=True)
class NewsScorer:
    """Standardised features times weights, and the selection knobs fitted with them."""

    mean: NDArray[np.float64]
    scale: NDArray[np.float64]
    weights: NDArray[np.float64]
    # Two sentences sharing this much (LexRank's idf-cosine) say one thing: the later one goes.
    redundancy: float
    # A Telegram reader gets about this many words; a sentence that would overrun it is passed
    # over for a shorter one further down the ranking.
    max_words: int
    # Added to the score of the first three sentences: a later sentence replaces one of the lead
    # only when the weights prefer it by this much. The weights learn where CNN puts its points;
    # other outlets lead harder, and a swap the model is unsure of costs more than it brings.
    lead_margin: float = 0.0

    def score(self, matrix: NDArray[np.float64]) -> NDArray[np.float64]:
        """One score per sentence (a row of ``matrix``); only the order matters."""
        result: NDArray[np.float64] = ((matrix - self.mean) / self.scale) @ self.weights
        if self.lead_margin:
            result = result + self.lead_margin * matrix[:, _LEAD_COLUMNS].sum(axis=1)
        return result

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(FEATURE_NAMES),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "weights": self.weights.tolist(),
            "redundancy": self.redundancy,
            "max_words": self.max_words,
            "lead_margin": self.lead_margin,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NewsScorer:
        if tuple(data["features"]) != FEATURE_NAMES:
            # Weights belong to one list of features in one order; anything else is a stale file.
            raise ValueError(
                f"{WEIGHTS_FILE} was trained on other features; "
                "run tests/benchmarks/train_news_scorer.py again"
            )
        return cls(
            mean=np.asarray(data["mean"], dtype=np.float64),
            scale=np.asarray(data["scale"], dtype=np.float64),
            weights=np.asarray(data["weights"], dtype=np.float64),
            redundancy=float(data["redundancy"]),
            max_words=int(data["max_words"]),
            lead_margin=float(data["lead_margin"]),
        )


@functools.cache
def news_scorer() -> NewsScorer:
    """The shipped scorer, read from the package once per process."""
    text = resources.files("summarizer").joinpath(WEIGHTS_FILE).read_text(encoding="utf-8")
    return NewsScorer.from_dict(json.loads(text))
