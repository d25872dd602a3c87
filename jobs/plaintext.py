"""Plain text from feed and page HTML, and the normal form used for hashing and comparing it."""

from __future__ import annotations

import html as html_entities
import re
import unicodedata

from summarizer.cleaning import strip_html

_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")
_WORDS = re.compile(r"\w+")
# The C0 controls XML 1.0 forbids (all but tab, line feed and carriage return); feedparser's
# lenient parser passes them through, even from "&#0;".
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def without_control_characters(text: str) -> str:
    """``text`` without NUL and the other C0 controls: PostgreSQL refuses NUL in any text
    column (the entry would be lost on every poll there, and stored on SQLite), and none of
    them is anything a reader could see."""
    return _CONTROL_CHARACTERS.sub("", text)


def html_to_text(html: str) -> str:
    """The readable text of an HTML fragment (or of plain text), one line per block.

    The summarizer's own HTML stripping (its cleaning needs the same thing), tidied to one line
    per block; trafilatura's ``html2txt`` expects whole documents and returns nothing for the
    fragments feeds carry.
    """
    if "<" not in html:
        return _tidy(html_entities.unescape(html))
    return _tidy(strip_html(html))


def _tidy(text: str) -> str:
    return _BLANK_LINES.sub("\n", _SPACES.sub(" ", text)).strip()


def normalize_text(text: str) -> str:
    """Case-, accent-width- and whitespace-insensitive form: lower-case words joined by spaces."""
    return " ".join(_WORDS.findall(unicodedata.normalize("NFKC", text).casefold()))


def word_count(text: str) -> int:
    return len(_WORDS.findall(text))
