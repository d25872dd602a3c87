"""The bot's HTML: outside text escaped, and no reply over Telegram's 4096 UTF-16 units."""

from __future__ import annotations

from bot.emulator import parse_html, utf16_len
from bot.render import render_alerts, render_link_digest, render_sources
from jobs.digests import DigestItem, DigestStyle, render_item
from store.chats import ChatSource
from store.models import AlertRule
from summarizer import Digest, Entity, Figure

HOSTILE = 'Q3 <b>profits</b> & "losses" 📈 — שלום עולם'


def _digest(sentences: list[str]) -> Digest:
    return Digest(
        title=None,
        sentences=tuple(sentences),
        entities=(Entity("AT&T <Inc>", "organisation", 3), Entity("مرحبا", "person", 2)),
        figures=(Figure("€1.2 billion", 1.2e9, "EUR", "money", "revenue <net>"),),
        language="en",
        word_count=1500,
        reading_minutes=7,
        method="news",
    )


def _visible(markup: str) -> str:
    visible, _entities = parse_html(markup)  # raises on markup Telegram would refuse
    assert utf16_len(visible) <= 4096, utf16_len(visible)
    return visible


def test_link_digest_escapes_titles_entities_figures_and_links() -> None:
    markup = render_link_digest(HOSTILE, "https://n.test/a?x=1&y=<2>", _digest(["Up <5%> & 🚀."]))
    visible = _visible(markup)
    assert HOSTILE in visible and "Up <5%> & 🚀." in visible
    assert "🏢 AT&T <Inc> · 👤 مرحبا" in visible and "€1.2 billion (revenue <net>)" in visible
    assert parse_html(markup)[1][-1]["url"] == "https://n.test/a?x=1&y=<2>"


def test_link_digest_of_astral_text_fits_in_utf16_units_and_keeps_its_markup() -> None:
    # 3,000 emoji are 3,000 code points but 6,000 UTF-16 units: Telegram counts the latter.
    markup = render_link_digest("Emoji", "https://n.test/e", _digest(["😀" * 3000]))
    visible = _visible(markup)
    assert visible.startswith("Emoji\n")  # the title stays bold, not escaped markup
    assert "<b>" not in visible
    assert visible.endswith("source")  # the footer with the link survives the cut


def test_a_full_list_of_the_longest_alerts_fits_one_message() -> None:
    words = " ".join(["climate", '"carbon tax"', "-opinion", "wildfire", "OR", "drought"] * 6)
    rules = [AlertRule(id=n, chat_id=1, query=f"{n} {words}"[:200]) for n in range(50)]
    visible = _visible(render_alerts(rules))
    assert '1. 0 climate "carbon tax" -opinion' in visible
    assert "50. 49 climate" in visible and visible.endswith("the other button to switch it.")
    astral = [AlertRule(id=n, chat_id=1, query="é😀" * 100) for n in range(50)]
    _visible(render_alerts(astral))


def test_a_hundred_sources_with_long_titles_fit_one_message() -> None:
    sources = [
        ChatSource(
            n, f"Source {n} <&> " + "news " * 100, f"https://s{n}.test/feed", None, n % 2 == 0
        )
        for n in range(100)
    ]
    visible = _visible(render_sources(sources))
    assert "• Source 99 <&> news" in visible and "• Source 98 <&> news" in visible
    assert visible.count("⚠️ not working") == 50


_MIXED = (
    ("Ada Lovelace", "person"),
    ("Harbour Authority", "organisation"),
    ("Lisbon", "place"),
    ("Alan Turing", "person"),
    ("Portuguese", "group"),
)


def test_entities_keep_their_kind_in_link_summaries() -> None:
    digest = Digest(
        title="Port",
        sentences=("The port reopened.",),
        entities=tuple(Entity(text, kind, 1) for text, kind in _MIXED),
        figures=(),
        language="english",
        word_count=300,
        reading_minutes=1,
        method="news",
    )
    visible = _visible(render_link_digest(None, None, digest))
    assert "👤 Ada Lovelace, Alan Turing · 🏢 Harbour Authority · 📍 Lisbon · 👥 Portuguese" in (
        visible
    )


def test_entities_keep_their_kind_in_digests() -> None:
    item = DigestItem(
        story_key="s",
        title="Port reopens",
        url="https://n.test/port",
        source="Harbour Gazette",
        also=(),
        sentences=("The port reopened.",),
        entities=tuple({"text": text, "kind": kind, "mentions": 1} for text, kind in _MIXED),
        figures=(),
        score=1.0,
    )
    style = DigestStyle(items=5, summary_sentences=1, show_entities=True, show_figures=False)
    visible = _visible(render_item(1, item, style))
    # A digest shows the four most mentioned.
    assert visible.endswith("👤 Ada Lovelace, Alan Turing · 🏢 Harbour Authority · 📍 Lisbon")
