"""Key figures in other languages' number formats: money, percentages and scaled counts.

The English figures come from spaCy's MONEY/PERCENT/CARDINAL spans and a parse; no model does
that for the other languages here, so figures are read by pattern: a number in the language's
format ("1.234,5", "12 345", "1,5"), a scale word after it ("Mio.", "Mrd.", "млн", "万", "亿"), a
currency before or after ("€", "руб.", "元", "zł") and percent signs or words ("30 %",
"30 Prozent", "%30" in Turkish). The value is normalised (1,5 Mrd. € is 1.5e9 EUR); what a
figure measures is left empty: a label needs a parse we do not have for these languages.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.languages import LanguageProfile

# Scale words, lower case, longest first in the pattern. Dotted abbreviations keep their dot.
_SCALES: dict[str, float] = {
    # German
    "tsd.": 1e3, "tausend": 1e3, "mio.": 1e6, "mio": 1e6, "million": 1e6, "millionen": 1e6,
    "mrd.": 1e9, "mrd": 1e9, "milliarde": 1e9, "milliarden": 1e9, "billion": 1e12,
    "billionen": 1e12,
    # French, Italian, Spanish, Portuguese, Dutch
    "millions": 1e6, "milliard": 1e9, "milliards": 1e9, "milione": 1e6, "milioni": 1e6,
    "miliardo": 1e9, "miliardi": 1e9, "millón": 1e6, "millones": 1e6, "mil millones": 1e9,
    "milhão": 1e6, "milhões": 1e6, "mil milhões": 1e9, "bilhão": 1e9, "bilhões": 1e9,
    "miljoen": 1e6, "miljard": 1e9, "mln": 1e6, "mld": 1e9, "mld.": 1e9, "mil": 1e3,
    # Polish, Czech
    "tys.": 1e3, "tys": 1e3, "milion": 1e6, "miliony": 1e6, "milionów": 1e6, "miliard": 1e9,
    "miliardy": 1e9, "miliardów": 1e9, "mil.": 1e6, "milionů": 1e6, "miliard.": 1e9,
    # Russian, Ukrainian
    "тыс.": 1e3, "тыс": 1e3, "тис.": 1e3, "млн": 1e6, "млн.": 1e6, "млрд": 1e9, "млрд.": 1e9,
    "трлн": 1e12, "миллиона": 1e6, "миллионов": 1e6, "миллиарда": 1e9, "миллиардов": 1e9,
    "мільйона": 1e6, "мільйонів": 1e6, "мільярда": 1e9, "мільярдів": 1e9,
    # Turkish
    "bin": 1e3, "milyon": 1e6, "milyar": 1e9,
    # Arabic
    "ألف": 1e3, "مليون": 1e6, "ملايين": 1e6, "مليار": 1e9, "مليارات": 1e9,
    # Chinese, Japanese (万亿 before 万 and 亿; 萬 and 億 are the traditional forms)
    "万亿": 1e12, "萬億": 1e12, "千": 1e3, "万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "兆": 1e12,
}  # fmt: skip
# Currencies by sign or word, as ISO 4217 codes.
_CURRENCIES: dict[str, str] = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "евро": "EUR", "євро": "EUR",
    "欧元": "EUR", "ユーロ": "EUR", "يورو": "EUR",
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "dólares": "USD",
    "dollari": "USD", "долларов": "USD", "доллара": "USD", "доларів": "USD", "美元": "USD",
    "ドル": "USD", "دولار": "USD", "dolar": "USD", "dolarů": "USD", "dolarów": "USD",
    "£": "GBP", "¥": "JPY", "円": "JPY", "元": "CNY", "人民币": "CNY", "yuan": "CNY",
    "₽": "RUB", "руб.": "RUB", "руб": "RUB", "рублей": "RUB", "рубля": "RUB",
    "₴": "UAH", "грн": "UAH", "грн.": "UAH", "гривень": "UAH", "гривні": "UAH",
    "zł": "PLN", "złotych": "PLN", "pln": "PLN", "kč": "CZK", "korun": "CZK", "czk": "CZK",
    "₺": "TRY", "tl": "TRY", "lira": "TRY", "r$": "BRL", "reais": "BRL", "chf": "CHF",
    "franken": "CHF",
}  # fmt: skip
_PERCENT_WORDS = (
    "%", "％", "٪", "prozent", "pour cent", "por ciento", "per cento", "por cento", "procent",
    "procento", "procenta", "proc.", "процента", "процентов", "процент", "відсотків", "відсотка",
)  # fmt: skip
_PERCENT_BEFORE = ("%", "yüzde", "٪")


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# A number: digits with groups (dots, commas, spaces, thin and no-break spaces, apostrophes)
# and a decimal part; Arabic-Indic digits and full-width digits read as digits.
_DIGIT = r"[0-9٠-٩０-９]"
_NUMBER = rf"{_DIGIT}+(?:[.,'’\u00a0\u202f\u2009 ٬]{_DIGIT}{{3}})*(?:[.,٫]{_DIGIT}+)?"
# Scale or currency words end at a letter boundary; CJK signs need none ("12亿元", "500万人").
_END = r"(?:(?<=[\u3040-\u9fff])|(?![^\W\d_]))"
_FIGURE = re.compile(
    rf"(?P<before>{_alternation([*_PERCENT_BEFORE, '€', '$', '£', '¥', '₽', '₴', '₺', 'R$', 'US$'])})?\s?"
    rf"(?P<number>{_NUMBER})"
    rf"(?:\s?(?P<scale>{_alternation(list(_SCALES))}){_END})?"
    rf"(?:\s?(?:de |d'|di |)(?P<after>{_alternation(list(_CURRENCIES) + list(_PERCENT_WORDS))}){_END})?",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_WEIGHT = {"money": 3.0, "percent": 2.5, "count": 1.5}


@dataclass(frozen=True, slots=True)
class ForeignFigure:
    """A figure as written, its normalised value, unit, kind and where it starts."""

    text: str
    value: float
    unit: str | None
    kind: str
    start: int


def parse_number(written: str, profile: LanguageProfile) -> float | None:
    """The value of a number in ``profile``'s format: "1.234,5" is 1234.5 in German."""
    digits = "".join(
        str(unicodedata.digit(c)) if unicodedata.digit(c, None) is not None else c for c in written
    )
    digits = digits.replace("٫", ".").replace("٬", "")
    for space in (" ", "\u00a0", "\u202f", "\u2009", "'", "’"):
        digits = digits.replace(space, "")
    group, decimal = (".", ",") if profile.decimal == "," else (",", ".")
    if "," in digits and "." in digits:
        # Both marks: the last is the decimal, whatever the language ("1.234,5", "1,234.5").
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
        group = "." if decimal == "," else ","
    elif group in digits:
        # A group has three digits: "1.234" in German is a thousand and more, but "1.5" can
        # only be a decimal point, as an English-style figure in a German text sometimes is.
        if not all(len(part) == 3 for part in digits.split(group)[1:]):
            group, decimal = decimal, group
    elif digits.count(decimal) > 1:
        group, decimal = decimal, group  # "1,234,567" where the comma is the decimal mark
    digits = digits.replace(group, "").replace(decimal, ".")
    try:
        return float(digits)
    except ValueError:
        return None


def find_figures(text: str, profile: LanguageProfile) -> list[ForeignFigure]:
    """Every money amount, percentage and scaled count in ``text``, in order."""
    found: list[ForeignFigure] = []
    for match in _FIGURE.finditer(text):
        value = parse_number(match["number"], profile)
        if value is None:
            continue
        before = (match["before"] or "").lower()
        after = (match["after"] or "").lower()
        scale = _SCALES.get((match["scale"] or "").lower(), 1.0)
        unit: str | None
        if before in _PERCENT_BEFORE or after in _PERCENT_WORDS:
            kind, unit = "percent", "%"
        elif before in _CURRENCIES or after in _CURRENCIES:
            kind, unit = "money", _CURRENCIES.get(before) or _CURRENCIES[after]
        elif match["scale"] or (value >= 1000 and not _YEAR.match(match["number"])):
            kind, unit = "count", None
        else:
            continue  # dates, years, ordinals, small numbers: not key figures
        start = match.start("before") if match["before"] else match.start("number")
        written = text[start : match.end()].strip()
        found.append(ForeignFigure(written, value * scale, unit, kind, start))
    return found


def rank_foreign_figures(
    text: str,
    profile: LanguageProfile,
    sentence_spans: Sequence[tuple[int, int]],
    summary_indices: Sequence[int],
    limit: int,
) -> list[ForeignFigure]:
    """The ``limit`` key figures: those the summary states first, money before percentages."""
    in_summary = [sentence_spans[i] for i in summary_indices]
    scored = []
    seen: set[tuple[float, str | None]] = set()
    for figure in find_figures(text, profile):
        if (figure.value, figure.unit) in seen:
            continue
        seen.add((figure.value, figure.unit))
        summary = any(a <= figure.start < b for a, b in in_summary)
        score = _WEIGHT[figure.kind] + (3.0 if summary else 0.0) - figure.start / max(len(text), 1)
        scored.append((score, figure))
    scored.sort(key=lambda pair: -pair[0])
    return [figure for _score, figure in scored[:limit]]
