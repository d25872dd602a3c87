"""OPML import and export."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from jobs.opml import OpmlError, OpmlOutline, parse_opml, render_opml

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"


def test_import_flattens_folders_into_categories() -> None:
    outlines = parse_opml((FIXTURES / "subscriptions.opml").read_bytes())

    assert outlines == [
        OpmlOutline(
            "https://gazette.example/rss.xml", "Harbour Gazette", "https://gazette.example/", "News"
        ),
        OpmlOutline("https://observer.example/atom.xml", "Valley Observer", None, "News"),
        OpmlOutline("https://wire.example/feed", "Energy Wire", None, None),
    ]


def test_export_then_import_round_trips() -> None:
    feeds = [
        OpmlOutline("https://a.example/rss", "A & B <news>", "https://a.example/", "World"),
        OpmlOutline("https://c.example/atom", "C", None, None),
        OpmlOutline("https://d.example/feed", "D", None, "World"),
    ]
    document = render_opml(feeds, now=datetime(2026, 11, 27, tzinfo=UTC))

    assert document.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert b"<dateCreated>Fri, 27 Nov 2026 00:00:00 GMT</dateCreated>" in document
    assert sorted(parse_opml(document), key=lambda o: o.xml_url) == feeds


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><body>hi</body></html>", "not an OPML file"),
        (b"<opml version='2.0'><head/></opml>", "no <body>"),
        (b"<opml><body><outline", "not valid XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<opml><body><outline text="&x;" xmlUrl="https://a.example/"/></body></opml>',
            "refused",
        ),
    ],
)
def test_bad_files_are_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(OpmlError, match=message):
        parse_opml(data)
