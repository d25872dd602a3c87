"""Counted nouns: Babel's plural rules for English now, a gettext catalog's once there is one,
and every message that shows a count, rendered with 1 and with 2."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations

from bot.commands.ingest import summary_line
from bot.render import render_search_page, render_settings
from jobs.alert_query import AlertQueryError, check_alert_count
from jobs.digests import DigestItem, render_header
from jobs.i18n import translation
from jobs.ingest import TickReport
from jobs.plurals import counted
from jobs.search_results import FoundStory
from store.models import Chat
from store.search import FoundArticle


def test_english_counts_pick_the_form_by_babels_rule() -> None:
    assert counted(0, "story", "stories") == "0 stories"
    assert counted(1, "story", "stories") == "1 story"
    assert counted(2, "story", "stories") == "2 stories"
    assert counted(21, "story", "stories") == "21 stories"


def test_a_catalog_with_its_own_plural_rules_plugs_in() -> None:
    catalog = Catalog(locale="ru")  # three forms: one, few, many
    catalog.add(("story", "stories"), ("история", "истории", "историй"))
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    russian = Translations(buffer)
    assert [counted(n, "story", "stories", translations=russian) for n in (1, 3, 5, 21)] == [
        "1 история",
        "3 истории",
        "5 историй",
        "21 история",
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "12,345 stories"), ("de", "12.345 Meldungen"), ("fr", "12\u202f345 infos")],
)
def test_counts_are_grouped_as_the_readers_locale_writes_numbers(
    language: str, expected: str
) -> None:
    tr = None if language == "en" else translation(language)
    assert counted(12345, "story", "stories", translations=tr) == expected


def _item(n: int, source: str) -> DigestItem:
    return DigestItem(f"s{n}", f"Story {n}", f"https://n.test/{n}", source, (), (), (), (), 1.0)


@pytest.mark.parametrize(
    ("count", "expected"), [(1, "1 story from 1 source"), (2, "2 stories from 2 sources")]
)
def test_digest_header(count: int, expected: str) -> None:
    items = [_item(n, f"Outlet {n}") for n in range(count)]
    header = render_header(items, local_now=datetime(2026, 12, 3, 8, tzinfo=UTC))
    assert header.endswith(expected)


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 feed fetched: 1 new article, 1 updated, 1 unchanged, 1 error"),
        (2, "2 feeds fetched: 2 new articles, 2 updated, 2 unchanged, 2 errors"),
    ],
)
def test_ingest_summary(count: int, expected: str) -> None:
    assert summary_line(TickReport(count, count, count, count, count)) == expected


@pytest.mark.parametrize(
    ("count", "expected"), [(1, "Summary: 1 sentence\n"), (2, "Summary: 2 sentences\n")]
)
def test_settings_summary_length(count: int, expected: str) -> None:
    chat = Chat(
        id=1,
        timezone="UTC",
        items_per_digest=8,
        summary_sentences=count,
        show_entities=True,
        show_figures=True,
    )
    assert expected in render_settings(chat, "daily at 08:00", None)


@pytest.mark.parametrize(
    ("count", "expected"), [(1, ": 1 recent story"), (2, ": 2 recent stories")]
)
def test_search_heading(count: int, expected: str) -> None:
    found = [
        FoundStory(
            FoundArticle(
                n,
                f"s{n}",
                f"Story {n}",
                f"https://n.test/{n}",
                "",
                datetime(2026, 12, 3, tzinfo=UTC),
                (),
            ),
            (),
        )
        for n in range(count)
    ]
    page = render_search_page("rates", found, total=count, page=0, pages=1, language=None)
    assert page.split("\n", 1)[0].endswith(expected)


@pytest.mark.parametrize(("count", "expected"), [(1, "has 1 alert,"), (2, "has 2 alerts,")])
def test_alert_limit(count: int, expected: str) -> None:
    with pytest.raises(AlertQueryError, match=expected):
        check_alert_count(count, max_rules=count)
