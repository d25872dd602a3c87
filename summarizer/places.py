"""Country names and nationality adjectives: ISO 3166 from pycountry, plus the everyday forms it lacks.

The NER model calls a country a person or a company often enough ("Ecuador's" as ORG) and a
nationality a place; a country is a place whatever it says. pycountry holds the ISO names
("Russian Federation", "Viet Nam", "Korea, Republic of") but no short everyday names ("Russia")
and no demonyms, which are mostly regular ("Ecuador" -> "Ecuadorian") and listed here where not.
"""

from __future__ import annotations

import functools
import re

import pycountry

# Everyday names and abbreviations that pycountry's name, common_name and official_name lack.
_EVERYDAY_NAMES = {
    "Russia": "RU", "Britain": "GB", "Great Britain": "GB", "UK": "GB", "U.K.": "GB",
    "US": "US", "U.S.": "US", "USA": "US", "U.S.A.": "US", "America": "US", "Turkey": "TR",
    "Ivory Coast": "CI", "Brunei": "BN", "Macedonia": "MK", "Swaziland": "SZ", "Cape Verde": "CV",
    "Burma": "MM", "East Timor": "TL", "Holland": "NL", "Vatican": "VA", "Vatican City": "VA",
    "Bosnia": "BA", "DR Congo": "CD", "DRC": "CD", "Democratic Republic of Congo": "CD",
    "Republic of Congo": "CG", "UAE": "AE", "Czech Republic": "CZ",
}  # fmt: skip
# Demonyms the suffix rules below do not derive from the name.
_IRREGULAR_DEMONYMS = {
    "American": "US", "British": "GB", "French": "FR", "Dutch": "NL", "Swiss": "CH",
    "Greek": "GR", "Irish": "IE", "Danish": "DK", "Swedish": "SE", "Finnish": "FI",
    "Polish": "PL", "Norwegian": "NO", "Portuguese": "PT", "Peruvian": "PE", "Filipino": "PH",
    "Thai": "TH", "Burmese": "MM", "Saudi": "SA", "Emirati": "AE", "Argentine": "AR",
    "Argentinian": "AR", "Belgian": "BE", "Czech": "CZ", "Slovak": "SK", "Croat": "HR",
    "Serb": "RS", "Slovene": "SI", "Turkish": "TR", "Icelandic": "IS", "Lebanese": "LB",
    "Cypriot": "CY", "Maldivian": "MV", "Malagasy": "MG", "Kazakh": "KZ", "Uzbek": "UZ",
    "Kyrgyz": "KG", "Tajik": "TJ", "Turkmen": "TM", "Afghan": "AF", "Bahamian": "BS",
    "Nigerian": "NG", "Dominican": "DO", "Mozambican": "MZ", "Montenegrin": "ME",
    "Laotian": "LA", "Ivorian": "CI", "Honduran": "HN", "Salvadoran": "SV",
    "Panamanian": "PA", "Spanish": "ES", "German": "DE", "Somali": "SO",
}  # fmt: skip
# "Ecuador" + "ian", "Kenya" + "n", "Iraq" + "i", "New Zealand" + "er"; a final vowel or y may go
# first: "Chin(a)" + "ese", "Ital(y)" + "ian", "Mexic(o)" + "an".
_SUFFIXES = ("n", "an", "ian", "ese", "i", "ish", "er")
_STEM_SUFFIXES = ("an", "ian", "ese")
_DROPPED_ENDINGS = re.compile(r"[aeiouy]$")
_BRACKETED = re.compile(r"\s*\([^)]*\)")


def _names(country: object) -> set[str]:
    names = {getattr(country, "name", "")}
    for attribute in ("common_name", "official_name"):
        names.add(getattr(country, attribute, None) or "")
    # "Bolivia, Plurinational State of" is also "Bolivia"; "Cocos (Keeling) Islands" "Cocos Islands".
    names |= {n.split(",")[0] for n in names} | {_BRACKETED.sub("", n) for n in names}
    return {n.removeprefix("the ") for n in names if n}


@functools.cache
def _country_names() -> dict[str, str]:
    """Map each casefolded country name to its ISO code; a name two countries share maps to none."""
    codes: dict[str, set[str]] = {}
    for country in pycountry.countries:
        for name in _names(country):
            codes.setdefault(name.casefold(), set()).add(country.alpha_2)
    unique = {name: next(iter(c)) for name, c in codes.items() if len(c) == 1}
    return unique | {name.casefold(): code for name, code in _EVERYDAY_NAMES.items()}


def demonym_forms(place: str) -> set[str]:
    """Return the regular adjectives of a place name ("Africa" -> "African", ...), as candidates."""
    forms = {place + suffix for suffix in _SUFFIXES}
    if _DROPPED_ENDINGS.search(place):
        forms |= {place[:-1] + suffix for suffix in _STEM_SUFFIXES}
    return forms - {place}


@functools.cache
def _demonyms() -> dict[str, str]:
    names = _country_names()
    codes: dict[str, set[str]] = {}
    for name, code in names.items():
        for form in demonym_forms(name):
            codes.setdefault(form, set()).add(code)
    # A candidate that is a country's own name, or that two countries derive, is no demonym.
    derived = {f: next(iter(c)) for f, c in codes.items() if len(c) == 1 and f not in names}
    return derived | {name.casefold(): code for name, code in _IRREGULAR_DEMONYMS.items()}


def _looks_like_a_name(text: str) -> bool:
    return bool(text) and text[0].isupper()


def country_code(name: str) -> str | None:
    """Return the ISO 3166 code of the country ``name`` names ("Russia", "U.S.", "Viet Nam")."""
    if not _looks_like_a_name(name):
        return None
    return _country_names().get(name.casefold())


def demonym_country(word: str) -> str | None:
    """Return the ISO code of the country whose people ``word`` names ("Chinese" -> "CN")."""
    if not _looks_like_a_name(word):
        return None
    return _demonyms().get(word.casefold())
