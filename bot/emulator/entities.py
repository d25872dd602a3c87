"""Telegram's HTML parse mode: markup in, visible text and message entities out, or a refusal."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# Tag name -> entity type; span and blockquote are resolved from their attributes.
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
_OTHER_TAGS = {"a", "span", "tg-emoji", "blockquote"}
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)"
    r"((?:\s+[a-zA-Z][\w-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)\s*>"
)
_ATTR = re.compile(r"([a-zA-Z][\w-]*)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
# The only named entities Telegram accepts, plus any numeric one.
_CHAR_REF = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPECIAL = re.compile(r"[<&]")


class EntityParseError(ValueError):
    """The markup is not valid Telegram HTML; the message follows Telegram's wording."""


@dataclass(slots=True)
class _Open:
    tag: str
    entity: dict[str, Any] | None
    start: int  # UTF-16 offset in the visible text
    attrs: dict[str, str] = field(default_factory=dict)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units, so an emoji outside the BMP counts 2."""
    return len(text.encode("utf-16-le")) // 2


def _decode_ref(match: re.Match[str]) -> str:
    named, decimal, hexadecimal = match.groups()
    if named:
        return _NAMED[named]
    code = int(decimal) if decimal else int(hexadecimal, 16)
    return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"


def _unescape_attr(value: str | None) -> str:
    if value is None:
        return ""
    if value[:1] in "\"'":
        value = value[1:-1]
    return _CHAR_REF.sub(_decode_ref, value)


def _entity_for(tag: str, attrs: dict[str, str], offset: int) -> dict[str, Any] | None:
    if tag in _SIMPLE_TAGS:
        return {"type": _SIMPLE_TAGS[tag]}
    if tag == "a":
        return {"type": "text_link", "url": attrs["href"]} if attrs.get("href") else None
    if tag == "span":
        if attrs.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {offset}'
            )
        return {"type": "spoiler"}
    if tag == "tg-emoji":
        return {"type": "custom_emoji", "custom_emoji_id": attrs.get("emoji-id", "")}
    return {"type": "expandable_blockquote" if "expandable" in attrs else "blockquote"}


def parse_html(markup: str) -> tuple[str, list[dict[str, Any]]]:
    """Return the visible text and its entities (UTF-16 offsets), or raise ``EntityParseError``.

    Hand-written on purpose: ``html.parser`` is built to forgive web pages (it accepts a bare
    ``<``, unclosed and mis-nested tags, unknown entities), which are exactly the mistakes the
    emulator must refuse the way Telegram does. This scanner is stricter than Telegram in one
    place: a bare ``&`` is refused, because a bot that forgets to escape ``&`` forgets ``<`` too.
    """
    out: list[str] = []
    length = 0  # UTF-16 length of the text emitted so far
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    pos = 0
    while pos < len(markup):
        special = _SPECIAL.search(markup, pos)
        end = special.start() if special else len(markup)
        if end > pos:
            out.append(markup[pos:end])
            length += utf16_len(markup[pos:end])
        if special is None:
            break
        offset = len(markup[:end].encode())
        if markup[end] == "&":
            ref = _CHAR_REF.match(markup, end)
            if ref is None:
                raise EntityParseError(
                    f'Unsupported HTML entity or bare "&" at byte offset {offset}'
                )
            char = _decode_ref(ref)
            out.append(char)
            length += utf16_len(char)
            pos = ref.end()
            continue
        tag_match = _TAG.match(markup, end)
        if tag_match is None:
            raise EntityParseError(f'Unclosed start tag or bare "<" at byte offset {offset}')
        closing, name, raw_attrs = (
            tag_match.group(1),
            tag_match.group(2).lower(),
            tag_match.group(3),
        )
        pos = tag_match.end()
        if closing:
            if not stack:
                raise EntityParseError(f'Unexpected end tag "{name}" at byte offset {offset}')
            if stack[-1].tag != name:
                raise EntityParseError(
                    f'Unmatched end tag at byte offset {offset}, expected "</{stack[-1].tag}>", '
                    f'found "</{name}>"'
                )
            opened = stack.pop()
            if opened.entity is not None and length > opened.start:
                opened.entity.update(offset=opened.start, length=length - opened.start)
                entities.append(opened.entity)
            continue
        if name not in _SIMPLE_TAGS and name not in _OTHER_TAGS:
            raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {offset}')
        attrs = {key.lower(): _unescape_attr(value) for key, value in _ATTR.findall(raw_attrs)}
        entity = _entity_for(name, attrs, offset)
        if name == "code" and stack and stack[-1].tag == "pre" and stack[-1].entity is not None:
            # <pre><code class="language-x"> is one pre entity with a language, not two entities.
            language = attrs.get("class", "").removeprefix("language-")
            if language:
                stack[-1].entity["language"] = language
            entity = None
        stack.append(_Open(name, entity, length, attrs))
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    entities.sort(key=lambda item: (item["offset"], -item["length"]))
    return "".join(out), entities
