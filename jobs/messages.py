"""Telegram HTML for what delivery sends unasked: alerts, digests, notices; and message splitting.

Telegram counts a message's length in UTF-16 code units of the text after its HTML is parsed,
and refuses more than 4096; everything from outside (titles, summaries, names) is escaped.
"""

from __future__ import annotations

import gettext
import html
import re
from collections.abc import Sequence

MESSAGE_LIMIT = 4096
_TAG = re.compile(r"<[^>]*>")


def escape(text: str) -> str:
    """Escape outside text for Telegram HTML (it understands &lt; &gt; &amp; &quot;)."""
    return html.escape(text, quote=True)


def link(url: str, title: str) -> str:
    return f'<a href="{escape(url)}">{escape(title)}</a>'


def visible_text(markup: str) -> str:
    """The text a reader sees once Telegram parses ``markup`` (our own, well-formed HTML)."""
    return html.unescape(_TAG.sub("", markup))


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def visible_length(markup: str) -> int:
    return utf16_length(visible_text(markup))


def truncate_visible(text: str, limit: int) -> str:
    """Cut plain text to ``limit`` UTF-16 units at a word boundary, with an ellipsis."""
    if utf16_length(text) <= limit:
        return text
    units = 0
    cut = text
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit - 1:  # one unit stays for the ellipsis
            cut = text[:index]
            break
    head = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return head.rstrip(" ,;:") + "…"


def split_message(header: str, items: Sequence[str], *, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Pack ``header`` and the items into as few messages as fit, breaking only between items.

    An item too long for a message on its own is shortened to fit (never split mid-tag).
    """
    return [text for text, _ in pack_message(header, items, limit=limit)]


def pack_message(
    header: str, items: Sequence[str], *, limit: int = MESSAGE_LIMIT
) -> list[tuple[str, list[int]]]:
    """:func:`split_message`, with the indexes of the items each message holds: a digest
    message's buttons name only its own items."""
    messages: list[tuple[str, list[int]]] = []
    current = header
    held: list[int] = []
    for index, item in enumerate(items):
        if visible_length(item) > limit - 2:
            item = escape(truncate_visible(visible_text(item), limit - 2))
        candidate = f"{current}\n\n{item}" if current else item
        if visible_length(candidate) <= limit:
            current = candidate
            held.append(index)
            continue
        if current:
            messages.append((current, held))
        current, held = item, [index]
    if current:
        messages.append((current, held))
    return messages


# The sign in front of each kind of named thing; a kind not listed (a new one) shows 🏷️.
ENTITY_SIGNS = {
    "person": "👤",
    "organisation": "🏢",
    "place": "📍",
    "group": "👥",
    "product": "📦",
    "event": "📅",
}
_OTHER_ENTITY_SIGN = "🏷️"
# A name longer than this is cut, so a handful of them always leaves the message room.
ENTITY_NAME_LIMIT = 80


def entity_line(entities: Sequence[tuple[str, str]]) -> str:
    """Named things, ``(text, kind)`` in the order given, grouped under their kind's sign.

    ``👤 Ada Lovelace, Alan Turing · 🏢 Acme · 📍 Paris``, escaped for Telegram HTML; kinds
    appear in the order their first name does, so the most mentioned leads.
    """
    groups: dict[str, list[str]] = {}
    for text, kind in entities:
        if text:
            sign = ENTITY_SIGNS.get(kind, _OTHER_ENTITY_SIGN)
            groups.setdefault(sign, []).append(truncate_visible(text, ENTITY_NAME_LIMIT))
    return " · ".join(f"{sign} {escape(', '.join(names))}" for sign, names in groups.items())


def render_alert(
    *,
    rules: Sequence[str],
    title: str,
    url: str,
    source: str,
    sentences: Sequence[str],
    written_in: str = "",
) -> str:
    """One alert: which rules matched, the linked title, the source and the summary.

    ``written_in`` says the story's language ("in German") when it is not the reader's.
    """
    head = "🔔 " + ", ".join(f"<b>{escape(rule)}</b>" for rule in rules)
    body = link(url, title or url)
    if source:
        body += f" — <i>{escape(source)}</i>"
    if written_in:
        body += f" · {escape(written_in)}"
    summary = " ".join(sentences)
    parts = [head, body] + ([escape(summary)] if summary else [])
    message = "\n".join(parts)
    if visible_length(message) > MESSAGE_LIMIT:
        room = MESSAGE_LIMIT - visible_length("\n".join(parts[:2])) - 1
        message = "\n".join([*parts[:2], escape(truncate_visible(summary, room))])
    return message


def render_feed_broken(
    *, feed_title: str, url: str, error: str, tr: gettext.NullTranslations
) -> str:
    return "⚠️ " + tr.gettext(
        "The source {source} has stopped working: {reason}.\n"
        "It is retried now and then; /mysources to remove it."
    ).format(source=f"<b>{escape(feed_title or url)}</b>", reason=escape(error))
