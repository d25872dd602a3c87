"""Canonical article URLs, so that one article reached by several links is stored once."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

# Hand-written rather than courlan's ``clean_url``: courlan's tracker pattern also drops
# parameters such as ``source``, ``uid`` and ``ref`` that some sites use to tell articles apart,
# and merging two different articles is worse than keeping one duplicate.
_TRACKING = re.compile(
    r"^(?:utm_\w*|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|"
    r"mc_cid|mc_eid|_hsenc|_hsmi|mkt_tok|oly_anon_id|oly_enc_id|vero_id|vero_conv|__twitter_impression)$",
    re.IGNORECASE,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonicalize_url(
    url: str, *, canonical_hint: str | None = None, keep_fragment: bool = False
) -> str:
    """The identity of an article URL.

    ``canonical_hint`` is the page's ``<link rel="canonical">``; when it is an http(s) URL
    (relative ones resolve against ``url``) it replaces ``url``. Then: scheme and host
    lower-cased, default port and fragment dropped (kept with ``keep_fragment``, see
    :func:`told_apart_by_fragment`), tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ...)
    removed, other parameters kept in their order, empty path made ``/``.
    """
    chosen = url.strip()
    if canonical_hint and canonical_hint.strip():
        hinted = urljoin(chosen, canonical_hint.strip())
        if urlsplit(hinted).scheme.lower() in _DEFAULT_PORTS:
            chosen = hinted
    parts = urlsplit(chosen)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    if parts.username is not None:
        # Kept verbatim: credentials in a URL are rare in feeds and changing them changes access.
        userinfo = parts.netloc.rsplit("@", 1)[0]
        netloc = f"{userinfo}@{netloc}"
    # Pieces are kept as written (not decoded and re-encoded) so that nothing but the
    # trackers changes.
    query = "&".join(
        piece
        for piece in parts.query.split("&")
        if piece and not _TRACKING.match(unquote_plus(piece.split("=", 1)[0]))
    )
    fragment = parts.fragment if keep_fragment else ""
    return urlunsplit((scheme, netloc, parts.path or "/", query, fragment))


def told_apart_by_fragment(links: Iterable[str]) -> frozenset[str]:
    """Of one feed's item links, those whose fragment is part of their identity.

    Usually a fragment only points into a page (``#comments``) and is dropped. It is the item's
    identity when it is a single-page app's route (it has a ``/`` or starts with ``!``:
    ``…/lede/#s/123``, ``#!/story/9``), or when items of the feed differ only in it: merging those
    would show one item's link for another's story.
    """
    by_page: defaultdict[str, set[str]] = defaultdict(set)
    kept: set[str] = set()
    for link in links:
        fragment = urlsplit(link).fragment
        if not fragment:
            continue
        if "/" in fragment or fragment.startswith("!"):
            kept.add(link)
        by_page[canonicalize_url(link)].add(link)
    for same_page in by_page.values():
        if len(same_page) > 1:
            kept.update(same_page)
    return frozenset(kept)
