"""The installed version of newsdigest, for --version and the User-Agent."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def package_version() -> str:
    try:
        return version("newsdigest")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "0+unknown"
