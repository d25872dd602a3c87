"""Canonical article URLs."""

from __future__ import annotations

import pytest

from jobs.urls import canonicalize_url, told_apart_by_fragment


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "HTTPS://News.Example.COM:443/World/Story?utm_source=rss&id=3&fbclid=x&gclid=y#top",
            "https://news.example.com/World/Story?id=3",
        ),
        ("http://news.example:80", "http://news.example/"),
        ("http://news.example:8080/a", "http://news.example:8080/a"),
        ("https://news.example/a?b=%20c&UTM_Medium=m&&", "https://news.example/a?b=%20c"),
        ("https://news.example/a?mc_cid=1&msclkid=2&page=2", "https://news.example/a?page=2"),
        (
            "https://news.example/a?source=rss&ref=home",
            "https://news.example/a?source=rss&ref=home",
        ),
        ("http://[2001:DB8::1]:8080/x#y", "http://[2001:db8::1]:8080/x"),
    ],
)
def test_canonical_form(url: str, canonical: str) -> None:
    assert canonicalize_url(url) == canonical


def test_rel_canonical_wins_and_is_cleaned_too() -> None:
    assert (
        canonicalize_url(
            "https://m.news.example/amp/story-1?utm_source=tw",
            canonical_hint="https://News.Example/story-1?utm_campaign=x#c",
        )
        == "https://news.example/story-1"
    )


def test_relative_canonical_resolves_against_the_page() -> None:
    assert canonicalize_url("https://news.example/a/b", canonical_hint="../c") == (
        "https://news.example/c"
    )


@pytest.mark.parametrize("hint", ["", "   ", "javascript:alert(1)", "mailto:desk@news.example"])
def test_unusable_canonical_hints_are_ignored(hint: str) -> None:
    assert canonicalize_url("https://news.example/a", canonical_hint=hint) == (
        "https://news.example/a"
    )


def test_canonicalizing_is_idempotent() -> None:
    once = canonicalize_url("HTTP://A.Example/x?utm_id=1&q=2#f")
    assert canonicalize_url(once) == once


def test_fragments_are_kept_only_where_they_tell_items_apart() -> None:
    links = [
        "https://app.example/lede/#s/123",
        "https://app.example/#!/story/9",
        "https://board.example/today#item-1",
        "https://board.example/today?utm_source=x#item-2",
        "https://news.example/story#comments",
        "https://news.example/other",
    ]
    assert told_apart_by_fragment(links) == set(links[:4])
    assert canonicalize_url(links[3], keep_fragment=True) == "https://board.example/today#item-2"
