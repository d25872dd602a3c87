"""Finding feeds from a site's HTML page."""

from __future__ import annotations

import pytest

from jobs.discovery import discover_feed_urls
from jobs.feeds import NotAFeed, parse_feed
from jobs.fetch import PAGE_ACCEPT, SafeFetcher
from tests.feedserver import FeedServer


def test_alternate_links_in_page_order_without_repeats() -> None:
    html = b"""<html><head>
      <link rel="alternate" type="application/atom+xml" href="/atom.xml">
      <link rel="stylesheet" href="/s.css">
      <link rel="alternate" hreflang="fr" href="/fr/">
      <link rel="ALTERNATE" type="application/RSS+XML; charset=utf-8" href="feeds/rss.xml">
      <link rel="alternate" type="application/feed+json" href="/feed.json">
      <link rel="alternate" type="application/atom+xml" href="/atom.xml">
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
    </head><body><link rel="alternate" type="application/rss+xml" href="/late.xml"></body></html>"""

    assert discover_feed_urls(html, "https://site.example/blog/") == [
        "https://site.example/atom.xml",
        "https://site.example/blog/feeds/rss.xml",
        "https://site.example/late.xml",
    ]


def test_base_href_is_honoured() -> None:
    html = (
        '<head><base href="https://cdn.example/x/"><link rel="alternate" '
        'type="application/rss+xml" href="rss"></head>'
    )

    assert discover_feed_urls(html, "https://site.example/") == ["https://cdn.example/x/rss"]


def test_pages_without_feeds_and_empty_input() -> None:
    assert discover_feed_urls(b"<html><body>No feeds</body></html>", "https://a.example/") == []
    assert discover_feed_urls(b"", "https://a.example/") == []


async def test_adding_a_page_finds_its_feed(fetcher: SafeFetcher, feed_server: FeedServer) -> None:
    page = await fetcher.fetch(feed_server.url("/page.html"), accept=PAGE_ACCEPT)
    with pytest.raises(NotAFeed):
        parse_feed(page.body, url=page.url, max_entries=10, content_type=page.content_type)
    found = discover_feed_urls(page.body, page.url)

    assert found == [
        feed_server.url("/rss2.xml"),
        feed_server.url("/atom.xml"),
        feed_server.url("/comments.xml"),
    ]
    feed = await fetcher.fetch(found[0])
    assert parse_feed(feed.body, url=feed.url, max_entries=10).title == "Harbour Gazette"
