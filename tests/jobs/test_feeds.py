"""Feed parsing: RSS 0.9x/1.0/2.0 and Atom, lenient reading, and refusal of hostile XML."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest

from jobs.feeds import FeedParseError, HostileXML, NotAFeed, parse_feed

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"
FEED_URL = "https://gazette.example/feeds/main.xml"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_rss2_channel_and_entries() -> None:
    feed = parse_feed(fixture("rss2.xml"), url=FEED_URL, max_entries=50)

    assert (feed.title, feed.link, feed.version) == (
        "Harbour Gazette",
        "https://gazette.example/",
        "rss20",
    )
    assert feed.warning is None
    assert not feed.truncated
    first, second, third = feed.entries
    assert first.guid == "gazette-2026-0412"
    assert (
        first.link == "https://gazette.example/news/ferry-timetable?utm_source=rss&utm_medium=feed"
    )
    assert first.author == "Mara Lindqvist"
    # 08:30 at +01:00 is 07:30 UTC.
    assert first.published == datetime(2026, 11, 27, 7, 30, tzinfo=UTC)
    assert first.updated is None
    assert first.summary_html.startswith("The council voted 9 to 2")
    assert "420,000 euros" in first.text
    assert "\n" in first.text, "paragraphs stay apart"
    assert second.guid == "https://gazette.example/news/lighthouse-museum"
    assert second.text.startswith("After eighteen months of repairs")
    # No guid: the link identifies the entry.
    assert third.guid == "https://gazette.example/news/no-guid"


def test_atom_dates_are_utc_and_content_wins_over_summary() -> None:
    feed = parse_feed(fixture("atom.xml"), url=FEED_URL, max_entries=50)

    assert (feed.title, feed.version) == ("Valley Observer", "atom10")
    rail, school = feed.entries
    assert rail.guid == "tag:observer.example,2026:rail-reopens"
    assert rail.author == "Jonas Berg"
    assert rail.published == datetime(2026, 11, 27, 11, 45, tzinfo=UTC)
    assert rail.updated == datetime(2026, 11, 27, 14, 15, tzinfo=UTC)
    assert rail.text.startswith("Trains are running again")
    assert school.published is None
    assert school.updated == datetime(2026, 11, 26, 20, 0, tzinfo=UTC)
    assert school.text == "The vote moves to December 10 after a dispute over heating costs."


def test_rss1_rdf() -> None:
    feed = parse_feed(fixture("rss1.xml"), url=FEED_URL, max_entries=50)

    assert feed.version == "rss10"
    (entry,) = feed.entries
    assert entry.title == "First frost of the season recorded"
    assert entry.updated == datetime(2026, 11, 25, 23, 10, tzinfo=UTC)
    assert entry.author == "Station staff"


def test_rss091_with_netscape_doctype_and_latin1() -> None:
    feed = parse_feed(fixture("rss091.xml"), url=FEED_URL, max_entries=50)

    assert feed.version.startswith("rss091")
    assert feed.entries[0].title == "Café on the square changes hands"


def test_entries_are_capped() -> None:
    feed = parse_feed(fixture("rss2.xml"), url=FEED_URL, max_entries=2)

    assert len(feed.entries) == 2
    assert feed.truncated


def test_guids_are_not_rewritten_as_urls() -> None:
    # isPermaLink defaults to true, but "markets-fish-1127" must not become a URL on our host.
    feed = parse_feed(fixture("edited-v1.xml"), url=FEED_URL, max_entries=50)

    assert feed.entries[0].guid == "markets-fish-1127"


def test_relative_links_resolve_against_the_feed_url() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>/</link>'
        b"<item><title>A</title><link>/news/a.html</link></item></channel></rss>"
    )
    feed = parse_feed(body, url=FEED_URL, max_entries=5)

    assert feed.link == "https://gazette.example/"
    assert feed.entries[0].link == "https://gazette.example/news/a.html"


def test_only_web_links_are_an_entrys_own() -> None:
    body = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
        b"<entry><id>urn:a</id><title>A</title>"
        b'<link href="javascript:void(0)"/><link href="mailto:desk@gazette.example"/>'
        b'<link rel="alternate" href="//gazette.example/news/a.html"/></entry>'
        b'<entry><id>tag:gazette.example,2026:b</id><title>B</title><link href="data:,x"/></entry>'
        b"<entry><id>https://gazette.example/news/c.html</id><title>C</title></entry>"
        b"</feed>"
    )
    a, b, c = parse_feed(body, url=FEED_URL, max_entries=5).entries

    assert a.link == "https://gazette.example/news/a.html"
    # No web link and an id that is a name, not an address: no link rather than a dead one.
    assert b.link is None
    assert c.link == "https://gazette.example/news/c.html"


def test_malformed_xml_is_read_leniently_with_a_warning() -> None:
    feed = parse_feed(fixture("malformed.xml"), url=FEED_URL, max_entries=50)

    assert feed.warning is not None
    assert "not well-formed" in feed.warning
    assert [entry.guid for entry in feed.entries] == ["sloppy-1", "sloppy-2"]
    assert feed.entries[0].title == "Tolls rise on the bridge & tunnel"


def test_an_html_page_is_not_a_feed() -> None:
    with pytest.raises(NotAFeed, match="this is an HTML page, not a feed"):
        parse_feed(fixture("page.html"), url=FEED_URL, max_entries=50)


def test_plain_text_is_not_a_feed_nor_an_html_page() -> None:
    with pytest.raises(FeedParseError) as caught:
        parse_feed(b"just some words", url=FEED_URL, max_entries=50)
    assert not isinstance(caught.value, NotAFeed)


def test_a_body_that_is_a_file_name_is_not_opened() -> None:
    # feedparser opens bare strings as files; the body must be read as a document.
    with pytest.raises(FeedParseError) as caught:
        parse_feed(b"/etc/passwd", url=FEED_URL, max_entries=50)
    assert "root:" not in str(caught.value)


def test_entity_expansion_bomb_is_refused_without_expanding() -> None:
    tracemalloc.start()
    try:
        with pytest.raises(HostileXML, match="declares XML entities"):
            parse_feed(fixture("bomb.xml"), url=FEED_URL, max_entries=50)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Expanded, &lol9; is a billion "lol"s (3 GB); refusing it costs next to nothing.
    assert peak < 5_000_000


@pytest.mark.parametrize("name", ["xxe.xml", "xxe-parameter.xml"])
def test_external_entities_are_refused(name: str) -> None:
    with pytest.raises(HostileXML) as caught:
        parse_feed(fixture(name), url=FEED_URL, max_entries=50)
    assert "root:" not in str(caught.value)


def test_external_entity_in_utf16_is_refused() -> None:
    body = fixture("xxe.xml").decode().replace('encoding="utf-8"', 'encoding="utf-16"')

    with pytest.raises(HostileXML):
        parse_feed(body.encode("utf-16"), url=FEED_URL, max_entries=50)


def test_entity_declaration_in_malformed_xml_is_refused() -> None:
    # Broken before the DTD, so a strict XML parser gives up early; the lenient one would not.
    body = (
        b'<?xml version="1.0"?><rss version="2.0" & broken><!DOCTYPE rss [<!ENTITY leak SYSTEM '
        b'"file:///etc/passwd">]><channel><title>&leak;</title></channel></rss>'
    )
    with pytest.raises(HostileXML):
        parse_feed(body, url=FEED_URL, max_entries=50)


def test_a_feed_served_as_html_is_read_without_a_warning() -> None:
    feed = parse_feed(fixture("atom.xml"), url=FEED_URL, max_entries=5, content_type="text/html")

    assert feed.warning is None
    assert len(feed.entries) == 2


def test_the_declared_language_is_kept_as_a_hint() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Hafen</title>'
        b"<language>de-DE</language><item><title>Fest</title><guid>1</guid></item>"
        b"</channel></rss>"
    )
    assert parse_feed(body, url=FEED_URL, max_entries=5).language == "de-DE"
    without = body.replace(b"<language>de-DE</language>", b"")
    assert parse_feed(without, url=FEED_URL, max_entries=5).language is None
