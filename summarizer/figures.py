"""Key figures: money, percentages, quantities and counts, normalised and explained."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from summarizer.entities import Mention
from summarizer.figure_labels import label_from_parse
from summarizer.figure_units import (
    RATE_AFTER,
    RATE_INSIDE,
    clip_at_sentence_end,
    compound_unit,
    direction_before,
    first_part,
    is_change,
    is_range,
    join_ranges,
    last_part,
    per_of,
)
from summarizer.syntax import parse_sentences

SentenceParser = Callable[[Sequence[str]], Sequence[Any]]

FIGURE_LABELS = {
    "MONEY": "money",
    "PERCENT": "percent",
    "QUANTITY": "quantity",
    "CARDINAL": "count",
}
_KIND_WEIGHT = {"money": 3.0, "percent": 2.5, "quantity": 2.0, "count": 1.5}
# A figure the summary or the title states outranks any kind of figure that neither does.
SUMMARY_WEIGHT = 3.0
TITLE_WEIGHT = 3.0

# spaCy finds the spans but does not normalise them. Normalising needs scale words, number words
# and currency names only, so these small tables stand in for a unit-parsing dependency.
_SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "mln": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12,
    # Indian English: "Rs 5,000 crore", "Rs 1.2 lakh crore" (both apply: 1e12).
    "lakh": 1e5, "crore": 1e7,
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
    ("US$", "USD"), ("HK$", "HKD"), ("NZ$", "NZD"), ("A$", "AUD"), ("C$", "CAD"),
    ("S$", "SGD"), ("$", "USD"), ("£", "GBP"), ("€", "EUR"), ("¥", "JPY"), ("₹", "INR"),
    ("₽", "RUB"), ("₦", "NGN"),
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
    (re.compile(r"\bcents?\b"), "USD"),
    (re.compile(r"\bpence\b|\dp\b"), "GBP"),
    (re.compile(r"\b(?:naira|kobo)\b"), "NGN"),
    (re.compile(r"\brand\b"), "ZAR"),
    (re.compile(r"(?<![a-z])rs\.?\s?(?=\d)"), "INR"),
    # Inside a money span "won" is Korea's currency, not the verb.
    (re.compile(r"\bwon\b"), "KRW"),
)
# What the model sometimes leaves outside the span: "6.5 million euros", "790m euros",
# "13 per cent", "£2,100", and the scale letters of "$960m" (it tags only "960").
_CURRENCY_AFTER = re.compile(
    r"(?:m|bn|mn)?\s*(?:(?:U\.S\.|US|American)\s+)?"
    # "rand" in lower case, not a name: "1,200 Rand Paul supporters".
    r"(?:dollars?|euros?|pounds?|yuan|yen|rupees?|r[ou]bles?|naira|(?-i:rand)(?!\s+[A-Z]))\b",
    re.IGNORECASE,
)
# "$960m (£499m)", "3.1bn Australian dollars, or A$2.6bn": the same sum in another currency.
_CONVERSION = re.compile(r"\s*(?:\(|/|,?\s*or\s+)")
_WON_AFTER = re.compile(r"\s*won\b")
# Also spelled out: the model may end a span before it ("$118 billion to" then "$126 billion").
_SCALE_AFTER = re.compile(
    r"(?:bn|mn|m|k|tn)\b|(?: (?:thousand|million|billion|trillion|lakh|crore)\b)+"
)
# Units written against the number ("100m", "6.6km", "40kg"), case-sensitive so "5G" stays out.
_UNIT_AFTER = re.compile(
    r"(?:km|cm|mm|m|kg|mg|g|t|ft|mph|kph|mw|MW|GW|kW|kWh|MWh|GWh|GB|MB|TB|ha)\b|°[CF]\b"
)
_GLUED_UNIT = re.compile(r"\d(" + _UNIT_AFTER.pattern + ")$")
# "31:41", "10.30am", "1200 GMT": clock times and race times, not figures.
_CLOCK = re.compile(r"\d:\d\d|\d\.\d\d\s*[ap]\.?m\.?(?!\w)")
_CLOCK_AFTER = re.compile(r"\s*(?:[ap]\.?m\.?(?!\w)|(?:GMT|BST|UTC|CET|CEST|[ECMP][SD]T|hrs)\b)")
# "98-103", "737-800", "2021-2022": a count joined by a dash is a score or a code, no range.
_DASHED_ONLY = re.compile(r"^[^a-z]*\d\s?[-–]\s?\d[^a-z]*$", re.IGNORECASE)
_PERCENT_AFTER = re.compile(r"\s*(?:%|\bper\s?cent\b|\bpercent\b)", re.IGNORECASE)
# "3-5 per cent", "3 – 5 per cent"; not "Nikkei 225 -1.3%", a fall after an index's name.
_DASHED_HIGH = re.compile(r"(?:[-–]|\s[-–]\s)(\d[\d,]*(?:\.\d+)?)")
# "Between 45 and 55 per cent", which the model tags as a date.
_PERCENT_RANGE = re.compile(
    r"(?:between|from)\s+\d[\d.,]*\s+(?:and|to)\s+\d[\d.,]*\s*(?:%|per\s?cent|percent)",
    re.IGNORECASE,
)
_SUBUNIT = re.compile(r"\b(?:cents?|pence|kobo)\b|\dp\b", re.IGNORECASE)
# Pence written against the number ("45p a share", "210p"), which the model reads as a count or
# misses; not a video's lines ("1080p").
_PENCE = re.compile(
    r"(?<![\w.,£$€])(?!(?:144|240|360|480|720|1080|1440|2160|4320)p\b)\d+(?:\.\d+)?p\b"
)
_SUBUNIT_AFTER = re.compile(r"\s*(?:cents?|pence|kobo)\b", re.IGNORECASE)
# One currency sign; the sums written with one are money whatever the model calls them.
_SIGN = r"(?:US\$|HK\$|NZ\$|A\$|C\$|S\$|[$£€¥₹₽₦]|(?<![A-Za-z])Rs\.?\s?)"
_CURRENCY_BEFORE_ANY = re.compile(_SIGN)
_SIGNED_MONEY = re.compile(_SIGN + r"\d[\d,]*(?:\.\d+)?(?:bn|mn|m|k|tn)?\b")
# "81 minutes to 49 minutes": the model tags a change in time as one TIME span. Only in one
# unit: "from 3 hours to 50 minutes" would read as a rise, and "2 hours and 30 minutes" is one
# length of time, not a range.
_DURATION = re.compile(
    r"(?:about |some |more than )?\d[\d,]*(?:\.\d+)? (seconds|minutes|hours)"
    r"(?: to \d[\d,]*(?:\.\d+)? \1)?"
)
# Unit words the model leaves out of a number's span: "4.2 billion gigabytes", "50 gigawatts".
_UNIT_WORD_AFTER = re.compile(
    r"\s+(?:(?:giga|mega|tera|kilo)(?:bytes|watts)|hectares|acres|tonnes|litres|barrels"
    r"|kilometres|kilometers|miles|metres|meters|(?:square )?(?:km|miles)"
    r"|basis\s+points|percentage\s+points)\b"
    # Capitals only: "450 MW", not "450 mw".
    r"|\s+(?-i:MW|GW|kW|MWh|GWh|TWh)\b",
    re.IGNORECASE,
)
# Units of two words, kept whole ("25 basis points").
_PHRASE_UNIT = re.compile(r"(?:basis|percentage)\s+points$", re.IGNORECASE)
_TITLE_NUMBER = re.compile(
    r"[$£€]?\d[\d,]*(?:\.\d+)?\s?(?:bn|m|k|million|billion|thousand|trillion)?\b"
)
_CURRENCY_BEFORE = re.compile(_SIGN + r"\s?$")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+")
_TOKEN = re.compile(r"[A-Za-z]+|\d[\d,]*(?:\.\d+)?")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_HEDGES = re.compile(
    r"\b(?:more than|less than|fewer than|over|under|about|around|nearly|almost|some|up to|"
    r"at least|roughly|approximately|only|just)\s*$",
    re.IGNORECASE,
)
_RANGE_WORDS = frozenset({"between", "and", "from", "to"})


@dataclass(frozen=True, slots=True)
class RankedFigure:
    text: str
    value: float
    unit: str | None
    kind: str
    about: str
    salience: float
    # The high end of a range ("between 5 and 7 percent": 7.0); None for a single figure.
    high: float | None = None
    # "up" or "down" for a change ("up 3%", "from 51 million to 60 million"), else None.
    direction: str | None = None


def parse_value(text: str, *, money: bool = False) -> float | None:
    """Return the number ``text`` states, scale words applied ("1.5 million" -> 1500000.0).

    The one-letter scales ("£600m", "$5k", "$2b") count only for money: "5,000m" is metres.
    """
    value: float | None = None
    for symbol, _code in _CURRENCY_SYMBOLS:
        text = text.replace(symbol, " ")  # the "A" of "A$2.6bn" is not the number one
    words = _TOKEN.findall(text.lower())
    # "a" is one only where no digits follow: "a million", not "a record £1.2bn".
    digits = any(word[0].isdigit() for word in words)
    for token in (word for word in words if not (digits and word == "a")):
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
        text = RATE_INSIDE.sub("", text)  # the "per" part is joined on by the caller
        if phrase := _PHRASE_UNIT.search(text):
            return " ".join(phrase.group().lower().split())
        glued = _GLUED_UNIT.search(text)
        if glued:
            return glued.group(1)
        words = [
            w
            for w in re.findall(r"[A-Za-z]+", text)
            if w.lower() not in _SCALES
            and w.lower() not in _WORD_NUMBERS
            and w.lower() not in _RANGE_WORDS
            and not _HEDGES.search(w)
        ]
        return words[-1] if words else None
    return None


def rank_figures(
    mentions: Iterable[Mention],
    *,
    text: str,
    sentence_spans: Sequence[tuple[int, int]],
    summary_indices: Sequence[int],
    limit: int,
    title: str | None = None,
    parse: SentenceParser = parse_sentences,
) -> list[RankedFigure]:
    """Turn numeric entity spans into figures; drop years and bare small numbers; dedupe; rank.

    Figures in the summary's sentences and those the title repeats come first. ``parse`` gives
    the dependency parse of the sentences that hold figures, and only of those.
    """
    length = max(len(text), 1)
    in_summary = set(summary_indices)
    in_title = _title_values(title or "")
    seen: set[tuple[float, str | None]] = set()
    last_money_end = -1
    found: list[tuple[str, float, str | None, str, int, int, int | None]] = []
    widened = [
        _widen(kind, text, m.start, m.end) for m in mentions if (kind := _kind_of(m)) is not None
    ]
    for kind, start, end in join_ranges(text, _with_missed_money(text, widened)):
        written = text[start:end]
        if kind in ("count", "money") and _PERCENT_AFTER.search(written):
            kind = "percent"  # the small model tags "13 per cent" as money
        value = figure_value(written, kind)
        if value is None or (
            kind == "count" and (not _is_count(written, value) or _is_clock(text, start, end))
        ):
            continue
        unit = compound_unit(_unit(kind, written), per_of(written))
        # "6,000 metres" and "6,000-metre" are one figure.
        key = (value, unit.lower().rstrip("s") if unit else None)
        converted = kind == "money" and _CONVERSION.fullmatch(text, last_money_end, start)
        if kind == "money":
            last_money_end = end
        if key in seen or converted:
            continue
        seen.add(key)
        found.append(
            (written, value, unit, kind, start, end, _sentence_index(sentence_spans, start))
        )
    indices = sorted({index for *_, index in found if index is not None})
    docs = dict(
        zip(indices, parse([text[slice(*sentence_spans[i])] for i in indices]), strict=True)
    )
    ranked: list[RankedFigure] = []
    for written, value, unit, kind, start, end, index in found:
        about = ""
        if index is not None:
            first = sentence_spans[index][0]
            about = (
                label_from_parse(docs[index], start - first, end - first, money=kind == "money")
                or ""
            )
        salience = (
            _KIND_WEIGHT[kind]
            + (SUMMARY_WEIGHT if index in in_summary else 0.0)
            + (TITLE_WEIGHT if any(math.isclose(value, v) for v in in_title) else 0.0)
            + 1.0
            - start / length
        )
        ranked.append(
            RankedFigure(
                written,
                value,
                unit,
                kind,
                about,
                round(salience, 3),
                *_extent(text, start, written, kind, value),
            )
        )
    ranked.sort(key=lambda f: -f.salience)
    return ranked[:limit]


def _kind_of(mention: Mention) -> str | None:
    kind = FIGURE_LABELS.get(mention.label)
    if kind is None and mention.label in ("TIME", "DATE") and _DURATION.fullmatch(mention.text):
        return "quantity"  # "36 minutes", "7,000 hours": a length of time, not a date
    if kind is None and mention.label == "DATE" and _PERCENT_RANGE.fullmatch(mention.text):
        return "percent"
    return kind


def _with_missed_money(text: str, spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Add the sums with a currency sign the model did not tag ("£67bn" as an ordinal, or not
    at all) and pence written against the number ("3p a litre"): they are money whatever the
    model says."""
    signed = [*_SIGNED_MONEY.finditer(text), *_PENCE.finditer(text)]
    missed = [
        _widen("money", text, m.start(), m.end())
        for m in signed
        if not any(start < m.end() and m.start() < end for _, start, end in spans)
    ]
    return sorted(spans + missed, key=lambda span: span[1])


def figure_value(written: str, kind: str) -> float | None:
    """The value a figure states: the low end of a range, the end point of a change, cents as
    dollars."""
    money = kind == "money"
    stated = RATE_INSIDE.sub("", written)  # the "a" of "a year" is not the number one
    if is_range(stated):
        stated = _low_end(stated)
    value = parse_value(last_part(stated) if is_change(stated) else stated, money=money)
    if (
        value is not None
        and money
        and _SUBUNIT.search(written)
        and not _CURRENCY_BEFORE_ANY.search(written)
    ):
        value /= 100  # "20 cents", "14 pence"
    return value


def _low_end(written: str) -> str:
    """A range's low end with the high end's scale when it has none: "$5-10 million" is $5m."""
    low, high = first_part(written), last_part(written)
    if not re.search(r"\d$", low):
        return written  # "between £150m and £200m" says its scale; "up to 140 km" is no range
    tail = re.sub(r"^[^\d]*\d[\d,]*(?:\.\d+)?", "", high)
    return low + tail


def _extent(
    text: str, start: int, written: str, kind: str, value: float
) -> tuple[float | None, str | None]:
    """A figure's high end if it is a range, and its direction if it is a change."""
    if is_range(written) and not (kind == "count" and _DASHED_ONLY.search(written)):
        high = figure_value(last_part(written), kind)
        return (high if high is not None and high > value else None), None
    if is_change(written):
        began = figure_value(first_part(written), kind)
        if began is not None and began != value:
            return None, "up" if value > began else "down"
        return None, None
    return None, direction_before(text, start)


def _title_values(title: str) -> list[float]:
    values = (parse_value(m.group(), money=True) for m in _TITLE_NUMBER.finditer(title))
    return [v for v in values if v is not None]


def _widen(kind: str, text: str, start: int, end: int) -> tuple[str, int, int]:
    """Take in a sign, scale, unit or rate the model left outside the span, and say what it is."""
    end = clip_at_sentence_end(text, start, end)
    if kind in ("count", "quantity") and _PENCE.fullmatch(text, start, end):
        kind = "money"
    kind, start, end = _widen_unit(kind, text, start, end)
    rate = RATE_AFTER.match(text, end)  # "140 kilometres an hour", "$91.40 a barrel"
    if rate and kind != "count":
        end = rate.end()
    return kind, start, end


def _widen_unit(kind: str, text: str, start: int, end: int) -> tuple[str, int, int]:
    before = _CURRENCY_BEFORE.search(text, max(0, start - 4), start)
    if before and kind in ("count", "money"):
        kind, start = "money", before.start()
    if kind in ("count", "money") and (subunit := _SUBUNIT_AFTER.match(text, end)):
        return "money", start, subunit.end()  # "20 cents per share", "14 pence a litre"
    if kind == "money":
        # Only where the model already said money: after a bare count, "won" is the verb.
        tail = next(
            (m for p in (_CURRENCY_AFTER, _WON_AFTER, _SCALE_AFTER) if (m := p.match(text, end))),
            None,
        )
        return kind, start, tail.end() if tail else end
    high = _DASHED_HIGH.match(text, end) if kind == "count" else None
    if high and (percent := _PERCENT_AFTER.match(text, high.end())):
        low = parse_value(text[start:end])
        if low is not None and float(high.group(1).replace(",", "")) > low:
            return "percent", start, percent.end()  # "3-5 per cent": the model tags "3"
    if kind == "count":
        # Currency first: the "m" of "790m euros" is a scale, not metres.
        for pattern, widened in (
            (_CURRENCY_AFTER, "money"),
            (_PERCENT_AFTER, "percent"),
            (_UNIT_AFTER, "quantity"),
            (_UNIT_WORD_AFTER, "quantity"),
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
