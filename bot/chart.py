"""The /trend chart: articles mentioning words per day, drawn as a PNG with matplotlib."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, timedelta

import matplotlib

# No display in a bot process: the Agg backend draws to memory only. Set before pyplot loads.
matplotlib.use("Agg")
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator


def daily_series(
    counts: Sequence[tuple[date, int]], *, first: date, last: date
) -> list[tuple[date, int]]:
    """Every day from ``first`` to ``last``, with 0 where nothing matched."""
    by_day = dict(counts)
    days = (last - first).days + 1
    return [
        (first + timedelta(days=n), by_day.get(first + timedelta(days=n), 0)) for n in range(days)
    ]


def trend_png(words: str, series: Sequence[tuple[date, int]]) -> bytes:
    """A bar chart of ``series``; Figure (not pyplot) keeps no global state between threads."""
    figure = Figure(figsize=(8, 4), dpi=100)
    axes = figure.subplots()
    axes.bar(range(len(series)), [count for _, count in series], color="#2a7ab9", width=0.8)
    # A "$" would start matplotlib mathtext; user words are shown literally.
    literal = words.replace("$", r"\$")
    axes.set_title(f"Articles mentioning “{literal}” per day")
    axes.set_ylabel("articles")
    # Integer positions with date labels: a label every few days stays readable over four weeks.
    step = max(1, len(series) // 8)
    axes.set_xticks(range(0, len(series), step), [f"{day:%d %b}" for day, _ in series[::step]])
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="y", alpha=0.3)
    figure.autofmt_xdate()
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
