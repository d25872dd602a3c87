"""Run a benchmark against the summarizer as it was at another revision, in the same run.

The baseline is the whole ``summarizer`` package at that revision (``git merge-base HEAD main``
unless told otherwise), exported to a scratch folder and imported by a child process, so a
change spread over several modules (figures.py and figure_units.py, say) is measured whole.
The benchmark's own code and fixtures stay as they are now.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[2]


def _git(*args: str) -> bytes:
    # git from PATH with fixed arguments: this is a developer's benchmark, not a service.
    return subprocess.run(  # noqa: S603
        ["git", *args],  # noqa: S607
        cwd=_ROOT,
        capture_output=True,
        check=True,
    ).stdout


def baseline_revision(revision: str | None) -> str:
    """The commit ``revision`` names ("HEAD~1" too), or where this branch left main (on main
    itself that is HEAD), abbreviated."""
    named = revision or _git("merge-base", "HEAD", "main").decode().strip()
    return _git("rev-parse", "--short", named).decode().strip()


def run_at_revision(revision: str, module: str, *args: str) -> str:
    """Standard output of ``python -m module args`` with ``summarizer`` as it was at ``revision``.

    The child starts in the scratch folder, so the exported package comes first on its path,
    ahead of the editable install; the rest (tests, fixtures) is found through PYTHONPATH.
    """
    archive = _git("archive", "--format=tar", revision, "summarizer")
    with tempfile.TemporaryDirectory() as scratch:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(scratch, filter="data")
        env = {**os.environ, "PYTHONPATH": str(_ROOT)}
        return subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
            [sys.executable, "-m", module, *args],
            cwd=scratch,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout


PartScores = dict[str, list[str]]


def runs_beside(
    revision: str, baseline: PartScores, ours: PartScores, part: str
) -> list[tuple[str, list[str]]]:
    """One part's rows of a benchmark table: (run's name, its cells), the baseline first."""
    return [(f"baseline ({revision})", baseline[part]), ("ours", ours[part])]


def scores_beside_baseline(
    description: str, show_help: str, module: str, part_scores: Callable[[bool], PartScores]
) -> tuple[str, PartScores, PartScores] | None:
    """Read the benchmark's options; return (revision, the baseline's scores, ours) per part.

    ``part_scores(show)`` scores every part with the summarizer its process imports. Options:
    ``--show`` (passed to it), ``--baseline REV``, and ``--scores``, which the child process is
    run with: it prints its scores as JSON for the parent, and this returns None.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--show", action="store_true", help=show_help)
    parser.add_argument(
        "--baseline", metavar="REV", help="git revision to compare with (default: the merge base)"
    )
    parser.add_argument("--scores", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scores:
        print(json.dumps(part_scores(False)))
        return None
    revision = baseline_revision(args.baseline)
    baseline = json.loads(run_at_revision(revision, module, "--scores"))
    return revision, baseline, part_scores(args.show)
