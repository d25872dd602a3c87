"""The /trend chart: any words draw, and charts drawn in parallel threads are all whole PNGs."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from bot.charts import trend_png

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FIRST, LAST = date(2026, 11, 1), date(2026, 11, 28)


@pytest.mark.parametrize(
    "words", ["wind farm", "$x^$", "50$ and $60", r"\frac{", "<b>&", "שלום 😀"]
)
def test_any_words_draw_a_png(words: str) -> None:
    png = trend_png(
        words, [(date(2026, 11, 3), 4), (date(2026, 11, 20), 1)], first=FIRST, last=LAST
    )
    assert png.startswith(PNG_SIGNATURE)


def test_charts_drawn_at_once_in_threads_are_identical_to_one_drawn_alone() -> None:
    counts = [(date(2026, 11, n), n) for n in range(1, 29)]
    alone = trend_png("storm", counts, first=FIRST, last=LAST)
    with ThreadPoolExecutor(max_workers=4) as pool:
        charts = list(
            pool.map(lambda _: trend_png("storm", counts, first=FIRST, last=LAST), range(8))
        )
    assert all(chart == alone for chart in charts)
