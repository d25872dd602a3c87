"""ROUGE of 3-sentence summaries: the news method beside Lead-3 and every sumy method, one table.

Run from the repository root: ``python -m tests.benchmarks.bench_summarizer_quality``.
``--lines even`` scores the lines the news weights were tuned on (0, 2, 4, ...), ``--lines odd``
the held-out rest; the default is every line.
"""

from __future__ import annotations

import argparse
import sys
import time

from rouge_score import rouge_scorer

from summarizer import METHODS, SummarizerError, summarize
from tests.benchmarks.eval_data import load_eval

SETS = {"CNN/DM": "cnndm_dev.jsonl", "BBC": "bbc_dev.jsonl"}
SENTENCES = 3
SCORES = ("rouge1", "rouge2", "rougeLsum")


def score_method(
    scorer: rouge_scorer.RougeScorer, rows: list[dict[str, str]], method: str
) -> tuple[list[float], int]:
    """Mean F1 ×100 per score over ``rows``, and how many articles the summarizer refused."""
    totals = [0.0] * len(SCORES)
    refused = 0
    for row in rows:
        try:
            digest = summarize(
                row["article"], max_sentences=SENTENCES, method=method, extract=False
            )
            prediction = "\n".join(digest.sentences)
        except SummarizerError:
            refused += 1
            prediction = ""  # a refusal scores zero, so it cannot flatter a method
        result = scorer.score(row["reference"], prediction)
        for i, name in enumerate(SCORES):
            totals[i] += result[name].fmeasure
    return [100 * t / len(rows) for t in totals], refused


def pick_lines(rows: list[dict[str, str]], lines: str) -> list[dict[str, str]]:
    """Every row, or the even (tuning) or odd (held-out) lines counted from 0."""
    return rows if lines == "all" else rows[{"even": 0, "odd": 1}[lines] :: 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", choices=("all", "even", "odd"), default="all")
    lines = parser.parse_args().lines
    scorer = rouge_scorer.RougeScorer(list(SCORES), use_stemmer=True)
    data = {label: pick_lines(load_eval(name), lines) for label, name in SETS.items()}
    table: dict[str, list[float]] = {}
    refusals: dict[str, int] = {}
    started = time.perf_counter()
    for method in METHODS:
        table[method] = []
        for label, rows in data.items():
            scores, refused = score_method(scorer, rows, method)
            table[method] += scores
            refusals[f"{method} {label}"] = refused
        print(f"  scored {method} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)

    sizes = ", ".join(f"{label} {len(rows)} articles" for label, rows in data.items())
    print(
        f"ROUGE F1 x100, {SENTENCES}-sentence summaries, rouge-score with stemming, "
        f"{lines} lines ({sizes})"
    )
    header = "| method | " + " | ".join(
        f"{label} {s}" for label in data for s in ("R-1", "R-2", "R-Lsum")
    )
    print(header + " |")
    print("|---" * (1 + 3 * len(data)) + "|")
    for method, values in table.items():
        name = {"lead": "Lead-3 (baseline)", "news": "news (ours)"}.get(method, f"sumy {method}")
        print(f"| {name} | " + " | ".join(f"{v:.1f}" for v in values) + " |")
    _verdict(table, list(data))
    nonzero = {k: v for k, v in refusals.items() if v}
    if nonzero:
        print(f"articles refused (scored 0): {nonzero}")


def _verdict(table: dict[str, list[float]], labels: list[str]) -> None:
    sumy_methods = [m for m in table if m not in ("news", "lead")]
    for i, label in enumerate(labels):
        news = table["news"][3 * i : 3 * i + 3]
        lead = table["lead"][3 * i : 3 * i + 3]
        best = max(sumy_methods, key=lambda m: table[m][3 * i])
        beats_lead = all(n > b for n, b in zip(news, lead, strict=True))
        beats_best = all(n > b for n, b in zip(news, table[best][3 * i : 3 * i + 3], strict=True))
        print(
            f"{label}: news beats Lead-3 on all three: {'yes' if beats_lead else 'NO'}; "
            f"beats the best sumy method ({best}) on all three: {'yes' if beats_best else 'NO'}"
        )


if __name__ == "__main__":
    main()
