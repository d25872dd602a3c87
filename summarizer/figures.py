"""Key figures: money, percentages, quantities and counts, normalised and explained."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from summarizer.entities import Mention

FIGURE_LABELS = {
    "MONEY": "money",
    "PERCENT": "percent",
    "QUANTITY": "quantity",
    "CARDINAL": "count",
}
_KIND_WEIGHT = {"money": 3.0, "percent": 2.5, "quantity": 2.0, "count": 1.5}

# Hand-written tables: spaCy finds the spans but does not normalise them, and the well-known
# number parsers (price-parser, quantulum3) either drop scale words or pull in model data.
_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "mln": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "lakh": 1e5,
    "crore": 1e7,
}
_WORD_NUMBERS = {
    word: float(value)
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
} | {
    "thirty": 30.0,
    "forty": 40.0,
    "fifty": 50.0,
    "sixty": 60.0,
    "seventy": 70.0,
    "eighty": 80.0,
    "ninety": 90.0,
    "hundred": 100.0,
    "dozen": 12.0,
    "a": 1.0,
}
_CURRENCY_SYMBOLS = [
    ("US$", "USD"),
    ("HK$", "HKD"),
    ("A$", "AUD"),
    ("C$", "CAD"),
    ("$", "USD"),
    ("£", "GBP"),
    ("€", "EUR"),
    ("¥", "JPY"),
    ("₹", "INR"),
    ("₽", "RUB"),
]
_CURRENCY_WORDS = [
    (re.compile(r"\b(?:u\.?s\.?|american)?\s*dollars?\b"), "USD"),
    (re.compile(r"\b(?:yuan|renminbi|rmb)\b"), "CNY"),
    (re.compile(r"\beuros?\b"), "EUR"),
    (re.compile(r"\b(?:pounds?(?: sterling)?|sterling|quid)\b"), "GBP"),
    (re.compile(r"\byen\b"), "JPY"),
    (re.compile(r"\brupees?\b"), "INR"),
    (re.compile(r"\br[ou]bles?\b"), "RUB"),
]
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+")
_TOKEN = re.compile(r"[A-Za-z]+|\d[\d,]*(?:\.\d+)?")
_PERCENT = re.compile(r"%|\bper\s*cent\b|\bpercent(?:age points?)?\b", re.IGNORECASE)
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]]|\s[-–—]+\s|\s--\s")
_HEDGES = re.compile(
    r"\b(?:more than|less than|fewer than|over|under|about|around|nearly|almost|some|up to|"
    r"at least|roughly|approximately|only|just)\s*$",
    re.IGNORECASE,
)
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "into",
        "than",
        "as",
        "and",
        "or",
        "but",
        "its",
        "their",
        "his",
        "her",
        "our",
        "this",
        "that",
        "these",
        "those",
        "which",
        "who",
        "whom",
        "whose",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "will",
        "would",
        "it",
        "they",
        "he",
        "she",
        "we",
        "you",
        "i",
    ]
)
_LINKING = frozenset({"of", "on", "in", "for", "from"})
# Words that end the noun phrase after a number ("7,000 patents globally last year").
_NOT_NOUNS = frozenset(
    [
        "last",
        "next",
        "this",
        "each",
        "every",
        "per",
        "ago",
        "earlier",
        "later",
        "since",
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
        "day",
        "days",
    ]
)


@dataclass(frozen=True, slots=True)
class RankedFigure:
    text: str
    value: float
    unit: str | None
    kind: str
    about: str
    salience: float


def parse_value(text: str) -> float | None:
    """Return the number ``text`` states, scale words applied ("1.5 million" -> 1500000.0)."""
    value: float | None = None
    for token in _TOKEN.findall(text.lower()):
        if token[0].isdigit():
            if value is not None:
                break
            value = float(token.replace(",", ""))
        elif token in _SCALES and value is not None:
            value *= _SCALES[token]
        elif token in _WORD_NUMBERS:
            number = _WORD_NUMBERS[token]
            if token == "hundred" and value is not None:  # noqa: S105 (a number word)
                value *= 100
            elif value is None:
                value = number
            elif number < 100 and value >= 20 and value % 10 == 0:
                value += number  # "forty two"
    return value


def _unit(kind: str, text: str) -> str | None:
    if kind == "percent":
        return "%"
    if kind == "money":
        for symbol, code in _CURRENCY_SYMBOLS:
            if symbol in text:
                return code
        lowered = text.lower()
        for pattern, code in _CURRENCY_WORDS:
            if pattern.search(lowered):
                return code
        return None
    if kind == "quantity":
        words = [
            w
            for w in re.findall(r"[A-Za-z]+", text)
            if w.lower() not in _SCALES and w.lower() not in _WORD_NUMBERS and not _HEDGES.search(w)
        ]
        return words[-1] if words else None
    return None


def _clause_around(sentence: str, start: int, end: int) -> tuple[str, str]:
    """Return the clause text before and after [start, end) in ``sentence``."""
    before = sentence[:start]
    after = sentence[end:]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    match = _CLAUSE_BREAK.search(after)
    if match:
        after = after[: match.start()]
    return before.strip(), after.strip().rstrip(".!?\"'”’")


def describe(sentence: str, start: int, end: int) -> str:
    """Say what the figure at [start, end) measures, in the sentence's own words."""
    before, after = _clause_around(sentence, start, end)
    after_words = after.split()
    # "7,000 patents", "30 percent tariffs on coffee products": the noun that follows names it.
    head: list[str] = []
    for i, word in enumerate(after_words[:5]):
        bare = word.strip(".,;:!?\"'”’").lower()
        if bare in _LINKING and head and i + 1 < len(after_words):
            head.append(word)
            continue
        if (
            not bare.isalpha()
            or bare in _FUNCTION_WORDS
            or bare in _NOT_NOUNS
            or bare.endswith("ly")
        ):
            break
        head.append(word)
    while head and head[-1].lower() in _LINKING:
        head.pop()
    if head:
        return " ".join(head).strip(".,;:")
    # "its monthly sales have surpassed 1.5 million": the clause before it names it.
    before = _HEDGES.sub("", before).strip()
    words = before.split()[-8:]
    while words and words[0].lower() in _FUNCTION_WORDS:
        words.pop(0)
    left = " ".join(words)
    right = " ".join(after_words[:5])
    if left and right:
        return f"{left} … {right}"
    return left or right


def rank_figures(
    mentions: Iterable[Mention],
    *,
    text: str,
    sentence_spans: Sequence[tuple[int, int]],
    summary_indices: Sequence[int],
    limit: int,
) -> list[RankedFigure]:
    """Turn numeric entity spans into figures; drop years and bare small numbers; dedupe; rank."""
    length = max(len(text), 1)
    in_summary = set(summary_indices)
    seen: set[tuple[float, str | None]] = set()
    ranked: list[RankedFigure] = []
    for mention in mentions:
        kind = FIGURE_LABELS.get(mention.label)
        if kind is None:
            continue
        value = parse_value(mention.text)
        if value is None or (kind == "count" and not _is_count(mention.text, value)):
            continue
        unit = _unit(kind, mention.text)
        if (value, unit) in seen:
            continue
        seen.add((value, unit))
        index = _sentence_index(sentence_spans, mention.start)
        start, end = sentence_spans[index] if index is not None else (mention.start, mention.end)
        about = describe(text[start:end], mention.start - start, mention.end - start)
        salience = (
            _KIND_WEIGHT[kind]
            + (1.0 if index in in_summary else 0.0)
            + 1.0
            - mention.start / length
        )
        ranked.append(RankedFigure(mention.text, value, unit, kind, about, round(salience, 3)))
    ranked.sort(key=lambda f: -f.salience)
    return ranked[:limit]


def _is_count(text: str, value: float) -> bool:
    # "two fronts", "Mi band 2", "4G": small bare numbers are grammar or names, not figures;
    # a four-digit 1800-2099 is a year.
    stripped = text.strip()
    has_scale = any(word in _SCALES for word in re.findall(r"[a-z]+", stripped.lower()))
    if value < 10 and not has_scale:
        return False
    if not _NUMBER.search(stripped) and value < 100 and not has_scale:
        return False
    return not _YEAR.match(stripped)


def _sentence_index(spans: Sequence[tuple[int, int]], offset: int) -> int | None:
    for index, (start, end) in enumerate(spans):
        if start <= offset < end:
            return index
    return None
