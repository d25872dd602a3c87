"""The /trend chart: mentions per day as a PNG, drawn with matplotlib's headless backend."""

from __future__ import annotations

import gettext
import io
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

import matplotlib

matplotlib.use("Agg")  # no display on a server; must precede any pyplot import anywhere
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from jobs.i18n import ENGLISH, translation
from jobs.reader_language import format_short_day


def trend_png(
    words: str,
    counts: Sequence[tuple[date, int]],
    *,
    first: date,
    last: date,
    tr: gettext.NullTranslations | None = None,
    reader: str | None = None,
) -> bytes:
    """A bar per day from ``first`` to ``last`` (days without mentions show as zero).

    A bare ``Figure`` rather than pyplot: pyplot keeps global state, and charts are drawn in
    worker threads, two users' /trend at once.
    """
    tr = tr or translation(ENGLISH)
    by_day = dict(counts)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    values = [by_day.get(day, 0) for day in days]
    figure = Figure(figsize=(8, 3.2), dpi=110)
    axes = figure.subplots()
    positions = list(range(len(days)))
    axes.bar(positions, values, color="#2f6db5", width=0.8)
    ticks = positions[::7] if len(days) > 10 else positions
    axes.set_xticks(
        ticks, [format_short_day(datetime.combine(days[i], time()), reader=reader) for i in ticks]
    )
    # "$" would start matplotlib's mathtext (and a stray one fails to parse): show it as typed.
    literal = words.replace("$", r"\$")
    axes.set_title(
        tr.gettext("Stories mentioning “{words}”, per day").format(words=literal), fontsize=11
    )
    axes.set_ylabel(tr.gettext("stories"))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
