"""Grouping copies of one story: signatures, band keys, similarity, content hashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobs.extract import extract_article
from jobs.feeds import parse_feed
from jobs.stories import (
    BANDS,
    SAME_STORY_THRESHOLD,
    StorySignature,
    content_hash,
    pick_story,
    similar,
    text_signature,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"


@pytest.fixture(scope="module")
def wind_farm_texts() -> tuple[str, str, str]:
    """Outlet A's article page, outlet B's syndicated copy, and B's unrelated story."""
    page = extract_article(
        (FIXTURES / "articles" / "wind-farm-a.html").read_bytes(), url="https://courier.example/a"
    )
    wire = parse_feed(
        (FIXTURES / "outlet-b.xml").read_bytes(), url="https://wire.example/", max_entries=10
    )
    return page.text, wire.entries[0].text, wire.entries[1].text


def test_one_story_in_two_feeds_is_recognised(wind_farm_texts: tuple[str, str, str]) -> None:
    courier, wire_copy, unrelated = wind_farm_texts
    a, b, c = text_signature(courier), text_signature(wire_copy), text_signature(unrelated)

    assert similar(a, b) >= SAME_STORY_THRESHOLD
    assert similar(a, c) < 0.1
    # The database finds candidates by band-key equality.
    assert set(a.band_keys()) & set(b.band_keys())
    assert not set(a.band_keys()) & set(c.band_keys())
    assert pick_story(a, [("unrelated", c), ("wire", b)]) == "wire"
    assert pick_story(a, [("unrelated", c)]) is None


def test_pick_story_prefers_the_closest_candidate() -> None:
    base = " ".join(f"word{i}" for i in range(200))
    near = base.replace("word150", "changed")
    farther = " ".join(f"word{i}" for i in range(60, 260))
    signature = text_signature(base)

    assert pick_story(signature, [(1, text_signature(farther)), (2, text_signature(near))]) == 2


def test_signatures_are_stable_across_processes_and_releases() -> None:
    # Signatures are stored; a change of hashing scheme would silently split every story.
    signature = text_signature("The quick brown fox jumps over the lazy dog again and again")

    assert signature.hashvalues[:4] == (130533969, 84874420, 730131476, 605561423)
    assert signature.band_keys()[:2] == (-7487932135339084189, 5638646970163823795)


def test_signature_bytes_round_trip_and_band_keys_fit_bigint() -> None:
    signature = text_signature("Trains are running again between Eastford and the valley towns.")
    data = signature.to_bytes()

    assert StorySignature.from_bytes(data) == signature
    keys = signature.band_keys()
    assert len(set(keys)) == BANDS
    assert all(-(2**63) <= key < 2**63 for key in keys)
    with pytest.raises(ValueError, match="current format"):
        StorySignature.from_bytes(b"\x02" + data[1:])
    with pytest.raises(ValueError):
        StorySignature.from_bytes(data[:-4])


def test_text_without_words_has_no_signature() -> None:
    with pytest.raises(ValueError, match="without words"):
        text_signature(" … — ")


def test_short_texts_compare_as_a_whole() -> None:
    assert similar(text_signature("Ferry fares rise"), text_signature("FERRY fares, rise!")) == 1.0
    assert similar(text_signature("Ferry fares rise"), text_signature("Ferry fares fall")) < 0.5


def test_content_hash_sees_edits_but_not_formatting() -> None:
    v1 = parse_feed(
        (FIXTURES / "edited-v1.xml").read_bytes(), url="https://m.example/", max_entries=5
    ).entries[0]
    v2 = parse_feed(
        (FIXTURES / "edited-v2.xml").read_bytes(), url="https://m.example/", max_entries=5
    ).entries[0]

    assert v1.guid == v2.guid
    assert content_hash(v1.text) != content_hash(v2.text)
    assert content_hash("Cod sold for 4.10 euros.") == content_hash("  cod SOLD for 4.10 euros ")
    assert len(content_hash("x")) == 64
