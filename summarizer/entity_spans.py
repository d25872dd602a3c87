"""Where a story's names can be trusted: captions and fact boxes located, glued spans cut apart."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

# Picture captions and fact-box lines stand as short paragraphs of their own in a page's text
# ("Burnley", "Andros Townsend celebrates his equaliser", "Goals | 37", "Source: company
# report"); the model reads them into the sentences around them ("Burnley Andros Townsend") and
# they repeat names the story already counts. A paragraph is one when it has no closing
# punctuation and is short, or is a label–value row, or a "Source:" credit.
_CLOSING = re.compile(r"""[.!?…]["'”’)\]]*\s*$""")
_FACT_ROW = re.compile(r"[^|\n]{1,60}\|[^\n]{0,60}")
_SOURCE = re.compile(r"(?:sources?|credits?|notes?)\s*:.{0,120}", re.IGNORECASE)
CAPTION_WORDS = 16
# Where one name cannot continue into the next: a line break, a spaced dash ("Yokohama Rubber -
# one of"), a fact box's bar, a colon ("Triumph: Marjorie Dunn").
_BOUNDARY = re.compile(r"\s*\n\s*|\s+(?:-{1,2}|–|—)\s+|\s*\|\s*|:\s+")


class Piece(NamedTuple):
    text: str
    start: int
    end: int


def caption_spans(text: str) -> list[tuple[int, int]]:
    """Return the sorted spans of caption and fact-box paragraphs in ``text`` (paragraphs are
    separated by blank lines, as ``summarize`` joins them); the first paragraph is story."""
    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"[^\n]+", text):
        paragraph = match.group().strip()
        if match.start() == 0 or not paragraph:
            continue
        short_open = not _CLOSING.search(paragraph) and len(paragraph.split()) <= CAPTION_WORDS
        if short_open or _FACT_ROW.fullmatch(paragraph) or _SOURCE.fullmatch(paragraph):
            spans.append(match.span())
    return spans


# A word twice in a row is where a caption ending in a name meets the story going on with it
# ("... by her granddaughter Amy Dunn" + "Dunn took up swimming"): no name repeats a word so.
_DOUBLED = re.compile(r"\b(?P<word>[A-Z][\w'’-]*)(?P<gap>\s+)(?=(?P=word)\b)")


def split_at_boundaries(text: str, start: int) -> Iterator[Piece]:
    """Yield the parts of a span (``text`` found at ``start``) between name boundaries, each
    holding a capital letter: "Italy\\n\\nSky Sports" is "Italy" and "Sky Sports"."""
    cuts = sorted(
        [m.span() for m in _BOUNDARY.finditer(text)]
        + [m.span("gap") for m in _DOUBLED.finditer(text)]
    )
    cursor = 0
    for cut_start, cut_end in [*cuts, (len(text), len(text))]:
        part = text[cursor:cut_start]
        if any(c.isupper() for c in part):
            yield Piece(part, start + cursor, start + cut_start)
        cursor = cut_end
