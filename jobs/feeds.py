"""Parse RSS 0.9x/1.0/2.0 and Atom documents into plain dataclasses, refusing hostile XML first.

FeedError
├── FeedParseError     not a feed we can read (the message says why)
│   ├── NotAFeed       an HTML page: the caller should try feed discovery on it
│   └── HostileXML     entity declarations (bombs, external entities); never parsed
└── OpmlError          (jobs.opml) an OPML file we cannot read
"""

from __future__ import annotations

import calendar
import hashlib
import io
import logging
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import defusedxml.ElementTree
import feedparser
import feedparser.encodings
from defusedxml import DefusedXmlException

from jobs.i18n import N_, ReaderError
from jobs.plaintext import html_to_text, without_control_characters

logger = logging.getLogger(__name__)

# An entity declaration in any ASCII-compatible encoding or in UTF-16 (a NUL between letters).
_ENTITY_DECLARATION = re.compile(rb"<\x00?!\x00?E\x00?N\x00?T\x00?I\x00?T\x00?Y", re.IGNORECASE)
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL
)
# feedparser flags these on readable feeds (a declared charset that was wrong, a feed served as
# text/html); nothing the user could act on.
_HARMLESS_BOZO = ("CharacterEncodingOverride", "NonXMLContentType")
# The types an entry's own page may be served as (feedparser gives a link without one text/html).
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


class FeedError(ReaderError):
    """A document could not be read as a feed (or OPML); :meth:`translated` is for the user."""


class FeedParseError(FeedError):
    """The body is not a feed we can read."""


class NotAFeed(FeedParseError):
    """The body is an HTML page; look for ``<link rel="alternate">`` feeds in it."""


class HostileXML(FeedParseError):
    """The document declares entities (entity-expansion bombs, external entities)."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed, with dates in UTC and HTML already sanitized by feedparser."""

    guid: str
    link: str | None
    title: str
    summary_html: str
    content_html: str
    author: str | None
    published: datetime | None
    updated: datetime | None

    @property
    def text(self) -> str:
        """The longest plain text the feed gives: full content if any, else the summary."""
        content = html_to_text(self.content_html)
        summary = html_to_text(self.summary_html)
        return content if len(content) >= len(summary) else summary


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A parsed feed; ``warning`` records what lenient parsing had to forgive."""

    title: str
    link: str | None
    version: str
    entries: tuple[FeedEntry, ...]
    warning: str | None = None
    truncated: bool = False
    # The feed's declared <language> (RSS) or xml:lang (Atom) as written ("de-de"): a hint for
    # the summarizer's language identification, not an answer (sites leave their default on).
    language: str | None = None


def refuse_entity_declarations(body: bytes) -> None:
    """Raise :class:`HostileXML` if the XML declares entities, before any parser expands them.

    Two checks because each misses what the other sees: defusedxml reads any encoding but stops
    at the first syntax error, and the byte scan still finds a declaration in a malformed file
    that feedparser's lenient parser would go on to read. Give it the body as
    :func:`decode_like_feedparser` returns it: expat reads no multi-byte legacy encoding.
    """
    if _ENTITY_DECLARATION.search(body):
        raise HostileXML(
            "refused: the feed declares XML entities (used for entity-expansion bombs and "
            "to read local files); no real feed needs them"
        )
    try:
        defusedxml.ElementTree.fromstring(
            body, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as exc:
        raise HostileXML(f"refused: the feed uses forbidden XML ({exc})") from exc
    except defusedxml.ElementTree.ParseError:
        pass  # Malformed XML is feedparser's to read leniently.
    except ValueError:
        # "multi-byte encodings are not supported": a body no encoding decoded; the byte scan
        # above is the check that still applies, and feedparser reads it as bytes.
        pass


def decode_like_feedparser(body: bytes, content_type: str) -> bytes:
    """The body re-encoded as UTF-8 (prolog rewritten), choosing the encoding as feedparser does.

    feedparser weighs the HTTP charset, the XML prolog, a BOM and a guess by RFC 3023's rules;
    doing the same first means the entity check reads the text feedparser will read, in an
    encoding expat knows (it has none of Big5, EUC-KR, GBK or Shift_JIS).
    """
    scratch: dict[str, Any] = {}
    converted = feedparser.encodings.convert_to_utf8({"content-type": content_type}, body, scratch)
    return converted if isinstance(converted, bytes) else body


def looks_like_html(body: bytes) -> bool:
    return bool(_HTML_START.match(body[:4096]))


def parse_feed(
    body: bytes,
    *,
    url: str,
    max_entries: int,
    content_type: str | None = None,
    charset: str | None = None,
) -> ParsedFeed:
    """Parse a feed body fetched from ``url``; at most ``max_entries`` entries are kept.

    ``content_type`` is the response's media type and ``charset`` its Content-Type charset.
    Raises :class:`NotAFeed` for an HTML page, :class:`HostileXML` for entity declarations and
    :class:`FeedParseError` for anything else that has no feed in it.
    """
    if not body.strip():
        raise FeedParseError(N_("the feed answered with an empty document; it may be down for now"))
    media_type = content_type or "application/xml"
    declared = f"{media_type}; charset={charset}" if charset else media_type
    utf8_body = decode_like_feedparser(body, declared)
    refuse_entity_declarations(utf8_body)
    if utf8_body is not body:
        declared = f"{media_type}; charset=utf-8"
    # A BytesIO, never the bytes themselves: feedparser treats a bare string as a URL or a
    # file name to open, so a body like b"/etc/passwd" would be read from disk. No
    # content-location either: feedparser would resolve GUIDs against it as if they were
    # relative URLs, so a feed moving to another address would change every GUID.
    result: Any = feedparser.parse(
        io.BytesIO(utf8_body), response_headers={"content-type": declared}
    )
    if not result.version and not result.entries:
        if looks_like_html(body):
            raise NotAFeed(N_("this is an HTML page, not a feed"))
        reason = result.get("bozo_exception")
        raise FeedParseError(f"not a feed: {reason}" if reason else "not a feed")
    warning = None
    if result.bozo and type(result.bozo_exception).__name__ not in _HARMLESS_BOZO:
        warning = f"read leniently: {result.bozo_exception}"
        logger.info("feed %s is malformed, %s", url, warning)
    raw_entries = result.entries
    entries = tuple(_entry(raw, url) for raw in raw_entries[:max_entries])
    feed = result.feed
    return ParsedFeed(
        title=_text(_get(feed, "title")).strip() or url,
        link=_absolute(url, _get(feed, "link")),
        version=result.version or "unknown",
        entries=entries,
        warning=warning,
        truncated=len(raw_entries) > max_entries,
        language=str(_get(feed, "language") or "").strip()[:35] or None,
    )


def _get(mapping: Any, key: str) -> Any:
    """Read a key without FeedParserDict's fallbacks (``updated`` silently meaning
    ``published``, with a DeprecationWarning)."""
    return dict.get(mapping, key)


def _absolute(base: str, link: str | None) -> str | None:
    return urljoin(base, link) if link else None


def _web_link(base: str, link: object) -> str | None:
    """``link`` made absolute, if it is one a reader can open (http or https)."""
    if not isinstance(link, str) or not link.strip():
        return None
    absolute = urljoin(base, without_control_characters(link.strip()))
    return absolute if urlsplit(absolute).scheme.lower() in ("http", "https") else None


def own_link(raw: Any, feed_url: str) -> str | None:
    """The entry's own web page: its first ``rel="alternate"`` link (an HTML one before others;
    RSS ``<link>`` is one too), else its GUID when that is a permalink; never a related link.

    Not feedparser's ``entry.link``: that is the *last* alternate link, and a link without
    ``rel`` counts as alternate, so an ``<atom:link href>`` pointing at another story after the
    item's own ``<link>`` becomes the item's link; and without any link it is the Atom id, which
    is often a ``urn:`` or ``tag:`` name no browser opens.
    """
    alternates = [
        link
        for link in _get(raw, "links") or []
        if link.get("rel", "alternate") == "alternate" and _web_link(feed_url, link.get("href"))
    ]
    html = [link for link in alternates if link.get("type", "text/html") in _HTML_TYPES]
    if alternates:
        return _web_link(feed_url, (html or alternates)[0].get("href"))
    # feedparser's guidislink: an RSS guid without isPermaLink="false" (or an Atom id), seen
    # before any link of the item.
    if _get(raw, "guidislink"):
        return _web_link(feed_url, _get(raw, "id"))
    return None


def _text(value: object) -> str:
    """A string field of feedparser's as text we can store (see without_control_characters)."""
    return without_control_characters(str(value or ""))


def _entry(raw: Any, feed_url: str) -> FeedEntry:
    content = _get(raw, "content") or []
    content_html = max((_text(part.get("value")) for part in content), key=len, default="")
    summary_html = _text(_get(raw, "summary"))
    link = own_link(raw, feed_url)
    title = _text(_get(raw, "title")).strip()
    guid = _text(_get(raw, "id")) or link or _fallback_guid(feed_url, title, summary_html)
    return FeedEntry(
        guid=guid,
        link=link,
        title=title,
        summary_html=summary_html,
        content_html=content_html if content_html != summary_html else "",
        author=_text(_get(raw, "author")) or None,
        published=_utc(_get(raw, "published_parsed")),
        updated=_utc(_get(raw, "updated_parsed")),
    )


def _fallback_guid(feed_url: str, title: str, summary: str) -> str:
    # Stable across fetches as long as the entry is unchanged, which is the best a feed without
    # ids or links allows.
    digest = hashlib.sha256(f"{feed_url}\n{title}\n{summary}".encode()).hexdigest()
    return f"sha256:{digest[:32]}"


def _utc(parsed: time.struct_time | None) -> datetime | None:
    """feedparser's struct_time is already in UTC."""
    if parsed is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None
