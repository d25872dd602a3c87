"""Locate and read the shared evaluation sets (outside data, never copied into the repo)."""

from __future__ import annotations

import json
from pathlib import Path

_REPO = Path(__file__).resolve().parents[2]


def shared_dir() -> Path:
    """Return ``../shared`` beside the repository, or /work/shared from a worktree."""
    beside = _REPO / ".." / "shared"
    return beside if beside.is_dir() else Path("/work/shared")


def load_eval(name: str) -> list[dict[str, str]]:
    """Read ``eval/NAME`` (JSON Lines: id, article, reference, source)."""
    path = shared_dir() / "eval" / name
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]
