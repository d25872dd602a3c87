"""Telegram's HTML parse mode, UTF-16 lengths and flood control, as the emulator implements them."""

from __future__ import annotations

import re

import pytest

from bot.emulator import EntityParseError, FloodControl, FloodLimits, parse_html, utf16_len


class FakeClock:
    """Monotonic seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_utf16_len_counts_astral_emoji_twice() -> None:
    assert utf16_len("abc") == 3
    assert utf16_len("é") == 1
    assert utf16_len("😀") == 2
    assert utf16_len("👍🏽") == 4  # emoji plus skin-tone modifier


def test_parse_html_gives_visible_text_and_utf16_entities() -> None:
    text, entities = parse_html(
        '😀 <b>Top</b> &amp; <a href="https://x.test/?a=1&amp;b=2">more</a>'
    )
    assert text == "😀 Top & more"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 3},
        {"type": "text_link", "url": "https://x.test/?a=1&b=2", "offset": 9, "length": 4},
    ]


def test_parse_html_nested_and_special_tags() -> None:
    text, entities = parse_html(
        '<pre><code class="language-python">x = 1</code></pre>'
        '<b>a<i>b</i></b><span class="tg-spoiler">s</span>'
        "<blockquote expandable>q</blockquote>&#128512;&#x41;&lt;&gt;&quot;"
    )
    assert text == 'x = 1absq😀A<>"'
    assert {"type": "pre", "language": "python", "offset": 0, "length": 5} in entities
    assert {"type": "bold", "offset": 5, "length": 2} in entities
    assert {"type": "italic", "offset": 6, "length": 1} in entities
    assert {"type": "spoiler", "offset": 7, "length": 1} in entities
    assert {"type": "expandable_blockquote", "offset": 8, "length": 1} in entities
    assert len(entities) == 5  # <code> inside <pre> is the language, not an entity


@pytest.mark.parametrize(
    ("markup", "reason"),
    [
        ("<b>unclosed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'expected "</i>", found "</b>"'),
        ("x</b>", 'Unexpected end tag "b"'),
        ("1 < 2", 'bare "<" at byte offset 2'),
        ("fish & chips", 'bare "&" at byte offset 5'),
        ("&nbsp;", "Unsupported HTML entity"),
        ("a<br>b", 'Unsupported start tag "br" at byte offset 1'),
        ('<span class="x">y</span>', 'must have class "tg-spoiler"'),
        ("é<p>", "byte offset 2"),  # offsets are in UTF-8 bytes, as Telegram reports them
    ],
)
def test_parse_html_refuses_what_telegram_refuses(markup: str, reason: str) -> None:
    with pytest.raises(EntityParseError, match=re.escape(reason)):
        parse_html(markup)


def test_private_chat_allows_a_burst_then_one_per_second() -> None:
    clock = FakeClock()
    flood = FloodControl(FloodLimits(private_chat_burst=3), clock)
    assert [flood.admit(1, is_group=False) for _ in range(3)] == [None, None, None]
    assert flood.admit(1, is_group=False) == 1
    assert flood.admit(2, is_group=False) is None  # another chat has its own bucket
    clock.now += 1.0
    assert flood.admit(1, is_group=False) is None
    assert flood.admit(1, is_group=False) == 1
    assert flood.refused == 2


def test_group_allows_twenty_a_minute() -> None:
    clock = FakeClock()
    flood = FloodControl(FloodLimits(), clock)
    assert all(flood.admit(-5, is_group=True) is None for _ in range(20))
    assert flood.admit(-5, is_group=True) == 3  # one token every 3 s at 20/min
    clock.now += 3.0
    assert flood.admit(-5, is_group=True) is None


def test_bot_wide_limit_spans_chats_and_a_refusal_costs_no_token() -> None:
    clock = FakeClock()
    flood = FloodControl(FloodLimits(per_bot_per_second=30, bot_burst=30), clock)
    assert all(flood.admit(chat_id, is_group=False) is None for chat_id in range(30))
    assert flood.admit(100, is_group=False) == 1
    clock.now += 1 / 30
    # The refused chat 100 was not charged: it still has its whole burst.
    assert flood.admit(100, is_group=False) is None
    assert flood.refused == 1
