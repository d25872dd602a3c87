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

# spaCy finds the spans but does not normalise them. Normalising needs scale words, number words
# and currency names only, so these small tables stand in for a unit-parsing dependency.
_SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "mln": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12,
}  # fmt: skip
_SMALL_NUMBERS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty",
)  # fmt: skip
_WORD_NUMBERS = {word: float(value) for value, word in enumerate(_SMALL_NUMBERS)} | {
    "thirty": 30.0, "forty": 40.0, "fifty": 50.0, "sixty": 60.0, "seventy": 70.0,
    "eighty": 80.0, "ninety": 90.0, "hundred": 100.0, "dozen": 12.0, "a": 1.0,
}  # fmt: skip
_CURRENCY_SYMBOLS = (
    ("US$", "USD"), ("HK$", "HKD"), ("A$", "AUD"), ("C$", "CAD"), ("$", "USD"),
    ("£", "GBP"), ("€", "EUR"), ("¥", "JPY"), ("₹", "INR"), ("₽", "RUB"),
)  # fmt: skip
_CURRENCY_WORDS = (
    # The named dollars first: "3.1bn Australian dollars" is not USD.
    (re.compile(r"\baustralian\s+dollars?\b"), "AUD"),
    (re.compile(r"\bcanadian\s+dollars?\b"), "CAD"),
    (re.compile(r"\bhong\s+kong\s+dollars?\b"), "HKD"),
    (re.compile(r"\bnew\s+zealand\s+dollars?\b"), "NZD"),
    (re.compile(r"\bsingapore\s+dollars?\b"), "SGD"),
    (re.compile(r"\b(?:u\.?s\.?\s*|american\s*)?dollars?\b"), "USD"),
    (re.compile(r"\b(?:yuan|renminbi|rmb)\b"), "CNY"),
    (re.compile(r"\beuros?\b"), "EUR"),
    (re.compile(r"\b(?:pounds?(?: sterling)?|sterling)\b"), "GBP"),
    (re.compile(r"\byen\b"), "JPY"),
    (re.compile(r"\brupees?\b"), "INR"),
    (re.compile(r"\br[ou]bles?\b"), "RUB"),
    (re.compile(r"\bswiss\s+francs?\b"), "CHF"),
    # Inside a money span "won" is Korea's currency, not the verb.
    (re.compile(r"\bwon\b"), "KRW"),
)
# What the model sometimes leaves outside the span: "6.5 million euros", "790m euros",
# "13 per cent", "£2,100", and the scale letters of "$960m" (it tags only "960").
_CURRENCY_AFTER = re.compile(
    r"(?:m|bn|mn)?\s*(?:(?:U\.S\.|US|American)\s+)?"
    r"(?:dollars?|euros?|pounds?|yuan|yen|rupees?|r[ou]bles?)\b",
    re.IGNORECASE,
)
# "$960m (£499m)", "3.1bn Australian dollars, or A$2.6bn": the same sum in another currency.
_CONVERSION = re.compile(r"\s*(?:\(|/|,?\s*or\s+)")
_WON_AFTER = re.compile(r"\s*won\b")
_SCALE_AFTER = re.compile(r"(?:bn|mn|m|k|tn)\b")
# Units written against the number ("100m", "6.6km", "40kg"), case-sensitive so "5G" stays out.
_UNIT_AFTER = re.compile(r"(?:km|cm|mm|m|kg|mg|g|t|ft|mph|kph|mw|MW|GW|kW|kWh|GB|MB|TB|ha)\b")
_GLUED_UNIT = re.compile(r"\d(" + _UNIT_AFTER.pattern + ")$")
# "31:41", "10.30am", "1200 GMT": clock times and race times, not figures.
_CLOCK = re.compile(r"\d:\d\d|\d\.\d\d\s*[ap]\.?m\.?(?!\w)")
_CLOCK_AFTER = re.compile(r"\s*(?:[ap]\.?m\.?(?!\w)|(?:GMT|BST|UTC|CET|CEST|[ECMP][SD]T|hrs)\b)")
_PERCENT_AFTER = re.compile(r"\s*(?:%|\bper\s?cent\b|\bpercent\b)", re.IGNORECASE)
_CURRENCY_BEFORE = re.compile(r"(?:US\$|HK\$|A\$|C\$|[$£€¥₹₽])\s?$")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+")
_TOKEN = re.compile(r"[A-Za-z]+|\d[\d,]*(?:\.\d+)?")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
# Clause boundaries; a comma only when a space follows, so "12,000" stays whole.
_CLAUSE_BREAK = re.compile(r",(?=\s)|[;:()\[\]]|\s[-–—]+\s")
_HEDGES = re.compile(
    r"\b(?:more than|less than|fewer than|over|under|about|around|nearly|almost|some|up to|"
    r"at least|roughly|approximately|only|just)\s*$",
    re.IGNORECASE,
)
_FUNCTION_WORDS = frozenset((
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "with", "from", "into", "than",
    "as", "and", "or", "but", "its", "their", "his", "her", "our", "this", "that", "these",
    "those", "which", "who", "whom", "whose", "is", "are", "was", "were", "be", "been", "has",
    "have", "had", "will", "would", "it", "they", "he", "she", "we", "you", "i", "over", "under",
    "about", "after", "before", "during", "since", "until", "per", "across", "through", "within",
    "without", "between", "against", "toward", "towards", "up", "down", "out", "off",
))  # fmt: skip
_PREPOSITIONS = frozenset((
    "to", "into", "for", "in", "on", "at", "from", "by", "with", "over", "under", "across",
    "through", "within", "against", "toward", "towards", "during", "after", "before", "since",
))  # fmt: skip
_LINKING = frozenset({"of", "on", "in", "for", "from"})
# Words that end the noun phrase after a number ("7,000 patents globally last year").
_NOT_NOUNS = frozenset((
    "last", "next", "this", "each", "every", "ago", "earlier", "later", "since", "year", "years",
    "month", "months", "week", "weeks", "day", "days",
))  # fmt: skip
_STRIP = ".,;:!?\"'”’"


@dataclass(frozen=True, slots=True)
class RankedFigure:
    text: str
    value: float
    unit: str | None
    kind: str
    about: str
    salience: float


def parse_value(text: str, *, money: bool = False) -> float | None:
    """Return the number ``text`` states, scale words applied ("1.5 million" -> 1500000.0).

    The one-letter scales ("£600m", "$5k", "$2b") count only for money: "5,000m" is metres.
    """
    value: float | None = None
    for symbol, _code in _CURRENCY_SYMBOLS:
        text = text.replace(symbol, " ")  # the "A" of "A$2.6bn" is not the number one
    for token in _TOKEN.findall(text.lower()):
        if token[0].isdigit():
            if value is not None:
                break
            value = float(token.replace(",", ""))
        elif token in _SCALES and value is not None and (money or len(token) > 1):
            value *= _SCALES[token]
        elif token in _WORD_NUMBERS:
            number = _WORD_NUMBERS[token]
            if value is None:
                value = number
            elif token in ("hundred", "dozen"):
                value *= number  # "two hundred", "a dozen"
            elif number < 10 and value >= 20 and value % 10 == 0:
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
        glued = _GLUED_UNIT.search(text)
        if glued:
            return glued.group(1)
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
    return before.strip(), after.strip().rstrip(_STRIP)


def _noun_after(words: list[str]) -> list[str]:
    head: list[str] = []
    for i, word in enumerate(words[:5]):
        bare = word.strip(_STRIP).lower()
        if bare in _LINKING and head and i + 1 < len(words):
            head.append(word)
            continue
        if not bare.isalpha() or bare in _FUNCTION_WORDS or bare in _NOT_NOUNS:
            break
        if bare.endswith("ly"):
            break
        head.append(word)
    while head and head[-1].lower() in _LINKING:
        head.pop()
    return head


def describe(sentence: str, start: int, end: int) -> str:
    """Say what the figure at [start, end) measures, in the sentence's own words."""
    before, after = _clause_around(sentence, start, end)
    after_words = after.split()
    # "7,000 patents", "30 percent tariffs on coffee products": the noun that follows names it.
    head = _noun_after(after_words)
    if head:
        return " ".join(head).strip(_STRIP)
    # "30 percent of the power used by the town": what follows "of" is the whole.
    if after_words and after_words[0].lower() == "of":
        rest = _trim(after_words[1:9])
        if rest:
            return " ".join(rest)
    # "its monthly sales have surpassed 1.5 million": the clause before it names it, with what
    # it went into if a preposition follows ("invested … into the program").
    left = " ".join(_trim(_HEDGES.sub("", before).split()[-6:]))
    if not left and not after_words:
        # "(3.7 miles)": the clause is the figure alone; the words before it say what it is.
        left = " ".join(_trim(sentence[:start].split()[-6:]))
    right = ""
    # Only a preposition continues the phrase: "an hour" after "140 kilometres" is its unit.
    if after_words and after_words[0].lower() in _PREPOSITIONS:
        right = " ".join(_trim(after_words[:5], leading=False))
    if left and right:
        return f"{left} … {right}"
    return left or right


def _trim(words: list[str], *, leading: bool = True) -> list[str]:
    """Drop function words and stray punctuation from the ends of a phrase."""
    words = [w for w in (w.strip("()[]") for w in words) if any(c.isalnum() for c in w)]
    while leading and words and words[0].lower().strip(_STRIP) in _FUNCTION_WORDS:
        words.pop(0)
    while words and words[-1].lower().strip(_STRIP) in _FUNCTION_WORDS:
        words.pop()
    if words:
        words[-1] = words[-1].rstrip(_STRIP)  # "… last year," ends without its comma
    return words


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
    last_money_end = -1
    ranked: list[RankedFigure] = []
    for mention in mentions:
        kind = FIGURE_LABELS.get(mention.label)
        if kind is None:
            continue
        kind, start, end = _widen(kind, text, mention.start, mention.end)
        written = text[start:end]
        if kind in ("count", "money") and _PERCENT_AFTER.search(written):
            kind = "percent"  # the small model tags "13 per cent" as money
        value = parse_value(written, money=kind == "money")
        if value is None or (
            kind == "count" and (not _is_count(written, value) or _is_clock(text, start, end))
        ):
            continue
        unit = _unit(kind, written)
        # "6,000 metres" and "6,000-metre" are one figure.
        key = (value, unit.lower().rstrip("s") if unit else None)
        converted = kind == "money" and _CONVERSION.fullmatch(text, last_money_end, start)
        if kind == "money":
            last_money_end = end
        if key in seen or converted:
            continue
        seen.add(key)
        index = _sentence_index(sentence_spans, mention.start)
        first, stop = sentence_spans[index] if index is not None else (start, end)
        about = describe(text[first:stop], start - first, end - first)
        salience = (
            _KIND_WEIGHT[kind]
            + (1.0 if index in in_summary else 0.0)
            + 1.0
            - mention.start / length
        )
        ranked.append(RankedFigure(written, value, unit, kind, about, round(salience, 3)))
    ranked.sort(key=lambda f: -f.salience)
    return ranked[:limit]


def _widen(kind: str, text: str, start: int, end: int) -> tuple[str, int, int]:
    """Take in a sign, scale or unit the model left outside the span, and say what it is."""
    before = _CURRENCY_BEFORE.search(text, max(0, start - 4), start)
    if before and kind in ("count", "money"):
        kind, start = "money", before.start()
    if kind == "money":
        # Only where the model already said money: after a bare count, "won" is the verb.
        tail = next(
            (m for p in (_CURRENCY_AFTER, _WON_AFTER, _SCALE_AFTER) if (m := p.match(text, end))),
            None,
        )
        return kind, start, tail.end() if tail else end
    if kind == "count":
        # Currency first: the "m" of "790m euros" is a scale, not metres.
        for pattern, widened in (
            (_CURRENCY_AFTER, "money"),
            (_PERCENT_AFTER, "percent"),
            (_UNIT_AFTER, "quantity"),
        ):
            match = pattern.match(text, end)
            if match:
                return widened, start, match.end()
    return kind, start, end


def _is_clock(text: str, start: int, end: int) -> bool:
    """A clock or race time ("31:41", "10.30am", "1200 GMT"), which the model calls a number."""
    return bool(_CLOCK.search(text, start, end) or _CLOCK_AFTER.match(text, end))


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
