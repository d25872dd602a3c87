"""The full story from an article page (trafilatura), and whether a feed entry is only a teaser."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import trafilatura
from trafilatura.settings import Document

from jobs.plaintext import word_count
from jobs.urls import canonicalize_url
from summarizer.language_id import identify_language

logger = logging.getLogger(__name__)

TEASER_MAX_WORDS = 80
# Language identification on fewer words than this is a guess; the page's own lang wins then.
_MIN_WORDS_FOR_DETECTION = 30
_TEASER_ENDINGS = re.compile(
    r"(?:…|\.\.\.|\[…\]|\[\.\.\.\]|read more|continue reading|weiterlesen|lire la suite|"
    r"leer más|mehr lesen|full story)\W*$",
    re.IGNORECASE,
)
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([a-zA-Z]{2,3})\b", re.IGNORECASE)
# Asks htmldate for the time of day and zone too, not only the date.
_DATE_PARAMS = {
    "extensive_search": True,
    "original_date": True,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}


class ExtractionError(Exception):
    """The page has no article text trafilatura can find."""


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """An article's main text and metadata; ``published`` is in UTC."""

    url: str
    text: str
    title: str | None
    author: str | None
    published: datetime | None
    language: str | None
    truncated: bool = False


def is_teaser(text: str) -> bool:
    """True when a feed entry's text looks like a teaser rather than the whole story.

    Short (under 80 words) or ending in an ellipsis or a "read more" link.
    """
    stripped = text.strip()
    return word_count(stripped) < TEASER_MAX_WORDS or bool(_TEASER_ENDINGS.search(stripped))


def decode_page(html: bytes, charset: str | None) -> bytes | str:
    """The page as text when its charset is known: the HTTP header's first, then ``<meta>``.

    Left as bytes otherwise, for trafilatura to guess; it guesses windows-1251 as something else
    often enough that a charset someone declared must win.
    """
    meta = _META_CHARSET.search(html[:4096])
    for name in (charset, meta.group(1).decode("ascii") if meta else None):
        if not name:
            continue
        try:
            return html.decode(name)
        except (LookupError, UnicodeDecodeError):
            logger.debug("page declared as %s does not decode as it", name)
    return html


def extract_article(
    html: bytes | str, *, url: str, max_chars: int = 200_000, charset: str | None = None
) -> ExtractedArticle:
    """Extract the main text, title, author, publish time and language of an article page.

    ``charset`` is the Content-Type header's, for bytes; a ``<meta charset>`` is honoured too.

    ``url`` is where the page was fetched; the returned ``url`` is its canonical form (the
    page's ``<link rel="canonical">`` when it has one). Text past ``max_chars`` is cut at a
    paragraph (or word) boundary.
    """
    if isinstance(html, bytes):
        html = decode_page(html, charset)
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params=_DATE_PARAMS,
    )
    # A Document unless as_dict=True is asked for; None when nothing was found.
    text = (document.text or "").strip() if isinstance(document, Document) else ""
    if not isinstance(document, Document) or not text:
        raise ExtractionError(f"no article text found on {url}")
    truncated = len(text) > max_chars
    if truncated:
        text = _cut(text, max_chars)
    return ExtractedArticle(
        url=canonicalize_url(url, canonical_hint=document.url),
        text=text,
        title=document.title or None,
        author=document.author or None,
        published=parse_published(document.date),
        language=detect_language(text, html),
        truncated=truncated,
    )


def parse_published(value: str | None) -> datetime | None:
    """A UTC datetime from htmldate's output; a date without a zone is taken as UTC."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        logger.debug("unreadable publish date %r", value)
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def detect_language(text: str, html: bytes | str = "") -> str | None:
    """ISO 639-1 code of the text: identified on enough text, else the page's ``<html lang>``.

    The summarizer's identifier (py3langid, with the page's tag as a hint), so a stored
    article and its summary name one language.
    """
    head = html[:4096].decode("utf-8", "replace") if isinstance(html, bytes) else html[:4096]
    match = _HTML_LANG.search(head)
    declared = match.group(1).lower() if match else None
    if word_count(text) >= _MIN_WORDS_FOR_DETECTION:
        found = identify_language(text, (declared,))
        return None if found == "und" else found
    return declared


def _cut(text: str, max_chars: int) -> str:
    cut = text[:max_chars]
    boundary = cut.rfind("\n")
    if boundary < max_chars // 2:
        boundary = cut.rfind(" ")
    return cut[:boundary].rstrip() if boundary > 0 else cut
