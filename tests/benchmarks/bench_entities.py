"""Key entities against the team's labelled stories: top-5 precision and recall, kind accuracy.

Run from the repository root: ``python -m tests.benchmarks.bench_entities [--show]``.
The baseline is the whole ``summarizer`` package as it was where this branch left main (``git
merge-base HEAD main``) or at ``--baseline REV`` (on main, to compare with a release before),
run in a child process on the same stories (tests/benchmarks/git_baseline.py).
``entities_dev.jsonl`` is the part the fixes were tuned on (``--show`` prints its misses);
``entities_holdout.jsonl`` was written with it, before any fix, and scored blind until 1.10.1,
whose cues were read off its misses; ``entities_fresh.jsonl`` (24 stories by two writers who saw
no output of ours, 2026-12-07) is the blind part now: score it, do not read its misses. The
seed story is read from ``../shared/seeds`` when present and scored against names listed here.

Scoring, per story: a listed entity matches a label when its text is the label's name or one of
its aliases (case aside). A second entity matching the same label (an unmerged surname) and one
matching none (a glued span, "Source") are wrong. Nationality adjectives are not labelled, so a
`group` that matches no label is skipped before the top 5 are taken, for both runs alike.
Top-5 precision: right entities among the first 5. Top-5 recall: the story's key labels (its
subjects, at most 5, marked by the writer) among the first 5. All-list precision and recall
count every entity a digest keeps (25) against every label. Kind accuracy: among entities that
match a label, those of the label's kind (person, organisation, place, work, event, group,
product).
"""

from __future__ import annotations

import functools
import types
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import summarizer.entities as ours
from summarizer.cleaning import clean_paragraphs
from summarizer.digest import MAX_ENTITIES, _named_spans
from summarizer.ranking import build_article, select_sentences
from tests.benchmarks.eval_data import read_jsonl, shared_dir
from tests.benchmarks.git_baseline import runs_beside, scores_beside_baseline

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PARTS = ("entities_dev.jsonl", "entities_holdout.jsonl", "entities_fresh.jsonl")
TUNING_PART = PARTS[0]
TOP = 5
SEED = "000_36baa20e2a7028b4.txt"
P, ORG, L, E, R = "person", "organisation", "place", "event", "product"
# The seed wire story's names (the text stays outside the repository): the story is about
# Chinese firms abroad and the Belt and Road Initiative; Xiaomi and its people lead it.
SEED_ENTITIES: list[tuple[str, str, list[str], bool]] = [
    ("Xiaomi", ORG, [], True), ("Belt and Road Initiative", E, ["Belt and Road"], True),
    ("China", L, ["Chinese"], True), ("Zhongguancun", L, [], True), ("Lei Jun", P, ["Lei"], True),
    ("Drozdov Evgeny", P, ["Evgeny"], False), ("Russia", L, ["Russian"], False),
    ("MIUI", R, [], False), ("Southeast Asia", L, ["Southeast Asian"], False),
    ("Africa", L, ["African"], False), ("Latin America", L, [], False), ("Apple", ORG, [], False),
    ("Samsung", ORG, [], False), ("Indonesia", L, [], False), ("Ukraine", L, [], False),
    ("India", L, [], False), ("Redmi note 4A", R, [], False), ("Wang Xiang", P, ["Wang"], False),
    ("Microsoft", ORG, [], False), ("Qualcomm", ORG, [], False),
    ("International Data Corporation", ORG, ["IDC"], False), ("Mi band 2", R, [], False),
    ("Beijing", L, [], False), ("DaTang Telecom", ORG, ["DaTang", "Datang"], False),
    ("Ecuador", L, ["Ecuadorian"], False), ("Yachay City of Knowledge", ORG, [], False),
    ("GSMA Intelligence", ORG, ["GSMA"], False),
    ("Beijing Xinwei Technology Group", ORG, ["Xinwei"], False), ("Cambodia", L, [], False),
    ("Tanzania", L, [], False), ("Sida Times", ORG, [], False), ("Kenya", L, [], False),
    ("South Africa", L, [], False), ("Jack Ma", P, ["Ma"], False), ("Alibaba", ORG, [], False),
    ("Kuala Lumpur", L, [], False), ("Malaysia", L, ["Malaysian"], False),
    ("Electronic World Trade Platform", ORG, ["eWTP"], False), ("Tang Joo Shen", P, ["Tang"], False),
    ("Melaka", L, [], False), ("Aik Cheong Coffee", ORG, [], False),
    ("United States", L, ["U.S."], False), ("Canada", L, [], False), ("Europe", L, [], False),
    ("IZP Technologies", ORG, ["IZP"], False), ("Middle East", L, [], False),
    ("Silk Road Economic Belt", E, [], False), ("21st Century Maritime Silk Road", E, [], False),
    ("Silk Road", L, [], False), ("Xi Jinping", P, ["Xi"], False), ("Asia", L, [], False),
    ("Zhongguancun Administrative Committee", ORG, [], False), ("Zeng Xiaodong", P, ["Zeng"], False),
    ("South America", L, [], False), ("World Economic Forum", E, [], False),
    ("Davos", L, [], False), ("Switzerland", L, [], False),
    ("Boston Consulting Group", ORG, ["BCG"], False), ("Hans-Paul Buerkner", P, ["Buerkner"], False),
    ("Xinhua", ORG, [], False),
]  # fmt: skip


@dataclass
class Score:
    stories: int = 0
    top_listed: int = 0
    top_right: int = 0
    keys: int = 0
    keys_found: int = 0
    listed: int = 0
    right: int = 0
    labels: int = 0
    kinds_right: int = 0

    def cells(self) -> list[str]:
        def ratio(a: int, b: int) -> str:
            return f"{a / b:.2f}" if b else "-"

        return [
            ratio(self.top_right, self.top_listed),
            ratio(self.keys_found, self.keys),
            ratio(self.right, self.listed),
            ratio(self.right, self.labels),
            ratio(self.kinds_right, self.right),
        ]


def _fold(name: str) -> str:
    name = " ".join(name.split()).casefold()
    return name.removeprefix("the ")


def score_story(
    row: dict[str, Any], found: Sequence[tuple[str, str]], total: Score, *, show: bool
) -> None:
    """Add one story's figures to ``total``; ``found`` is (text, kind) in rank order."""
    labels = row["entities"]
    by_name = {_fold(n): i for i, e in enumerate(labels) for n in [e["name"], *e["aliases"]]}
    matched: set[int] = set()
    kept = 0
    total.stories += 1
    total.labels += len(labels)
    keys = {i for i, e in enumerate(labels) if e["key"]}
    total.keys += len(keys)
    for text, kind in found:
        label = by_name.get(_fold(text))
        if label is None and kind == "group":
            continue
        kept += 1
        top = kept <= TOP
        total.listed += 1
        total.top_listed += top
        right = label is not None and label not in matched
        if right:
            assert label is not None
            matched.add(label)
            total.right += 1
            total.top_right += top
            total.keys_found += top and label in keys
            kind_ok = labels[label]["kind"] == kind
            total.kinds_right += kind_ok
            if show and not kind_ok:
                print(f"  KIND {row['id']}: {text!r} {kind} (want {labels[label]['kind']})")
        elif show and top:
            why = "DUPLICATE" if label is not None else "WRONG"
            print(f"  {why} {row['id']} top {kept}: {text!r} ({kind})")
    if show:
        top_keys = {by_name.get(_fold(t)) for t, _ in found[:TOP]}
        for i in sorted(keys - top_keys):
            print(f"  MISSED KEY {row['id']}: {labels[i]['name']!r}")


def run_entities(module: types.ModuleType, row: dict[str, Any]) -> list[tuple[str, str]]:
    """What ``summarize`` hands to ranking, ranked by ``module``: (text, kind) in order."""
    paragraphs = clean_paragraphs(row["text"])
    title = row.get("title")
    if paragraphs and title and paragraphs[0].strip() == title.strip():
        paragraphs = paragraphs[1:]
    article = build_article(paragraphs)
    chosen = select_sentences(article, method="news", max_sentences=3, max_chars=None, title=title)
    body = "\n\n".join(paragraphs)
    ranked = module.rank_entities(
        _named_spans(body),
        text=body,
        title=title,
        summary=[article.sentences[i] for i in chosen],
        limit=MAX_ENTITIES,
    )
    return [(e.text, e.kind) for e in ranked]


def seed_rows() -> list[dict[str, Any]]:
    path = shared_dir() / "seeds" / SEED
    if not path.is_file():
        return []
    paragraphs = clean_paragraphs(path.read_text(encoding="utf-8"))
    entities = [{"name": n, "kind": k, "aliases": a, "key": key} for n, k, a, key in SEED_ENTITIES]
    return [{"id": "seed", "title": paragraphs[0], "text": "\n\n".join(paragraphs[1:]),
             "entities": entities}]  # fmt: skip


@functools.cache
def labelled_parts() -> dict[str, list[dict[str, Any]]]:
    parts = {part: read_jsonl(FIXTURES / part) for part in PARTS}
    if seed := seed_rows():
        parts["seed story"] = seed
    return parts


def part_scores(show: bool) -> dict[str, list[str]]:
    """Each part's cells for the summarizer this process imports."""
    scores = {}
    for part, rows in labelled_parts().items():
        total = Score()
        for row in rows:
            score_story(row, run_entities(ours, row), total, show=show and part == TUNING_PART)
        scores[part] = total.cells()
    return scores


def main() -> None:
    compared = scores_beside_baseline(
        __doc__.splitlines()[0], "print the misses of ours on dev", __spec__.name, part_scores
    )
    if compared is None:
        return  # the baseline's child process has printed its scores
    revision, baseline, ourselves = compared
    print(f"top {TOP} and all {MAX_ENTITIES} listed entities against the labels")
    print(
        "| part | stories | labels | run | top-5 precision | top-5 recall of key | "
        "all precision | all recall | kind accuracy |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for part, rows in labelled_parts().items():
        labels = sum(len(r["entities"]) for r in rows)
        for name, cells in runs_beside(revision, baseline, ourselves, part):
            print(f"| {part} | {len(rows)} | {labels} | {name} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
