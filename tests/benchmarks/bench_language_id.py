"""Language identification accuracy and summary speed per language, against baselines in one run.

Run from the repo root: ``python -m tests.benchmarks.bench_language_id [--texts 20] [--runs 5]``.

The labelled set is assembled from the stories the team wrote (tests/summarizer/foreign_articles
.py, and the English ones of tests/summarizer/articles.py; no outside data): for each language,
``--texts`` paragraphs of 300-1,000 characters, each a seeded random draw of that language's
sentences (with repeats where a story is shorter than the paragraph), and every single sentence
on its own (the hard case: 20-150 characters). It reports, on the same texts:

- ours: ``summarizer.language_id.identify_language`` without hints, and with a wrong hint
  (every text tagged "en", as a feed that leaves its default on would);
- the baseline: ``summarizer.language.stop_word_language``, the stop-word and script check the
  summarizer used before 1.4.0 (a script counts as its commonest language: Cyrillic as ru, Han
  as zh, Arabic as ar, kana as ja, which is generous to it).

Then summary speed: CPU milliseconds per story, summary alone and full digest, per language
beside English, runs interleaved language by language so load affects all alike.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import defaultdict
from collections.abc import Callable

from summarizer import summarize
from summarizer.cleaning import clean_paragraphs
from summarizer.language import stop_word_language
from summarizer.language_id import identify_language
from summarizer.languages import PROFILES
from summarizer.multilingual_ranking import split_article
from tests.benchmarks._common import machine_facts
from tests.summarizer.articles import GERMAN_STORY, WIRE_STORY
from tests.summarizer.foreign_articles import STORIES

MIN_CHARS, MAX_CHARS = 300, 1_000


def sentences_by_language() -> dict[str, list[str]]:
    """Every sentence of the team's stories, by ISO 639-1 code, page furniture cleaned away."""
    texts: dict[str, list[str]] = defaultdict(list)
    for story in STORIES:
        texts[story.code].append(story.text)
    texts["en"].append(WIRE_STORY)
    texts["de"].append(GERMAN_STORY)
    found: dict[str, list[str]] = {}
    for code, stories in texts.items():
        profile = PROFILES[code]
        found[code] = [
            s
            for text in stories
            for s in split_article(clean_paragraphs(text), profile).sentences
            if len(s) >= 20
        ]
    return found


def paragraphs(sentences: list[str], count: int, rng: random.Random) -> list[str]:
    """``count`` paragraphs of 300-1,000 characters drawn from ``sentences``."""
    drawn: list[str] = []
    while len(drawn) < count:
        order = sentences[:]
        rng.shuffle(order)
        paragraph = ""
        for sentence in order * 4:  # repeats only where the story is short of 300 characters
            if len(paragraph) >= MIN_CHARS:
                break
            if len(paragraph) + len(sentence) + 1 <= MAX_CHARS:
                paragraph = f"{paragraph} {sentence}".strip()
        if MIN_CHARS <= len(paragraph) <= MAX_CHARS:
            drawn.append(paragraph)
    return drawn


def accuracy(
    labelled: dict[str, list[str]], identify: Callable[[str], str]
) -> tuple[dict[str, float], float, float]:
    """Per-language accuracy, overall accuracy, and microseconds per text."""
    per_language: dict[str, float] = {}
    right = total = 0
    started = time.process_time()
    for code, texts in labelled.items():
        hits = sum(identify(text) == code for text in texts)
        per_language[code] = hits / len(texts)
        right += hits
        total += len(texts)
    spent = time.process_time() - started
    return per_language, right / total, spent / total * 1e6


def measure_speed(runs: int) -> dict[str, tuple[float, float]]:
    """CPU ms per story (summary alone, full digest) by language, runs interleaved."""
    stories = {"en": (WIRE_STORY, None)} | {s.code: (s.text, s.title) for s in STORIES}
    for text, title in stories.values():  # models and lists load outside the timing
        summarize(text, title=title)
    spent: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for _ in range(runs):
        for code, (text, title) in stories.items():
            started = time.process_time()
            summarize(text, title=title, extract=False)
            middle = time.process_time()
            summarize(text, title=title)
            spent[code][0] += middle - started
            spent[code][1] += time.process_time() - middle
    return {code: (a / runs * 1e3, b / runs * 1e3) for code, (a, b) in spent.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=20, help="paragraphs per language")
    parser.add_argument("--runs", type=int, default=20, help="speed runs per story")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    print(machine_facts())
    rng = random.Random(args.seed)
    sentences = sentences_by_language()
    sets = {
        "paragraphs": {c: paragraphs(s, args.texts, rng) for c, s in sentences.items()},
        "single sentences": sentences,
    }
    identify_language("warm the model up before timing")  # loads py3langid's model once
    rows = [
        ("ours (py3langid + priors)", identify_language),
        ("ours, every text tagged 'en'", lambda text: identify_language(text, ("en",))),
        ("baseline: stop-word check", stop_word_language),
    ]
    for name, labelled in sets.items():
        sizes = [len(t) for texts in labelled.values() for t in texts]
        print(
            f"\n{name}: {len(sizes)} texts, {len(labelled)} languages, "
            f"{min(sizes)}-{max(sizes)} characters"
        )
        codes = sorted(labelled)
        print(f"{'identifier':<30} {'all':>5} {'µs':>6}  " + " ".join(f"{c:>4}" for c in codes))
        for row, identify in rows:
            per_language, overall, micros = accuracy(labelled, identify)
            cells = " ".join(f"{per_language[c]:>4.2f}" for c in codes)
            print(f"{row:<30} {overall:>5.3f} {micros:>6.0f}  {cells}")
    print("\nsummary speed, CPU ms per story (summary alone / full digest) and length:")
    speed = measure_speed(args.runs)
    lengths = {"en": summarize(WIRE_STORY, extract=False)} | {
        s.code: summarize(s.text, title=s.title, extract=False) for s in STORIES
    }
    for code in ["en", *sorted(c for c in speed if c != "en")]:
        alone, full = speed[code]
        digest = lengths[code]
        unit = "words" if PROFILES[code].spaced else "characters"
        label = f"{code} (baseline)" if code == "en" else code
        print(f"  {label:<14} {alone:6.1f} / {full:6.1f}   {digest.word_count} {unit}")


if __name__ == "__main__":
    main()
