"""Throughput and latency on CNN/DM: full digest, summary alone, and plain sumy LexRank alone;
peak memory of one process digesting 243 and 3,000 articles, with and without forgetting words.

Run from the repository root: ``python -m tests.benchmarks.bench_summarizer_speed``
(``--memory-only`` skips the speed table; the memory runs take a few minutes each).
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import resource
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

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


def memory_texts(count: int) -> list[str]:
    """CNN/DM dev first (the 243 of the speed table), then BBC dev, then each cnn_train story
    as two articles (its first and second half of paragraphs): 3,278 different texts, so new
    words keep coming as they would to a long-running bot."""
    texts = [row["article"] for row in load_eval("cnndm_dev.jsonl")]
    texts += [row["article"] for row in load_eval("bbc_dev.jsonl")]
    for row in load_eval("cnn_train.jsonl"):
        paragraphs = [p for p in row["article"].split("\n") if p.strip()]
        half = max(1, len(paragraphs) // 2)
        texts += ["\n\n".join(paragraphs[:half]), "\n\n".join(paragraphs[half:])]
    return texts[:count]


@contextlib.contextmanager
def _lock_only() -> Iterator[Any]:
    """Main's behaviour before the memory zone: the lock, and spaCy keeps every word."""
    from summarizer.model import call_lock

    with call_lock:
        yield english_pipeline()


def _peak_rss(forget: bool, checkpoints: tuple[int, ...]) -> list[tuple[int, float, int, float]]:
    """In a fresh process: (articles, peak RSS MB, StringStore size, CPU ms/article) per
    checkpoint, digesting the articles of ``memory_texts`` in order."""
    import summarizer.digest

    if not forget:
        summarizer.digest.article_zone = _lock_only  # type: ignore[assignment]
    texts = memory_texts(max(checkpoints))
    nlp = english_pipeline()
    rows = []
    done, c0 = 0, time.process_time()
    for checkpoint in checkpoints:
        for text in texts[done:checkpoint]:
            with contextlib.suppress(Exception):  # a too-short half counts as read
                full_digest(text)
        done = checkpoint
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        cpu_ms = 1000 * (time.process_time() - c0) / done
        rows.append((done, peak, len(nlp.vocab.strings), cpu_ms))
    return rows


def memory_table(checkpoints: tuple[int, ...] = (243, 3000)) -> None:
    """Peak RSS, each run in a process of its own: peak RSS never falls within one process."""
    context = multiprocessing.get_context("spawn")
    runs = {"keeps every word (baseline: main)": False, "forgets each article's words (ours)": True}
    print(f"\nPeak RSS of one process digesting the articles of memory_texts ({max(checkpoints)})")
    print("| run | articles | peak RSS MB | StringStore strings | CPU ms/article |")
    print("|---|---|---|---|---|")
    for name, forget in runs.items():
        with context.Pool(1) as pool:
            rows = pool.apply(_peak_rss, (forget, checkpoints))
        for done, peak, strings, cpu_ms in rows:
            print(f"| {name} | {done} | {peak:.0f} | {strings} | {cpu_ms:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--memory-only", action="store_true", help="skip the speed table")
    parser.add_argument("--articles", type=int, default=3000, help="articles for the memory runs")
    args = parser.parse_args()
    if not args.memory_only:
        speed_table()
    memory_table((243, args.articles))


def speed_table() -> None:
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
