"""The keyword-alert query language: parsing, canonical form, and the article form it matches.

A query is a disjunction of conjunctions of terms, with exclusions that apply to the whole query::

    climate "carbon tax" OR wildfire -opinion
    == (climate AND "carbon tax") OR wildfire, AND NOT opinion

A term is a word or a quoted phrase. Matching ignores case and accents and works on whole words:
both query and article go through :func:`jobs.normalization.normalize_text`, which reduces them
to lowercase accent-free tokens separated by single spaces, so a term matches where ``" term "``
occurs in the padded article (see :func:`searchable_text`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from itertools import chain

from sumy.utils import get_stop_words

from jobs.i18n import N_, lazy_gettext, lazy_ngettext
from jobs.normalization import normalize_text
from jobs.user_input import UserInputError, quoted

DEFAULT_MAX_TERMS = 20

# Phones turn straight quotes into typographic ones as people type; all of these count as '"'.
_QUOTE_TRANSLATION = str.maketrans(dict.fromkeys("“”„‟«»＂", '"'))
_QUERY_TOKEN = re.compile(r'-?"[^"]*"|[^\s"]+')
# Keeps the title's last words and the text's first words from forming a phrase; the bar never
# survives normalisation, so no term can contain it.
_FIELD_SEPARATOR = " | "


class AlertQueryError(UserInputError):
    """An alert query we cannot accept; the message says what to change."""


def searchable_text(title: str, text: str) -> str:
    """Return the padded, normalised form of an article that ``" term "`` patterns are found in."""
    return f" {normalize_text(title)}{_FIELD_SEPARATOR}{normalize_text(text)} "


@dataclass(frozen=True, slots=True)
class AlertQuery:
    """A parsed alert: any clause whose terms all occur, and none of the excluded terms.

    Terms are normalised strings; a term with a space in it is a phrase. Parsing sorts and
    de-duplicates everything, so equal queries compare equal however they were written.
    """

    clauses: tuple[tuple[str, ...], ...]
    excluded: tuple[str, ...] = ()

    def terms(self) -> frozenset[str]:
        """Every distinct term the query mentions, wanted or excluded."""
        return frozenset(self.excluded).union(*self.clauses)

    def canonical(self) -> str:
        """The query in one standard spelling, for de-duplication, storage and display."""
        positive = " OR ".join(" ".join(map(_format_term, clause)) for clause in self.clauses)
        negative = "".join(f" -{_format_term(term)}" for term in self.excluded)
        return positive + negative

    def matches(self, searchable: str) -> bool:
        """Whether an article in :func:`searchable_text` form matches; the reference semantics."""

        def present(term: str) -> bool:
            return f" {term} " in searchable

        return not any(map(present, self.excluded)) and any(
            all(map(present, clause)) for clause in self.clauses
        )


def _format_term(term: str) -> str:
    # Quoting the word "or" keeps it from reading back as the operator.
    return f'"{term}"' if " " in term or term == "or" else term


def parse_alert_query(
    text: str, *, max_chars: int, max_terms: int = DEFAULT_MAX_TERMS
) -> AlertQuery:
    """Parse what follows ``/alert``; raise :class:`AlertQueryError` with a message for the user."""
    text = text.translate(_QUOTE_TRANSLATION).strip()
    if not text:
        raise AlertQueryError(
            N_('The alert is empty. Example: /alert climate "carbon tax" -opinion')
        )
    if len(text) > max_chars:
        raise AlertQueryError(
            lazy_ngettext(
                "The alert is {count} character long; the limit is {limit}.",
                "The alert is {count} characters long; the limit is {limit}.",
                len(text),
                limit=max_chars,
            )
        )
    if text.count('"') % 2:
        raise AlertQueryError(N_('A quotation mark is not closed: put phrases in "double quotes".'))

    groups: list[list[str]] = [[]]
    excluded: set[str] = set()
    for token in _QUERY_TOKEN.findall(text):
        # Any case: nobody searches for the word "or", and phones capitalise it unasked.
        if token.upper() == "OR":
            groups.append([])
            continue
        negated = token.startswith("-")
        term = normalize_text(token.removeprefix("-"))
        if not term:
            continue  # punctuation alone, or an empty phrase: nothing to look for
        if negated:
            excluded.add(term)
        else:
            groups[-1].append(term)

    if all(not group for group in groups):
        if excluded:
            raise AlertQueryError(
                N_("The alert only excludes words; add at least one word to look for.")
            )
        raise AlertQueryError(N_("The alert has no words to look for."))
    if any(not group for group in groups):
        raise AlertQueryError(N_("OR needs words on both sides, as in: wildfire OR drought"))

    clauses = _minimal_clauses(groups)
    query = AlertQuery(clauses=clauses, excluded=tuple(sorted(excluded)))
    if len(query.terms()) > max_terms:
        raise AlertQueryError(
            lazy_gettext(
                "The alert has {count} different words and phrases; the limit is {limit}.",
                count=len(query.terms()),
                limit=max_terms,
            )
        )
    contradicted = sorted(excluded.intersection(chain.from_iterable(clauses)))
    if contradicted:
        raise AlertQueryError(
            lazy_gettext(
                '"{term}" is both wanted and excluded; remove it from one side.',
                term=contradicted[0],
            )
        )
    return query


def as_written(text: str) -> str:
    """The query as the user wrote it, for showing back: only runs of spaces are made one."""
    return " ".join(text.split())


@functools.cache
def _common_words() -> frozenset[str]:
    # sumy's English stop words (the summarizer's list too), folded as articles are: each is
    # in nearly every English story. English only: a word that is a stop word in another
    # language is often a real one here ("die", "will"), and the stories are mostly English.
    return frozenset(normalize_text(word) for word in get_stop_words("english"))


def _says_nothing(term: str) -> bool:
    """A term found in nearly every story: a stop word, a single letter or digit, or a phrase of
    only those."""
    return all(
        (len(word) == 1 and word.isascii()) or word in _common_words() for word in term.split()
    )


def check_specific(query: AlertQuery, written: str = "") -> None:
    """Refuse a query that would match (or, excluding, drop) nearly every story.

    Checked when a rule is added, not when stored rules are parsed: one added before this
    check keeps working. A word the reader wrote in capitals is an acronym, not a stop word
    ("US", "IT", "WHO"), even where its lower case is one.
    """
    acronyms = {word.lower() for word in re.findall(r"\b[A-Z]{2,}\b", written)}
    for clause in query.clauses:
        if all(_says_nothing(term) and term not in acronyms for term in clause):
            words = " ".join(_format_term(term) for term in clause)
            raise AlertQueryError(
                lazy_gettext(
                    "{words} is in nearly every story, so the alert would fire all "
                    "day. Add a word that names your topic, as in: /alert central bank",
                    words=quoted(words),
                )
            )
    for term in query.excluded:
        if _says_nothing(term):
            raise AlertQueryError(
                lazy_gettext(
                    "Excluding {term} would drop nearly every story; "
                    "exclude a word that names what you do not want, as in: -opinion",
                    term=quoted(term),
                )
            )


def _minimal_clauses(groups: list[list[str]]) -> tuple[tuple[str, ...], ...]:
    """Sort and de-duplicate clauses, dropping any that contains another (it adds no matches)."""
    sets = sorted({frozenset(group) for group in groups}, key=len)
    kept: list[frozenset[str]] = []
    for candidate in sets:
        if not any(smaller <= candidate for smaller in kept):
            kept.append(candidate)
    return tuple(sorted(tuple(sorted(clause)) for clause in kept))


def check_alert_count(existing: int, *, max_rules: int) -> None:
    """Refuse one more alert for a chat that already has ``existing`` of at most ``max_rules``."""
    if existing >= max_rules:
        raise AlertQueryError(
            lazy_ngettext(
                "This chat has {count} alert, the most it can have ({limit}); "
                "remove one before adding another.",
                "This chat has {count} alerts, the most it can have ({limit}); "
                "remove one before adding another.",
                existing,
                limit=max_rules,
            )
        )
