"""Rendering of the bot's answers: escaping of outside text and splitting by UTF-16 length."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.emulator import parse_html, utf16_len
from bot.rate_limit import RateLimiter
from bot.render import DigestView, render_digest_html, render_search_results
from store.models import Article
from summarizer import Digest, Entity, Figure

HOSTILE_TITLE = 'Q3 <b>profits</b> & "losses" 📈 — שלום עולם'


def _digest(sentences: list[str], *, title: str | None = HOSTILE_TITLE) -> Digest:
    return Digest(
        title=title,
        sentences=tuple(sentences),
        entities=(Entity("AT&T <Inc>", "ORG", 3), Entity("مرحبا", "PERSON", 2)),
        figures=(Figure("€1.2 billion", 1.2e9, "EUR", "money", "revenue <net>"),),
        language="english",
        word_count=1500,
        reading_minutes=7,
        method="news",
    )


def test_outside_text_is_escaped_and_parses_as_strict_telegram_html() -> None:
    view = DigestView(_digest(["Sales rose <5%> & more 🚀."]), None, "https://n.test/a?x=1&y=<2>")
    [message] = render_digest_html(view)
    visible, entities = parse_html(message)  # raises on anything Telegram would refuse
    assert HOSTILE_TITLE in visible
    assert "Sales rose <5%> & more 🚀." in visible
    assert "AT&T <Inc>, مرحبا" in visible
    assert "€1.2 billion (revenue <net>)" in visible
    assert {"type": "text_link", "url": "https://n.test/a?x=1&y=<2>"}.items() <= next(
        e for e in entities if e["type"] == "text_link"
    ).items()


def test_long_summaries_split_between_items_within_4096_utf16_units() -> None:
    # Astral-plane emoji count two UTF-16 units each: a length in code points would overflow.
    sentences = [f"Sentence {n} says 😀😀😀 {'x' * 60}." for n in range(200)]
    sentences_text = "\n".join(f"• {s}" for s in sentences)
    assert utf16_len(sentences_text) > 4096
    view = DigestView(_digest(sentences[:40]), "Long one", None)
    messages = render_digest_html(view)
    assert len(messages) >= 1
    for message in messages:
        visible, _ = parse_html(message)
        assert utf16_len(visible) <= 4096


def test_an_item_too_long_for_one_message_is_shortened_not_split_mid_tag() -> None:
    view = DigestView(_digest(["😀" * 3000, "short tail."]), "Huge", "https://n.test/h")
    messages = render_digest_html(view)
    for message in messages:
        visible, _ = parse_html(message)
        assert utf16_len(visible) <= 4096
    assert "https://n.test/h" in parse_html(messages[-1])[0]


def test_search_results_escape_the_query_and_titles() -> None:
    article = Article(
        canonical_url="https://n.test/s", title="<script>alert(1)</script> & co", text=""
    )
    article.summary = None
    article.fetched_at = datetime(2026, 11, 2, tzinfo=UTC)
    [message] = render_search_results("wind <farm>", [article])
    visible, _ = parse_html(message)
    assert "wind <farm>" in visible
    assert "<script>alert(1)</script> & co" in visible
    [empty] = render_search_results("<b>", [])
    assert "<b>" in parse_html(empty)[0]


def test_rate_limiter_counts_a_sliding_window_per_user() -> None:
    now = [100.0]
    limiter = RateLimiter(2, 60.0, clock=lambda: now[0])
    assert limiter.try_acquire(1) == 0
    assert limiter.try_acquire(1) == 0
    assert limiter.try_acquire(2) == 0  # another user has their own window
    now[0] = 130.0
    assert limiter.try_acquire(1) == 30
    now[0] = 160.0
    assert limiter.try_acquire(1) == 0
