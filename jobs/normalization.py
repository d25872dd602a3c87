"""Text normalisation for matching words: case, accents and punctuation ignored."""

import unicodedata

# The third-party ``regex`` module is used for its Unicode property classes: ``re`` has no \p{M},
# and its \w treats Devanagari vowel signs (and other spacing marks) as word breaks.
import regex

_NONSPACING_MARKS = regex.compile(r"\p{Mn}+")
# Dotted initialisms lose their dots so that "U.S.", "U.S" and "US" are the same word; otherwise
# "U.S." would become the two one-letter words "u s" and never meet an article writing "US".
_DOTTED_INITIALISM = regex.compile(r"\b\p{L}(?:\.\p{L}\b)+\.?")
_NON_WORD = regex.compile(r"[^\p{L}\p{N}\p{M}]+")


def normalize_text(text: str) -> str:
    """Reduce ``text`` to casefolded, accent-free word tokens joined by single spaces."""
    folded = text.casefold()
    if not folded.isascii():
        folded = _NONSPACING_MARKS.sub("", unicodedata.normalize("NFKD", folded))
    folded = _DOTTED_INITIALISM.sub(lambda m: m.group().replace(".", ""), folded)
    return _NON_WORD.sub(" ", folded).strip()
