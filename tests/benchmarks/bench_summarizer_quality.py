"""ROUGE of 3-sentence summaries: the news method beside Lead-3 and every sumy method, one table.

Run from the repository root: ``python -m tests.benchmarks.bench_summarizer_quality``. It scores
the news scorer's held-out parts of cnn_train and of the team's Mail-style stories, short and
long, and the Mail-style stories it was never fitted on (tests/benchmarks/eval_data.py says
which is which), CNN/DM dev and BBC dev; ``--sets`` picks among them. ``--data FILE`` scores
any JSON Lines file of the same format instead (``article``, ``reference`` one sentence a line,
optional ``title``), and may be given more than once. Beside every method's mean, the paired 95 %
bootstrap interval of (news − Lead-3) per score says whether a difference is more than noise.
``--baseline REV`` also scores the news method as the summarizer package was at that revision
(in a child process, tests/benchmarks/git_baseline.py) and prints (news − that) the same way,
so a new scorer is judged against the one it replaces on the same articles in one run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from rouge_score import rouge_scorer

from summarizer import METHODS, SummarizerError, summarize
from tests.benchmarks.eval_data import (
    TRAIN_FILE,
    load_eval,
    mail_long_split,
    mail_long_unseen,
    mail_split,
    mail_unseen,
    read_jsonl,
    train_split,
)
from tests.benchmarks.git_baseline import baseline_revision, run_at_revision

SENTENCES = 3
SCORES = ("rouge1", "rouge2", "rougeLsum")
BOOTSTRAP_SAMPLES = 10_000
BOOTSTRAP_SEED = 2026


# The sets scored by default, each read only when asked for: the held-out splits and unseen
# stories the news scorer never trained on, CNN/DM dev and BBC dev.
DEFAULT_SETS: dict[str, Callable[[], list[dict[str, Any]]]] = {
    "CNN held-out": lambda: train_split(load_eval(TRAIN_FILE))[1],
    "Mail-style held-out": lambda: mail_split()[1],
    "Mail-style unseen": mail_unseen,
    "Mail-style long held-out": lambda: mail_long_split()[1],
    "Mail-style long unseen": mail_long_unseen,
    "CNN/DM": lambda: load_eval("cnndm_dev.jsonl"),
    "BBC": lambda: load_eval("bbc_dev.jsonl"),
}


def default_sets(names: Sequence[str] = tuple(DEFAULT_SETS)) -> dict[str, list[dict[str, Any]]]:
    """The named default sets, in the order given."""
    return {name: DEFAULT_SETS[name]() for name in names}


def score_method(
    scorer: rouge_scorer.RougeScorer, rows: list[dict[str, Any]], method: str
) -> tuple[NDArray[np.float64], int]:
    """Per-article F1 ×100 (articles × scores), and how many articles the summarizer refused."""
    table = np.zeros((len(rows), len(SCORES)))
    refused = 0
    for row_index, row in enumerate(rows):
        try:
            digest = summarize(
                row["article"],
                title=row.get("title"),
                max_sentences=SENTENCES,
                method=method,
                extract=False,
            )
            prediction = "\n".join(digest.sentences)
        except SummarizerError:
            refused += 1
            prediction = ""  # a refusal scores zero, so it cannot flatter a method
        result = scorer.score(row["reference"], prediction)
        table[row_index] = [100 * result[name].fmeasure for name in SCORES]
    return table, refused


def paired_interval(
    ours: NDArray[np.float64], baseline: NDArray[np.float64], seed: int = BOOTSTRAP_SEED
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Mean of (ours − baseline) per score and its paired 95 % bootstrap interval (low, high).

    Paired: each resample draws articles, and both methods are scored on the same draw, so the
    interval reflects how the difference varies between articles, not how hard articles are.
    """
    differences = ours - baseline
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(differences), size=(BOOTSTRAP_SAMPLES, len(differences)))
    means = differences[draws].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5], axis=0)
    return differences.mean(axis=0), low, high


def _interval_cells(
    ours: NDArray[np.float64], baseline: NDArray[np.float64]
) -> tuple[str, NDArray[np.float64]]:
    """ "R-1 +0.81 [+0.15, +1.49], ..." for (ours − baseline), and the intervals' low ends."""
    mean, low, high = paired_interval(ours, baseline)
    cells = ", ".join(
        f"{name} {m:+.2f} [{lo:+.2f}, {hi:+.2f}]"
        for name, m, lo, hi in zip(("R-1", "R-2", "R-Lsum"), mean, low, high, strict=True)
    )
    return cells, low


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, action="append", help="a JSONL file to score instead of the defaults"
    )
    parser.add_argument(
        "--sets",
        nargs="+",
        choices=DEFAULT_SETS,
        default=list(DEFAULT_SETS),
        help="which default sets to score (default: all)",
    )
    parser.add_argument(
        "--methods", nargs="+", choices=METHODS, default=list(METHODS), help="default: all"
    )
    parser.add_argument(
        "--baseline", metavar="REV", help="also score the news method as it was at this revision"
    )
    parser.add_argument("--news-scores", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    methods = list(dict.fromkeys(["news", "lead", *args.methods]))
    data = (
        {path.name: read_jsonl(path) for path in args.data}
        if args.data
        else default_sets(args.sets)
    )
    scorer = rouge_scorer.RougeScorer(list(SCORES), use_stemmer=True)
    if args.news_scores:  # the child process of --baseline: per-article scores as JSON
        tables = {
            label: score_method(scorer, rows, "news")[0].tolist() for label, rows in data.items()
        }
        print(json.dumps(tables))
        return
    before: dict[str, NDArray[np.float64]] = {}
    revision = ""
    if args.baseline:
        revision = baseline_revision(args.baseline)
        child = (
            [part for path in args.data for part in ("--data", str(path.resolve()))]
            if args.data
            else ["--sets", *args.sets]
        )
        output = run_at_revision(
            revision, "tests.benchmarks.bench_summarizer_quality", *child, "--news-scores"
        )
        before = {label: np.array(table) for label, table in json.loads(output).items()}
    per_article: dict[tuple[str, str], NDArray[np.float64]] = {}
    refusals: dict[str, int] = {}
    started = time.perf_counter()
    for method in methods:
        for label, rows in data.items():
            per_article[method, label], refused = score_method(scorer, rows, method)
            refusals[f"{method} {label}"] = refused
        print(f"  scored {method} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)

    sizes = ", ".join(f"{label} {len(rows)} articles" for label, rows in data.items())
    print(f"ROUGE F1 x100, {SENTENCES}-sentence summaries, rouge-score with stemming ({sizes})")
    header = "| method | " + " | ".join(
        f"{label} {s}" for label in data for s in ("R-1", "R-2", "R-Lsum")
    )
    print(header + " |")
    print("|---" * (1 + 3 * len(data)) + "|")
    for method in methods:
        name = {"lead": "Lead-3 (baseline)", "news": "news (ours)"}.get(method, f"sumy {method}")
        values = [v for label in data for v in per_article[method, label].mean(axis=0)]
        print(f"| {name} | " + " | ".join(f"{v:.1f}" for v in values) + " |")
    print(f"news − Lead-3, mean [paired 95% bootstrap interval, {BOOTSTRAP_SAMPLES:,} resamples]:")
    for label in data:
        cells, low = _interval_cells(per_article["news", label], per_article["lead", label])
        verdict = "above zero on all three" if bool((low > 0).all()) else "NOT above zero on all"
        print(f"  {label}: {cells}; {verdict}")
    if before:
        print(f"news − news at {revision}, mean [paired 95% bootstrap interval]:")
        for label in data:
            print(f"  {label}: {_interval_cells(per_article['news', label], before[label])[0]}")
    nonzero = {k: v for k, v in refusals.items() if v}
    if nonzero:
        print(f"articles refused (scored 0): {nonzero}")


if __name__ == "__main__":
    main()
