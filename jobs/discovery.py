"""Find a site's feeds from its HTML page's ``<link rel="alternate">`` elements."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

# lxml ships no type information and the project does not pin lxml-stubs.
import lxml.etree  # type: ignore[import-untyped]
import lxml.html  # type: ignore[import-untyped]

FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
)
# JSON Feed is advertised the same way but feedparser cannot read it.
_READABLE_TYPES = FEED_TYPES - {"application/feed+json"}


def discover_feed_urls(html: bytes | str, base_url: str) -> list[str]:
    """Absolute http(s) URLs of the RSS/Atom feeds the page advertises, in page order, no repeats.

    Relative links resolve against the page's ``<base href>`` if it has one, else ``base_url``.
    """
    if not html:
        return []
    try:
        document = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return []
    base = base_url
    for element in document.iter("base"):
        href = (element.get("href") or "").strip()
        if href:
            base = urljoin(base_url, href)
            break
    found: list[str] = []
    for link in document.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";", 1)[0].strip().lower()
        href = (link.get("href") or "").strip()
        if "alternate" not in rel or kind not in _READABLE_TYPES or not href:
            continue
        url = urljoin(base, href)
        if urlsplit(url).scheme in ("http", "https") and url not in found:
            found.append(url)
    return found
