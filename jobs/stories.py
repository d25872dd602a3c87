"""Near-duplicate detection for grouping one story's copies: MinHash signatures, LSH band keys.

How the database uses it: store ``signature.to_bytes()`` on each article and its
``band_keys()`` in an indexed (article, key) table. For a new article, the candidates are the
articles sharing any band key (``WHERE key IN (...)``); confirm each with :func:`similar`
(:func:`pick_story` does that for a batch) and join the best match's story.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from datasketch import LeanMinHash, MinHash

from jobs.plaintext import normalize_text

NUM_PERM = 64
BANDS = 32
ROWS_PER_BAND = NUM_PERM // BANDS
SHINGLE_WORDS = 5
# Chosen with tests/benchmarks/bench_stories.py (BBC articles and edited syndicated copies):
# 32 bands of 2 rows make a pair a candidate with probability 1 - (1 - s**2)**32, which is
# 99.6% at Jaccard 0.4 and 8% at 0.05 (unrelated news sharing stock phrases); confirming at 0.4
# grouped 95.5% of copies with no wrong merge, where 16 bands of 4 rows at 0.5 grouped 80%.
SAME_STORY_THRESHOLD = 0.4
# Persisted with every signature: the scheme and parameters that make signatures comparable.
_SCHEME = "affine32"
_SEED = 1
_FORMAT = 1

Key = TypeVar("Key")


@dataclass(frozen=True, slots=True)
class StorySignature:
    """A MinHash of a text's word 5-shingles, comparable across processes and releases."""

    hashvalues: tuple[int, ...]

    def to_bytes(self) -> bytes:
        """A compact form for a database column: one format byte, then 32-bit values."""
        return bytes([_FORMAT]) + np.asarray(self.hashvalues, dtype=">u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> StorySignature:
        if not data or data[0] != _FORMAT or len(data) != 1 + 4 * NUM_PERM:
            raise ValueError("not a story signature of the current format")
        return cls(tuple(int(v) for v in np.frombuffer(data[1:], dtype=">u4")))

    def band_keys(self) -> tuple[int, ...]:
        """One signed 64-bit key per LSH band (fits a BIGINT); the band number is mixed in,
        so keys of different bands never collide and one indexed column serves every band."""
        values = np.asarray(self.hashvalues, dtype=">u4")
        keys = []
        for band in range(BANDS):
            rows = values[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND].tobytes()
            digest = hashlib.blake2b(rows, digest_size=8, salt=band.to_bytes(16, "big")).digest()
            keys.append(int.from_bytes(digest, "big", signed=True))
        return tuple(keys)


def shingles(text: str) -> set[str]:
    """Overlapping runs of five normalized words (the whole text if it is shorter)."""
    words = normalize_text(text).split()
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def text_signature(text: str) -> StorySignature:
    """The signature of an article's text; raises ValueError for a text without words."""
    pieces = shingles(text)
    if not pieces:
        raise ValueError("a text without words has no story signature")
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    minhash.update_batch([piece.encode() for piece in pieces])
    return StorySignature(tuple(int(v) for v in minhash.hashvalues))


def _lean(signature: StorySignature) -> LeanMinHash:
    return LeanMinHash(seed=_SEED, hashvalues=signature.hashvalues, scheme=_SCHEME)


def similar(a: StorySignature, b: StorySignature) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets, 0.0 to 1.0."""
    return float(_lean(a).jaccard(_lean(b)))


def pick_story(
    signature: StorySignature,
    candidates: Iterable[tuple[Key, StorySignature]],
    *,
    threshold: float = SAME_STORY_THRESHOLD,
) -> Key | None:
    """The key of the most similar candidate at or above ``threshold``, or None."""
    best: tuple[float, Key] | None = None
    for key, other in candidates:
        score = similar(signature, other)
        if score >= threshold and (best is None or score > best[0]):
            best = (score, key)
    return best[1] if best else None


def content_hash(text: str) -> str:
    """SHA-256 (hex) of the normalized text: equal for copies that differ only in case,
    punctuation or spacing, different after any edit to the words."""
    return hashlib.sha256(normalize_text(text).encode()).hexdigest()
