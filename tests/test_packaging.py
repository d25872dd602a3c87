"""Every package directory is listed in pyproject.toml, so a non-editable install ships it."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_listed() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("bot", "jobs", "store", "summarizer")
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert found == listed
