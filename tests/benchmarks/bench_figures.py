"""Figures against the team's labelled set: precision and recall of value, unit and label.

Run from the repository root: ``python -m tests.benchmarks.bench_figures [--show]``.
The baseline is the whole ``summarizer`` package as it was where this branch left main (``git
merge-base HEAD main``) or at ``--baseline REV``, run in a child process on the same stories
(tests/benchmarks/git_baseline.py): its own spans, sentences and summary picks.
``figures_dev.jsonl`` is the part the fixes were tuned on. ``figures_holdout.jsonl`` was written
with it; its misses were seen while tuning the third round of fixes, so it is no longer blind.
``figures_holdout_fresh.jsonl`` was written after that round and scored blind until 1.10.2,
whose first round of fixes was read off its misses, and ``figures_holdout_third.jsonl`` until
its second. ``figures_blind.jsonl`` (2026-12-07, two writers who saw no output of ours) is the
blind part now: score it, do not read its misses. ``--show`` prints the misses of dev alone.
"""

from __future__ import annotations

import functools
import inspect
import re
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import summarizer.figures as ours
from summarizer.cleaning import clean_paragraphs
from summarizer.digest import _named_spans
from summarizer.entities import Mention
from summarizer.ranking import build_article, select_sentences
from tests.benchmarks.eval_data import read_jsonl
from tests.benchmarks.git_baseline import runs_beside, scores_beside_baseline

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PARTS = (
    "figures_dev.jsonl",
    "figures_holdout.jsonl",
    "figures_holdout_fresh.jsonl",
    "figures_holdout_third.jsonl",
    "figures_blind.jsonl",
)
TUNING_PART = PARTS[0]
# Every figure an implementation finds is scored, not only the few a digest shows.
LIMIT = 100
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "this", "that"})
# Spellings of one unit, so neither side loses for writing "kilometres" where the set says "km".
_UNIT_SYNONYMS = {
    "kilometre": "km", "kilometer": "km", "kph": "km/h", "metre": "m", "meter": "m",
    "millimetre": "mm", "millimeter": "mm", "mile": "mi", "mph": "mi/h", "hour": "h", "hr": "h",
    "percent": "%", "per cent": "%", "tonne": "t", "ton": "t", "kilogram": "kg",
    "megawatt": "mw", "gigawatt": "gw", "hectare": "ha", "minute": "min",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Found:
    value: float
    unit: str | None
    label: str | None


@dataclass
class Score:
    predicted: int = 0
    expected: int = 0
    value: int = 0
    unit: int = 0
    label: int = 0

    def cells(self) -> list[str]:
        def pr(hits: int) -> str:
            p = hits / self.predicted if self.predicted else 0.0
            r = hits / self.expected if self.expected else 0.0
            return f"{p:.2f} / {r:.2f}"

        return [pr(self.value), pr(self.unit), pr(self.label)]


Extractor = Callable[[dict[str, Any]], list[Found]]


def prepared(row: dict[str, Any]) -> tuple[str, list[Mention], Any, list[int]]:
    """The body, spans, sentences and summary picks that ``summarize`` would hand to figures."""
    paragraphs = clean_paragraphs(row["text"])
    article = build_article(paragraphs)
    chosen = select_sentences(article, method="news", max_sentences=3, max_chars=None)
    body = "\n\n".join(paragraphs)
    return body, _named_spans(body), article, list(chosen)


def extractor(module: types.ModuleType) -> Extractor:
    # An older rank_figures takes no title; ours ranks the title's figures first.
    takes_title = "title" in inspect.signature(module.rank_figures).parameters

    def run(row: dict[str, Any]) -> list[Found]:
        body, mentions, article, chosen = prepared(row)
        figures = module.rank_figures(
            mentions,
            text=body,
            sentence_spans=article.spans,
            summary_indices=chosen,
            limit=LIMIT,
            **({"title": row["title"]} if takes_title else {}),
        )
        return [Found(f.value, f.unit, f.about or None) for f in figures]

    return run


def canonical_unit(unit: str | None) -> str | None:
    if unit is None:
        return None
    parts = []
    for part in unit.lower().replace(" an ", "/").replace(" per ", "/").split("/"):
        part = part.strip()
        if len(part) > 3 and part.endswith("s"):
            part = part[:-1]
        parts.append(_UNIT_SYNONYMS.get(part, part))
    return "/".join(parts)


def _words(label: str) -> list[str]:
    words = re.findall(r"[a-z0-9'’-]+", label.lower())
    while words and words[0] in _DETERMINERS:
        words.pop(0)
    return [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words]


def label_matches(found: str | None, expected: str | None) -> bool:
    """Right if both are none, or ``found`` holds the expected head noun and at most two more words.

    "Google's quarterly profit" is expected; "profit" and "quarterly profit" pass; "announced",
    "saying inflation had cooled … but that wage" and no label at all fail.
    """
    if expected is None or found is None:
        return expected is None and found is None
    got, want = _words(found), _words(expected)
    return bool(want) and want[-1] in got and len(got) <= len(want) + 2


def score(rows: Sequence[dict[str, Any]], run: Extractor, *, show: bool) -> Score:
    total = Score()
    for row in rows:
        found = run(row)
        expected = row["figures"]
        total.predicted += len(found)
        total.expected += len(expected)
        unmatched = list(found)
        for want in expected:
            hit = next((f for f in unmatched if _same_value(f.value, want["value"])), None)
            if hit is None:
                if show:
                    print(f"  MISSED {row['id']}: {want['text']!r}")
                continue
            unmatched.remove(hit)
            total.value += 1
            unit_ok = canonical_unit(hit.unit) == canonical_unit(want["unit"])
            label_ok = label_matches(hit.label, want["label"])
            total.unit += unit_ok
            total.label += label_ok
            if show and not (unit_ok and label_ok):
                print(
                    f"  {row['id']}: {want['text']!r} unit {hit.unit!r} (want {want['unit']!r}) "
                    f"label {hit.label!r} (want {want['label']!r})"
                )
        if show:
            for extra in unmatched:
                print(f"  EXTRA {row['id']}: {extra}")
    return total


def _same_value(found: float, expected: float) -> bool:
    return abs(found - expected) <= 1e-6 * max(1.0, abs(expected))


@functools.cache
def labelled_parts() -> dict[str, list[dict[str, Any]]]:
    return {part: read_jsonl(FIXTURES / part) for part in PARTS}


def part_scores(show: bool) -> dict[str, list[str]]:
    """Each part's cells for the summarizer this process imports."""
    return {
        part: score(rows, extractor(ours), show=show and part == TUNING_PART).cells()
        for part, rows in labelled_parts().items()
    }


def main() -> None:
    compared = scores_beside_baseline(
        __doc__.splitlines()[0], "print each miss of ours on dev", __spec__.name, part_scores
    )
    if compared is None:
        return  # the baseline's child process has printed its scores
    revision, baseline, ourselves = compared
    print("precision / recall, figures matched by value within each article")
    print("| part | figures | run | value | unit | label |")
    print("|---|---|---|---|---|---|")
    for part, rows in labelled_parts().items():
        count = sum(len(row["figures"]) for row in rows)
        for name, cells in runs_beside(revision, baseline, ourselves, part):
            print(f"| {part} | {count} | {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
