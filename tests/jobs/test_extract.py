"""Full text from article pages, and telling teasers from whole stories."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from jobs.extract import ExtractionError, detect_language, extract_article, is_teaser
from jobs.feeds import parse_feed
from jobs.fetch import PAGE_ACCEPT, SafeFetcher
from tests.feedserver import FeedServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"


async def test_teaser_entry_gets_its_full_story_from_the_page(
    fetcher: SafeFetcher, feed_server: FeedServer
) -> None:
    response = await fetcher.fetch(feed_server.url("/teaser.xml"))
    feed = parse_feed(response.body, url=response.url, max_entries=20)
    entry = feed.entries[0]
    assert is_teaser(entry.text)
    assert entry.link is not None

    page = await fetcher.fetch(entry.link, accept=PAGE_ACCEPT)
    article = extract_article(page.body, url=page.url)

    # rel=canonical, without the feed's tracking parameters.
    assert article.url == feed_server.url("/articles/wind-farm-a.html")
    assert article.title == "Storm cuts power cable to offshore wind farm"
    assert article.author == "Ilse Marten"
    # 07:40 at +01:00.
    assert article.published == datetime(2026, 11, 27, 6, 40, tzinfo=UTC)
    assert article.language == "en"
    assert "remotely operated vehicle" in article.text
    assert "1.5 million euros a day" in article.text
    # Navigation, sidebars and footers are not the story.
    assert "All rights reserved" not in article.text
    assert "Most read" not in article.text
    assert not article.truncated
    assert not is_teaser(article.text)


def test_german_article_language_and_date_only_publish_time() -> None:
    article = extract_article(
        (FIXTURES / "articles" / "weinlese.html").read_bytes(),
        url="https://tal.example/weinlese?utm_source=x",
    )

    assert article.language == "de"
    assert article.author == "Karl Hummel"
    assert article.published == datetime(2026, 10, 30, tzinfo=UTC)
    assert article.url == "https://tal.example/weinlese"


def test_long_articles_are_cut_at_a_boundary() -> None:
    html = (FIXTURES / "articles" / "wind-farm-a.html").read_bytes()
    article = extract_article(html, url="https://courier.example/a", max_chars=600)

    assert article.truncated
    assert 300 <= len(article.text) <= 600
    full = extract_article(html, url="https://courier.example/a")
    assert full.text.startswith(article.text)
    assert full.text[len(article.text)] in " \n"


def test_a_page_without_text_is_an_extraction_error() -> None:
    with pytest.raises(ExtractionError, match="no article text"):
        extract_article(
            b"<html><head><title>T</title></head><body><script>var a = 1;</script></body></html>",
            url="https://x.example/",
        )


@pytest.mark.parametrize(
    ("text", "teaser"),
    [
        ("A storm damaged the export cable of the wind farm on Wednesday night…", True),
        ("Die Winzer haben so viel geerntet wie seit zwanzig Jahren nicht. Read more", True),
        ("Short item without an ellipsis.", True),
        (" ".join(["word"] * 120) + " and a trailing [...]", True),
        (" ".join(["word"] * 120) + ". The end.", False),
    ],
)
def test_is_teaser(text: str, teaser: bool) -> None:
    assert is_teaser(text) is teaser


def test_short_texts_take_the_page_language() -> None:
    assert detect_language("Kurz.", b'<!DOCTYPE html><html lang="de-AT"><head>') == "de"
    assert detect_language("Kurz.", "<html><head>") is None
