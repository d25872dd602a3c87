"""Plain text from feed and page HTML, and the normal form used for hashing and comparing it."""

from __future__ import annotations

import html as html_entities
import re
import unicodedata

# lxml ships no type information and the project does not pin lxml-stubs.
import lxml.etree  # type: ignore[import-untyped]
import lxml.html  # type: ignore[import-untyped]

# Elements after which a reader sees a line break; without them "</p><p>" would glue words.
_BLOCKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    }
)
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")
_WORDS = re.compile(r"\w+")


def html_to_text(html: str) -> str:
    """The readable text of an HTML fragment (or of plain text), one line per block.

    Hand-written over lxml because trafilatura's ``html2txt`` expects whole documents and
    returns nothing for the fragments feeds carry.
    """
    if "<" not in html:
        return _tidy(html_entities.unescape(html))
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return _tidy(html)
    for element in list(root.iter("script", "style")):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
    return _tidy(root.text_content())


def _tidy(text: str) -> str:
    return _BLANK_LINES.sub("\n", _SPACES.sub(" ", text)).strip()


def normalize_text(text: str) -> str:
    """Case-, accent-width- and whitespace-insensitive form: lower-case words joined by spaces."""
    return " ".join(_WORDS.findall(unicodedata.normalize("NFKC", text).casefold()))


def word_count(text: str) -> int:
    return len(_WORDS.findall(text))
