"""Throughput and latency on CNN/DM: full digest, summary alone, and plain sumy LexRank alone.

Run from the repository root: ``python -m tests.benchmarks.bench_summarizer_speed``.
"""

from __future__ import annotations

import os
import resource
import statistics
import time
from collections.abc import Callable

from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

from summarizer import english_pipeline, summarize
from summarizer.sentences import SumyTokenizer
from tests.benchmarks.eval_data import load_eval

SENTENCES = 3
TARGET_FULL_PER_SECOND = 5.0


def sumy_lexrank(text: str) -> object:
    """sumy's own LexRank as its README uses it, with our tokenizer (NLTK's punkt is absent)."""
    parser = PlaintextParser.from_string(text, SumyTokenizer())
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    return summarizer(parser.document, SENTENCES)


def full_digest(text: str) -> object:
    return summarize(text, max_sentences=SENTENCES)


def summary_alone(text: str) -> object:
    return summarize(text, max_sentences=SENTENCES, extract=False)


def measure(
    runs: dict[str, Callable[[str], object]], texts: list[str]
) -> dict[str, tuple[float, float, float, float]]:
    """Articles per second, p50 and p95 ms per article, and mean CPU ms, for each run.

    The runs take turns article by article, so a busy neighbour on a shared machine slows all
    of them alike; CPU time (this process only) shows the cost without the neighbours.
    """
    for run in runs.values():
        run(texts[0])  # warm caches (stemmer, stop words) outside the timing
    timings: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, float] = dict.fromkeys(runs, 0.0)
    for text in texts:
        for name, run in runs.items():
            t0, c0 = time.perf_counter(), time.process_time()
            run(text)
            timings[name].append(time.perf_counter() - t0)
            cpu[name] += time.process_time() - c0
    result = {}
    for name, values in timings.items():
        cuts = statistics.quantiles(values, n=100)
        result[name] = (
            len(values) / sum(values),
            1000 * cuts[49],
            1000 * cuts[94],
            1000 * cpu[name] / len(values),
        )
    return result


def main() -> None:
    texts = [row["article"] for row in load_eval("cnndm_dev.jsonl")]
    t0 = time.perf_counter()
    english_pipeline()
    load_seconds = time.perf_counter() - t0
    runs: dict[str, Callable[[str], object]] = {
        "sumy LexRank alone (baseline)": sumy_lexrank,
        "summary alone (news)": summary_alone,
        "full digest (summary, entities, figures)": full_digest,
    }
    rows = list(measure(runs, texts).items())
    print(f"CNN/DM dev, {len(texts)} articles, one process, {SENTENCES} sentences")
    print("| run | articles/s | p50 ms | p95 ms | CPU ms/article |")
    print("|---|---|---|---|---|")
    for name, (rate, p50, p95, cpu_ms) in rows:
        print(f"| {name} | {rate:.1f} | {p50:.1f} | {p95:.1f} | {cpu_ms:.1f} |")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"spaCy pipeline load (once per process): {load_seconds:.2f} s; peak RSS {peak_mb:.0f} MB"
    )
    # Other processes on a shared machine slow the wall-clock figures; say how busy it was.
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    fast_enough = rows[2][1][0] >= TARGET_FULL_PER_SECOND
    not_slower = rows[1][1][0] >= rows[0][1][0]
    print(
        f"full digest >= {TARGET_FULL_PER_SECOND:g}/s: {'yes' if fast_enough else 'NO'}; "
        f"summary alone no slower than sumy LexRank: {'yes' if not_slower else 'NO'}"
    )


if __name__ == "__main__":
    main()
