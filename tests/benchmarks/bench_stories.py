"""How well story signatures group syndicated copies, measured on BBC articles and edited copies.

Run from the repo root: ``python -m tests.benchmarks.bench_stories``. For each of the BBC
development articles (outside data, read from ../shared/eval) it makes a syndicated copy the way
agencies and partner sites do (agency tag, a sentence added, the last paragraph dropped, a few
words changed), indexes the originals by their LSH band keys as the database will, and reports:

- recall: copies grouped with their own original;
- false merges: copies grouped with a different article, and distinct originals that would be
  grouped with each other;
- the baselines measured in the same run: an exact content hash (what "no duplicates" gives
  without near-duplicate detection) and datasketch's own in-memory ``MinHashLSH`` at the same
  threshold (the library reference our band-key scheme must match).
"""

from __future__ import annotations

import json
import random
import time
from collections import defaultdict
from pathlib import Path

from datasketch import MinHash, MinHashLSH

from jobs.stories import (
    NUM_PERM,
    SAME_STORY_THRESHOLD,
    StorySignature,
    content_hash,
    pick_story,
    similar,
    text_signature,
)


def shared_dir() -> Path:
    repo_sibling = Path(__file__).resolve().parents[2] / ".." / "shared"
    return repo_sibling if repo_sibling.is_dir() else Path("/work/shared")


def load_articles(limit: int | None = None) -> list[tuple[str, str]]:
    rows = []
    with (shared_dir() / "eval" / "bbc_dev.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            rows.append((str(row["id"]), str(row["article"])))
    return rows[:limit]


def syndicated_copy(text: str, rng: random.Random) -> str:
    """An agency/partner copy: tagged, trimmed, lightly re-worded."""
    paragraphs = [p for p in text.split("\n") if p.strip()]
    if len(paragraphs) > 3:
        paragraphs = paragraphs[:-1]
    words = " ".join(paragraphs).split(" ")
    for _ in range(max(1, len(words) // 40)):
        words[rng.randrange(len(words))] = rng.choice(["said", "reported", "the", "new", "also"])
    return "(Wire) " + " ".join(words) + " Additional reporting by the newsdesk."


def main() -> None:
    rng = random.Random(7)
    articles = load_articles()
    copies = [(article_id, syndicated_copy(text, rng)) for article_id, text in articles]

    started = time.perf_counter()
    signatures = {article_id: text_signature(text) for article_id, text in articles}
    per_article_ms = (time.perf_counter() - started) / len(articles) * 1000

    # Our scheme: band-key index (the database table), then confirmation by similarity.
    index: dict[int, set[str]] = defaultdict(set)
    for article_id, signature in signatures.items():
        for key in signature.band_keys():
            index[key].add(article_id)

    def group(signature: StorySignature, exclude: str | None = None) -> tuple[str | None, int]:
        candidates = {c for key in signature.band_keys() for c in index.get(key, ())} - {exclude}
        chosen = pick_story(signature, [(c, signatures[c]) for c in sorted(candidates)])
        return chosen, len(candidates)

    ours_hits = ours_wrong = candidate_total = 0
    for article_id, text in copies:
        chosen, candidates = group(text_signature(text))
        candidate_total += candidates
        ours_hits += chosen == article_id
        ours_wrong += chosen is not None and chosen != article_id
    originals_merged = sorted(
        {
            tuple(sorted((aid, other)))
            for aid, sig in signatures.items()
            if (other := group(sig, exclude=aid)[0]) is not None
        }
    )

    # Baseline 1: exact content hash.
    hashes = {content_hash(text): article_id for article_id, text in articles}
    hash_hits = sum(hashes.get(content_hash(text)) == article_id for article_id, text in copies)

    # Baseline 2: datasketch's MinHashLSH with the same permutations and threshold.
    lsh = MinHashLSH(threshold=SAME_STORY_THRESHOLD, num_perm=NUM_PERM)
    for article_id, signature in signatures.items():
        lsh.insert(article_id, MinHash(hashvalues=signature.hashvalues, scheme="affine32"))
    lsh_hits = 0
    for article_id, text in copies:
        query = MinHash(hashvalues=text_signature(text).hashvalues, scheme="affine32")
        lsh_hits += article_id in lsh.query(query)

    n = len(copies)
    print(f"BBC dev articles: {n}; one syndicated copy each (threshold {SAME_STORY_THRESHOLD})")
    print(f"{'method':<38}{'copies grouped':>16}{'wrong merges':>14}")
    print(f"{'band keys + similarity (jobs.stories)':<38}{ours_hits / n:>15.1%}{ours_wrong:>14}")
    print(f"{'baseline: exact content hash':<38}{hash_hits / n:>15.1%}{0:>14}")
    print(
        f"{'reference: datasketch MinHashLSH':<38}{lsh_hits / n:>15.1%}{'n/a':>14}"
        "  (its candidates, unconfirmed)"
    )
    print(f"pairs of originals grouped together: {len(originals_merged)} (read them: the BBC set")
    print("holds a few re-published and updated stories, which should be grouped)")
    for first, second in originals_merged:
        score = similar(signatures[first], signatures[second])
        print(f"  {first} ~ {second}: similarity {score:.2f}")
    print(f"candidates per lookup: {candidate_total / n:.2f}; signature: {per_article_ms:.2f} ms")


if __name__ == "__main__":
    main()
