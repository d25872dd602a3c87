"""Read and write OPML subscription lists (import from and export to other feed readers)."""

from __future__ import annotations

# The standard library only builds documents here; parsing goes through defusedxml.
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

import defusedxml.ElementTree
from defusedxml import DefusedXmlException

from jobs.feeds import FeedError
from jobs.i18n import N_, lazy_gettext


class OpmlError(FeedError):
    """The file is not OPML we can read."""


@dataclass(frozen=True, slots=True)
class OpmlOutline:
    """One subscription: its feed URL, a title, the site and the folder it sat in."""

    xml_url: str
    title: str
    html_url: str | None = None
    category: str | None = None


def parse_opml(data: bytes) -> list[OpmlOutline]:
    """The feed subscriptions in an OPML document, folders flattened into ``category``.

    Entity declarations and DTDs are refused (defusedxml); outlines without ``xmlUrl`` are
    folders or notes, not feeds.
    """
    try:
        root = defusedxml.ElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise OpmlError(
            lazy_gettext("refused: the OPML file uses forbidden XML ({detail})", detail=str(exc))
        ) from exc
    except defusedxml.ElementTree.ParseError as exc:
        raise OpmlError(
            lazy_gettext("this file is not valid XML ({detail})", detail=str(exc))
        ) from exc
    if root.tag != "opml":
        raise OpmlError(
            lazy_gettext(
                "this is not an OPML file (its root element is <{tag}>)", tag=str(root.tag)
            )
        )
    body = root.find("body")
    if body is None:
        raise OpmlError(N_("this OPML file has no <body>"))
    outlines: list[OpmlOutline] = []
    seen: set[str] = set()

    def walk(parent: ET.Element, category: str | None) -> None:
        for outline in parent.findall("outline"):
            title = (outline.get("title") or outline.get("text") or "").strip()
            xml_url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
            if xml_url:
                if xml_url not in seen:
                    seen.add(xml_url)
                    html_url = (outline.get("htmlUrl") or "").strip() or None
                    outlines.append(OpmlOutline(xml_url, title or xml_url, html_url, category))
            else:
                walk(outline, title or category)

    walk(body, None)
    return outlines


def render_opml(
    feeds: Iterable[OpmlOutline],
    *,
    title: str = "newsdigest subscriptions",
    now: datetime | None = None,
) -> bytes:
    """An OPML 2.0 document listing ``feeds``, grouped into folders by ``category``."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(now or datetime.now(UTC), usegmt=True)
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for feed in feeds:
        parent = body
        if feed.category:
            if feed.category not in folders:
                folders[feed.category] = ET.SubElement(
                    body, "outline", text=feed.category, title=feed.category
                )
            parent = folders[feed.category]
        attributes = {
            "type": "rss",
            "text": feed.title,
            "title": feed.title,
            "xmlUrl": feed.xml_url,
        }
        if feed.html_url:
            attributes["htmlUrl"] = feed.html_url
        ET.SubElement(parent, "outline", attributes)
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document
