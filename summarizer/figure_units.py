"""Rates, ranges and changes: the words around a number that turn it into a speed or a span.

spaCy tags "140 kilometres" and leaves "an hour" outside, tags "between 5 and 7 percent" as
one span but "from 4.1% to 4.3%" as two; these rules put the pieces back together. A unit
library (pint) would parse "km/h" but not "£18 a month" or "45 cents a share", so a small table
of the "per" words news uses stands in for one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# What a figure is counted per: "an hour", "a barrel", "per share", "/h".
_PER_WORDS = (
    "hour", "year", "month", "week", "day", "night", "minute", "second", "share", "barrel",
    "litre", "liter", "gallon", "tonne", "ton", "kilogram", "kg", "passenger", "runner",
    "person", "head", "pupil", "household", "game", "season", "kilometre", "kilometer", "mile",
    "megawatt hour", "megawatt-hour", "kilowatt hour", "kilowatt-hour", "MWh", "kWh", "annum",
    "square metre", "square meter", "square foot",
)  # fmt: skip
_PER_SYMBOLS = {"h": "hour", "hr": "hour", "yr": "year", "d": "day", "annum": "year"}
_PER = "|".join(_PER_WORDS)
# After "a" only the words above make a rate ("£3m a company spokesman said" is none); after
# "per" a singular noun that ends the phrase does too ("$1,900 per container", "12 cents per
# diluted share"), but not "per cent", "per se", "per annum" (a year, above as "annum"), a name
# or a plural ("$2bn per SEC filings", "4% per analysts at Barclays": "according to").
_PER_MODIFIER = r"(?:(?:diluted|basic|adjusted|square|cubic|full-time|calendar|adult)\s+)?"
_PER_NOUN = (
    r"(?-i:(?!(?:cent|centum|se|capita|the|a|an|his|her|its|their|our|this|that)\b)"
    r"[a-z]+(?:ss|us|is|[^s\W]))"
)
_PHRASE_ENDS = (
    r"(?=\s*(?:[,.;:!?)]|$)|\s+(?:and|or|but|for|in|on|at|to|from|with|by|per|over|than|last"
    r"|this|next|was|were|is|are|has|had|have|will|would|could|may|after|before|since|up|down"
    r"|rose|fell|compared)\b)"
)
# Not "15 percent a year earlier": that is a time, not a rate.
RATE_AFTER = re.compile(
    rf"\s*(?:(?:an?|each|every)\s+({_PER})|per\s+(?:({_PER})\b|{_PER_MODIFIER}({_PER_NOUN})"
    rf"{_PHRASE_ENDS})|/\s*({_PER}|h|hr|yr|d))\b"
    r"(?!\s+(?:earlier|ago|later|before|after)\b)",
    re.IGNORECASE,
)
RATE_INSIDE = re.compile(
    rf"(?:\s(?:an?|each|every)\s+({_PER})|\sper\s+(?:({_PER})|{_PER_MODIFIER}({_PER_NOUN}))"
    rf"|/\s*({_PER}|h|hr|yr|d))$",
    re.IGNORECASE,
)
_SPEEDS = {
    "km": "km/h", "kilometre": "km/h", "kilometer": "km/h", "kph": "km/h",
    "mile": "mph", "mph": "mph", "metre": "m/s", "meter": "m/s", "knot": "knots",
}  # fmt: skip
# "between 5 and 7 percent", "from 51 million to 60 million": the words that join two figures.
_RANGE_START = re.compile(r"\b(between|from)\s+$", re.IGNORECASE)
_RANGE_JOIN = re.compile(r"\s(?:and|to)\s|\s?[-–]\s?", re.IGNORECASE)
_OPENS_RANGE = re.compile(r"(?:between|from)\s", re.IGNORECASE)
# Inside one span: "between 30 and 32 percent", "4.1% to 4.3%".
_INNER_JOIN = re.compile(r"\s(?:and|to)\s|\d\s?[-–]\s?\d", re.IGNORECASE)
# "between 5 and 7 percent" where the model tagged "between 5" as a date and dropped it.
_LOW_END_BEFORE = re.compile(r"\b(?:between|from)\s+[\d.,]+\s*(?:and|to|-|–)\s*$", re.IGNORECASE)
# The model runs a span on over a full stop: "320 km/h. Nurses" (but "U.S. dollars" is whole).
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])[.!?](?=\s+[A-Z])")


def per_of(written: str) -> str | None:
    """The "per" word at the end of a figure as written ("£18 a month" -> "month")."""
    match = RATE_INSIDE.search(written)
    if match is None:
        return None
    word = next(group for group in match.groups() if group)
    # "MWh" keeps its capitals; "Share" at a line's start does not.
    return _PER_SYMBOLS.get(word.lower(), word if word[1:] != word[1:].lower() else word.lower())


def compound_unit(base: str | None, per: str | None) -> str | None:
    """Join a unit and its "per" word: ("kilometres", "hour") -> "km/h", ("GBP", "year") -> "GBP/year"."""
    if per is None:
        return base
    if per == "hour" and base is not None:
        singular = base.lower().rstrip("s")
        if singular in _SPEEDS:
            return _SPEEDS[singular]
    return f"{base}/{per}" if base else f"/{per}"


def clip_at_sentence_end(text: str, start: int, end: int) -> int:
    """The end of a span cut back to the sentence it starts in."""
    stop = _SENTENCE_END.search(text, start, end)
    return stop.start() if stop else end


def join_ranges(text: str, spans: Sequence[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Merge "between A and B" and "from A to B" into one span starting at "between"/"from".

    The kind is the second figure's when the first is a bare count ("between 5 and 7 percent"
    tags "5" as a number and "7 percent" as a percentage).
    """
    joined: list[tuple[str, int, int]] = []
    index = 0
    while index < len(spans):
        kind, start, end = spans[index]
        opener = _RANGE_START.search(text, max(0, start - 10), start)
        opens_at = opener.start() if opener else start if _OPENS_RANGE.match(text, start) else None
        if index + 1 < len(spans) and opens_at is not None:
            next_kind, next_start, next_end = spans[index + 1]
            # The model may keep the joining word in the first span ("4.1% to", "between 5").
            gap = text[start:next_start]
            if next_start - end <= 5 and _RANGE_JOIN.search(
                gap[len(gap) - (next_start - end) - 4 :]
            ):
                merged_kind = next_kind if kind == "count" else kind
                joined.append((merged_kind, opens_at, next_end))
                index += 2
                continue
        if opener and _INNER_JOIN.search(text, start, end):
            start = opener.start()  # one span "4.1% to 4.3%" after "from"
        elif low_end := _LOW_END_BEFORE.search(text, max(0, start - 30), start):
            start = low_end.start()
        joined.append((kind, start, end))
        index += 1
    return joined


# The word just before a figure that says which way it moved: "up 3%", "fell 12 percent", "a
# rise of £2bn". Only verbs and nouns that mean nothing else before a number ("lost 5 games",
# "cut 200 jobs" are counts, not changes).
_DIRECTION_BEFORE = re.compile(
    r"\b(?:(up|rose|risen|rising|increased|climbed|jumped|grew|soared|surged|gained)"
    r"|(down|fell|fallen|falling|dropped|declined|decreased|slipped|shrank|plunged|slumped)"
    r"|an? (?:(rise|increase|jump|gain)|(fall|drop|decline|decrease)) of)(?: by)?\s+$",
    re.IGNORECASE,
)


# The words between the two figures of a range or a change.
_PART_JOIN = re.compile(r"\s(?:to|and)\s|(?<=\d)\s?[-–]\s?(?=\d)")


def direction_before(text: str, start: int) -> str | None:
    """ "up" or "down" when the words right before ``start`` say the figure is a change."""
    match = _DIRECTION_BEFORE.search(text, max(0, start - 30), start)
    if match is None:
        return None
    return "up" if match.group(1) or match.group(3) else "down"


def is_range(written: str) -> bool:
    """A "between A and B" or "A to B" figure (not a "from A to B" change)."""
    return not is_change(written) and bool(_INNER_JOIN.search(written))


def first_part(written: str) -> str:
    """The figure before the first joining word: "from 51 million to 60 million" -> "51 million"."""
    return _PART_JOIN.split(re.sub(r"^(?:from|between)\s+", "", written))[0]


def is_change(written: str) -> bool:
    """A "from A to B" figure, whose value is where it ended up (B)."""
    return bool(re.match(r"from\s", written, re.IGNORECASE))


def last_part(written: str) -> str:
    """The figure after the last joining word: "from 51 million to 60 million" -> "60 million"."""
    parts = _PART_JOIN.split(written)
    return parts[-1]
