"""Show what the bot sent in a terminal: styled text, links, numbered buttons, photos as files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.emulator import SentMessage

_STYLES = {
    "bold": ("\033[1m", "\033[22m"),
    "italic": ("\033[3m", "\033[23m"),
    "underline": ("\033[4m", "\033[24m"),
    "code": ("\033[2m", "\033[22m"),
    "pre": ("\033[2m", "\033[22m"),
    "text_link": ("\033[4m", "\033[24m"),
}


@dataclass(frozen=True, slots=True)
class Shown:
    """A rendered message and the callback data of its buttons, numbered from 1."""

    text: str
    buttons: tuple[str, ...]


def _utf16_index(text: str) -> list[int]:
    """For each UTF-16 offset, the Python string index it falls on (entities count in UTF-16)."""
    index = []
    for position, char in enumerate(text):
        index.extend([position] * (2 if ord(char) > 0xFFFF else 1))
    index.append(len(text))
    return index


def style_text(text: str, entities: Sequence[dict[str, Any]], *, color: bool) -> str:
    """Apply bold/italic/underline as ANSI codes (when ``color``) and spell out link targets."""
    index = _utf16_index(text)
    inserts: dict[int, list[str]] = {}
    for entity in entities:
        start = index[min(int(entity["offset"]), len(index) - 1)]
        end = index[min(int(entity["offset"]) + int(entity["length"]), len(index) - 1)]
        kind = str(entity["type"])
        opening, closing = _STYLES.get(kind, ("", ""))
        if color and opening:
            inserts.setdefault(start, []).append(opening)
            inserts.setdefault(end, []).insert(0, closing)
        if kind == "text_link":
            inserts.setdefault(end, []).append(f" <{entity['url']}>")
    pieces: list[str] = []
    for position, char in enumerate(text):
        pieces.extend(inserts.get(position, ()))
        pieces.append(char)
    pieces.extend(inserts.get(len(text), ()))
    return "".join(pieces)


def show_message(
    message: SentMessage,
    *,
    color: bool,
    photo_path: Path | None = None,
    document_path: Path | None = None,
) -> Shown:
    """The message as terminal text; a photo or file is named by where it was saved."""
    lines = []
    if message.photo is not None:
        saved = f", saved as {photo_path}" if photo_path is not None else ""
        lines.append(f"[photo, {len(message.photo):,} bytes{saved}]")
    if message.document is not None:
        saved = f", saved as {document_path}" if document_path is not None else ""
        lines.append(f"[document, {len(message.document):,} bytes{saved}]")
    if message.text:
        lines.append(style_text(message.text, message.entities, color=color))
    data: list[str] = []
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    for row in rows:
        labels = []
        for button in row:
            if "callback_data" in button:
                data.append(str(button["callback_data"]))
                labels.append(f"[{len(data)}] {button['text']}")
            elif "url" in button:
                labels.append(f"[{button['text']} <{button['url']}>]")
        if labels:
            lines.append("   ".join(labels))
    return Shown("\n".join(lines), tuple(data))
