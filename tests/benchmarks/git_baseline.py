"""Load a module as main had it where this branch forked, to measure it beside ours in one run."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import types
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[2]


def _git(*args: str) -> str:
    # git from PATH with fixed arguments: this is a developer's benchmark, not a service.
    return subprocess.run(  # noqa: S603
        ["git", *args],  # noqa: S607
        cwd=_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def load_from_merge_base(
    path: str, name: str, scratch: Path, revision: str | None = None
) -> types.ModuleType:
    """Return ``path`` (e.g. "summarizer/entities.py") at ``git merge-base HEAD main``, or at
    ``revision`` (on main itself the merge base is HEAD), as module ``name``; it imports the
    rest of the package as it is now."""
    base = revision or _git("merge-base", "HEAD", "main").strip()
    file = scratch / f"{name}.py"
    file.write_text(_git("show", f"{base}:{path}"))
    spec = importlib.util.spec_from_file_location(name, file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module
