"""The languages the summarizer reads: ISO 639-1 code, name, and how each is split and counted."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pycountry


@dataclass(frozen=True, slots=True)
class LanguageProfile:
    """How one language is read: sentences, words, numbers and reading speed.

    ``sumy`` names the language for sumy's stemmers and stop-word lists (None: sumy has neither;
    Russian, Dutch and Turkish stop words then come from spaCy's lists, which ship in spaCy);
    ``pysbd`` is the pysbd rule set that splits its sentences (pysbd has no Portuguese, Czech,
    Ukrainian or Turkish rules: the nearest set's abbreviations stand in). ``spaced`` is False for
    Chinese and Japanese, which write no spaces: they are counted in characters, not words.
    ``decimal`` is the decimal mark of its number format ("1.234,5" in German).
    """

    code: str
    sumy: str | None
    pysbd: str
    spaced: bool = True
    decimal: str = "."
    # Reading speed in the unit the language is counted in (words, or characters for CJK).
    per_minute: int = 230
    # Cheap stemming where sumy has no usable stemmer (none for Turkish; Polish needs pystempel,
    # not on our list): the first letters of a word, which for Turkish does as well as a full
    # stemmer in retrieval (Can et al. 2008 found 5-letter truncation best).
    truncate: int | None = None


PROFILES: dict[str, LanguageProfile] = {
    profile.code: profile
    for profile in (
        LanguageProfile("en", "english", "en"),
        LanguageProfile("de", "german", "de", decimal=",", per_minute=200),
        LanguageProfile("fr", "french", "fr", decimal=",", per_minute=210),
        LanguageProfile("es", "spanish", "es", decimal=",", per_minute=220),
        LanguageProfile("it", "italian", "it", decimal=",", per_minute=210),
        LanguageProfile("pt", "portuguese", "es", decimal=",", per_minute=210),
        LanguageProfile("nl", "dutch", "nl", decimal=",", per_minute=210),
        LanguageProfile("pl", "polish", "pl", decimal=",", per_minute=180, truncate=6),
        LanguageProfile("cs", "czech", "sk", decimal=",", per_minute=180),
        LanguageProfile("ru", "russian", "ru", decimal=",", per_minute=180),
        LanguageProfile("uk", "ukrainian", "ru", decimal=",", per_minute=180),
        LanguageProfile("tr", None, "en", decimal=",", per_minute=180, truncate=5),
        # Chinese and Japanese read about 400-500 characters a minute (Trauzettel-Klosinski
        # et al. 2012, IReST): counted in characters.
        LanguageProfile("zh", None, "zh", spaced=False, per_minute=400),
        LanguageProfile("ja", None, "ja", spaced=False, per_minute=450),
        LanguageProfile("ar", "arabic", "ar", decimal="٫", per_minute=140),
    )
}
SUPPORTED: tuple[str, ...] = tuple(PROFILES)


def primary_code(tag: str | None) -> str | None:
    """The ISO 639-1 code of a language tag or name: "de-AT", "de_DE", "German" are all "de"."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    if len(primary) == 2 and primary.isalpha():
        return primary
    if len(primary) == 3 and primary.isalpha():
        found = pycountry.languages.get(alpha_3=primary)
    else:
        try:
            found = pycountry.languages.lookup(tag.strip())
        except LookupError:
            return None
    code = getattr(found, "alpha_2", None) if found is not None else None
    return str(code) if code else None


@functools.cache
def language_name(code: str) -> str:
    """The English name of a language code ("th" is "Thai"), or the code when ISO has none."""
    found = pycountry.languages.get(alpha_2=code)
    return str(found.name) if found is not None else code


def profile_for(code: str) -> LanguageProfile | None:
    """How ``code`` is read, or None when the summarizer does not read it yet."""
    return PROFILES.get(code)
