"""The demo's terminal view of the bot's messages: styles, links, emoji offsets, buttons."""

from __future__ import annotations

from bot.demo.terminal import show_message, style_text
from bot.emulator import SentMessage, parse_html


def test_links_are_spelled_out_after_emoji() -> None:
    text, entities = parse_html(
        '📰 <b>Digest</b>\n<a href="https://x.example/a?b=1">Storm &amp; cable</a>'
    )
    shown = style_text(text, entities, color=False)
    assert shown == "📰 Digest\nStorm & cable <https://x.example/a?b=1>"


def test_bold_becomes_ansi_when_colour_is_on() -> None:
    text, entities = parse_html("<b>Hi</b> there")
    assert style_text(text, entities, color=True) == "\033[1mHi\033[22m there"


def test_buttons_are_numbered_in_order() -> None:
    message = SentMessage(
        message_id=1,
        chat_id=1,
        date=0,
        text="Pick",
        reply_markup={
            "inline_keyboard": [
                [
                    {"text": "World", "callback_data": "sub:world"},
                    {"text": "Tech", "callback_data": "sub:tech"},
                ],
                [{"text": "Site", "url": "https://example.org"}],
            ]
        },
    )
    shown = show_message(message, color=False)
    assert shown.buttons == ("sub:world", "sub:tech")
    assert "[1] World   [2] Tech" in shown.text and "[Site <https://example.org>]" in shown.text
