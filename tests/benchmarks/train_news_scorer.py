"""Fit the news scorer's weights on cnn_train and write summarizer/news_scorer.json (seeded).

Run from the repository root: ``python -m tests.benchmarks.train_news_scorer`` (needs the test
extra, which brings scikit-learn). It learns only from the training part of the seeded split in
tests/benchmarks/eval_data.py; the held-out 200 stories, CNN/DM dev and BBC dev are never read.

Labels: for each story the greedy oracle (the sentences that, added one at a time, most raise
ROUGE-1 + ROUGE-2 F1 against the human highlights, at most three), as extractive news systems
since SummaRuNNer label theirs. Our own sentence splitter makes the candidates, so the labels
match the sentences the summarizer will see. Model: logistic regression on standardised
features. Half the stories (seeded) are shown flattened into one paragraph and without their
headline, the shape of CNN/DM and most feed items, so the weights do not lean on paragraph
breaks and headlines that are often missing. The regularisation, the redundancy threshold and
the word budget are chosen on a validation part of the training split, then the model is fitted
again on all of it. ``--check`` fits and compares with the shipped file instead of writing.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from rouge_score import rouge_scorer, tokenizers
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from summarizer.cleaning import clean_paragraphs
from summarizer.news_scorer import WEIGHTS_FILE, NewsScorer
from summarizer.ranking import build_article, news_features, select_news
from summarizer.sentence_features import SentenceFeatures
from tests.benchmarks.bench_summarizer_quality import SCORES, SENTENCES
from tests.benchmarks.eval_data import TRAIN_FILE, load_eval, train_split

SEED = 14
VALIDATION = 200
C_GRID = (0.1, 1.0)
REDUNDANCY_GRID = (0.2, 0.3, 0.4, 0.5)
MAX_WORDS_GRID = (60, 70, 85, 100)
OUTPUT = Path(__file__).resolve().parents[2] / "summarizer" / WEIGHTS_FILE


@dataclass(frozen=True, slots=True)
class Story:
    """One training story as the summarizer sees it, with its highlights and oracle labels."""

    sentences: tuple[str, ...]
    features: SentenceFeatures
    reference: str
    labels: NDArray[np.float64]


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _f1(candidate: Counter[tuple[str, ...]], reference: Counter[tuple[str, ...]]) -> float:
    overlap = sum((candidate & reference).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(candidate.values())
    recall = overlap / sum(reference.values())
    return 2 * precision * recall / (precision + recall)


def oracle_labels(sentences: Sequence[str], reference: str) -> NDArray[np.float64]:
    """1 for the greedy oracle's sentences (ROUGE-1 + ROUGE-2 F1, rouge-score's tokens)."""
    tokenizer = tokenizers.DefaultTokenizer(use_stemmer=True)
    tokens = [tokenizer.tokenize(s) for s in sentences]
    wanted = tokenizer.tokenize(reference)
    target = (_ngrams(wanted, 1), _ngrams(wanted, 2))
    chosen: list[int] = []
    best = 0.0
    while len(chosen) < SENTENCES:
        gains = []
        for index in range(len(sentences)):
            if index in chosen:
                continue
            joined = [t for i in sorted([*chosen, index]) for t in tokens[i]]
            value = _f1(_ngrams(joined, 1), target[0]) + _f1(_ngrams(joined, 2), target[1])
            gains.append((value, index))
        if not gains or max(gains)[0] <= best:
            break
        best, index = max(gains)
        chosen.append(index)
    labels = np.zeros(len(sentences))
    labels[chosen] = 1.0
    return labels


def load_story(row: dict[str, Any], plain: bool) -> Story | None:
    """``row`` as a story; ``plain`` flattens it to one paragraph without its headline."""
    paragraphs = clean_paragraphs(row["article"])
    if paragraphs and paragraphs[0].strip() == row["title"].strip():
        paragraphs = paragraphs[1:]
    if plain:
        paragraphs = [" ".join(paragraphs)]
    article = build_article(paragraphs)
    if len(article.sentences) <= SENTENCES:
        return None  # every choice is the whole story: nothing to learn
    features = news_features(article, None if plain else row["title"])
    labels = oracle_labels(article.sentences, row["reference"])
    return Story(article.sentences, features, row["reference"], labels)


def load_stories(rows: list[dict[str, Any]], plain: list[bool]) -> list[Story]:
    stories = [load_story(row, flat) for row, flat in zip(rows, plain, strict=True)]
    return [s for s in stories if s is not None]


def fit(stories: list[Story], c: float) -> tuple[NDArray[np.float64], ...]:
    """Standardisation and weights of a logistic regression on every sentence of ``stories``."""
    x = np.vstack([s.features.matrix for s in stories])
    y = np.concatenate([s.labels for s in stories])
    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    model = LogisticRegression(C=c, max_iter=2000).fit((x - scaler.mean_) / scale, y)
    return scaler.mean_, scale, model.coef_[0]


def mean_rouge(stories: list[Story], scorer: NewsScorer) -> NDArray[np.float64]:
    """Mean ROUGE-1, -2 and -Lsum F1 ×100 of the scorer's 3-sentence picks."""
    rouge = rouge_scorer.RougeScorer(list(SCORES), use_stemmer=True)
    totals = np.zeros(len(SCORES))
    for story in stories:
        chosen = select_news(story.features, scorer, SENTENCES, None)
        prediction = "\n".join(story.sentences[i] for i in chosen)
        result = rouge.score(story.reference, prediction)
        totals += [100 * result[name].fmeasure for name in SCORES]
    return totals / len(stories)


def train(rows: list[dict[str, Any]]) -> NewsScorer:
    """Choose the knobs on a validation part of ``rows``, then fit on all of them."""
    rng = random.Random(SEED)
    plain = [rng.random() < 0.5 for _ in rows]
    order = list(range(len(rows)))
    rng.shuffle(order)
    validation = set(order[:VALIDATION])
    fitting = [i for i in range(len(rows)) if i not in validation]
    fit_stories = load_stories([rows[i] for i in fitting], [plain[i] for i in fitting])
    # Validation stories are scored in both shapes, with paragraphs and headline and without.
    held = [rows[i] for i in sorted(validation)]
    check = load_stories(held, [False] * len(held)) + load_stories(held, [True] * len(held))
    print(f"fitting on {len(fit_stories)} stories, validating on {len(check)}", file=sys.stderr)
    best: tuple[float, float, float, int] | None = None
    for c in C_GRID:
        mean, scale, weights = fit(fit_stories, c)
        for redundancy, max_words in itertools.product(REDUNDANCY_GRID, MAX_WORDS_GRID):
            scorer = NewsScorer(mean, scale, weights, redundancy, max_words)
            value = float(mean_rouge(check, scorer).sum())
            print(f"  C={c} redundancy={redundancy} max_words={max_words}: {value:.2f}")
            if best is None or value > best[0]:
                best = (value, c, redundancy, max_words)
    assert best is not None
    _, c, redundancy, max_words = best
    print(f"chosen: C={c} redundancy={redundancy} max_words={max_words}", file=sys.stderr)
    everything = load_stories(rows, plain)
    mean, scale, weights = fit(everything, c)
    return NewsScorer(mean, scale, weights, redundancy, max_words)


def to_json(scorer: NewsScorer) -> str:
    # Rounded so the file is small and reads the same on every machine's last float digit.
    data = scorer.to_dict()
    for key in ("mean", "scale", "weights"):
        data[key] = [round(v, 6) for v in data[key]]
    return json.dumps(data, indent=1) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped weights")
    args = parser.parse_args()
    training, _ = train_split(load_eval(TRAIN_FILE))
    text = to_json(train(training))
    if args.check:
        same = OUTPUT.read_text(encoding="utf-8") == text
        print(f"{OUTPUT.name} {'matches' if same else 'DIFFERS from'} a fresh fit")
        raise SystemExit(0 if same else 1)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
