"""Every package directory and data file is in pyproject.toml, so a non-editable install ships it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
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


def test_the_wheel_ships_every_catalog(tmp_path: Path) -> None:
    """A non-editable install reads its catalogs from the package (jobs/i18n.py): built from a
    copy, so the checkout gets no build/ or egg-info of the test's making."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for top in ("bot", "jobs", "store", "summarizer"):
        shutil.copytree(ROOT / top, source / top, ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
    subprocess.run(  # noqa: S603 -- our own interpreter and paths
        [*pip, "--no-index", "--wheel-dir", str(tmp_path / "wheel"), str(source)],
        check=True,
        capture_output=True,
    )
    [wheel] = (tmp_path / "wheel").glob("newsdigest-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    catalogs = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "jobs" / "locale").glob("*/LC_MESSAGES/messages.po")
    }
    assert "jobs/locale/de/LC_MESSAGES/messages.po" in catalogs
    assert catalogs <= shipped
