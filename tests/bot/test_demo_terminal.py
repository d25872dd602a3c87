"""The demo's terminal view of the bot's messages: styles, links, emoji offsets, buttons."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

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


def test_a_pasted_block_is_one_message_and_a_long_line_stays_whole() -> None:
    """Typed input through a real terminal (a pty): a bracketed paste of two lines, one of them
    past the 4 KB a terminal's line mode would cut, comes back as one message."""
    master, slave = pty.openpty()
    child = subprocess.Popen(  # noqa: S603 -- our own interpreter and code
        [sys.executable, "-c", _READ_ONE],
        stdin=slave,
        stdout=slave,
        stderr=subprocess.PIPE,
        env={**os.environ, "TERM": "xterm", "INPUTRC": "/dev/null"},
        cwd=Path(__file__).resolve().parents[2],
    )
    os.close(slave)
    echoed = bytearray()
    prompt = threading.Event()

    def drain() -> None:
        # The terminal echoes what it is sent: read it all, or the child blocks writing.
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            echoed.extend(chunk)
            if b"you> " in echoed:
                prompt.set()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        assert prompt.wait(30), bytes(echoed)
        long_line = "x" * 5000
        pasted = f"first line\nsecond {long_line}".encode()
        data = b"\x1b[200~" + pasted + b"\x1b[201~\r"
        while data:
            data = data[os.write(master, data) :]
        _, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
        os.close(master)
    assert err.decode() == repr(f"first line\nsecond {long_line}")


_READ_ONE = (
    "import sys\n"
    "from bot.demo.session import read_typed\n"
    "sys.stderr.write(repr(read_typed('you> ')))\n"
)
