"""Match every chat's alert rules against an article in one Aho-Corasick pass over its text.

The index holds one automaton over all distinct terms, each stored as ``" term "`` so that hits
fall on word boundaries of the normalised text. Matching an article collects the set of terms
present, then looks only at clauses filed under one of those terms: a rule whose terms are all
absent costs nothing, so time per article follows the article and its matches, not the number of
rules.
"""

from __future__ import annotations

import logging
from array import array
from collections.abc import Iterable
from itertools import chain
from operator import itemgetter
from typing import TypeAlias

import ahocorasick

from jobs.alert_query import AlertQuery, searchable_text

logger = logging.getLogger(__name__)

RuleId: TypeAlias = int
ChatId: TypeAlias = int

_term_id_of_hit = itemgetter(1)


class AlertIndex:
    """All chats' alert rules, compiled for one-pass matching; immutable once built."""

    def __init__(
        self,
        automaton: ahocorasick.Automaton | None,
        rule_ids: array[int],
        chat_ids: array[int],
        direct: dict[int, tuple[int, ...]],
        checked: dict[int, tuple[tuple[frozenset[int], frozenset[int], int], ...]],
    ) -> None:
        # Use AlertIndex.build; this only stores what it computed. Rules are known by their
        # position; ids live in compact arrays because at 100,000 rules, memory locality is
        # what a match spends its time on.
        self._automaton = automaton
        self._rule_ids = rule_ids
        self._chat_ids = chat_ids
        self._direct = direct
        self._checked = checked

    @classmethod
    def build(cls, rules: Iterable[tuple[RuleId, ChatId, AlertQuery]]) -> AlertIndex:
        """Compile ``(rule id, chat id, query)`` triples into an index."""
        term_ids: dict[str, int] = {}
        rule_ids, chat_ids = array("q"), array("q")
        # Per anchor term: rules that match as soon as it is present (a one-term clause and no
        # exclusions, the common case), and clauses that need their other terms and the rule's
        # exclusions checked.
        direct: dict[int, list[int]] = {}
        checked: dict[int, list[tuple[frozenset[int], frozenset[int], int]]] = {}

        def term_id(term: str) -> int:
            return term_ids.setdefault(term, len(term_ids))

        for rule_index, (rule_id, chat_id, query) in enumerate(rules):
            rule_ids.append(rule_id)
            chat_ids.append(chat_id)
            excluded = frozenset(map(term_id, query.excluded))
            for clause in query.clauses:
                # Each clause is filed under one term only. The longest term is the likeliest to
                # be rare in articles (short words are the common ones), which keeps the clauses
                # checked in vain few.
                anchor = max(clause, key=len)
                rest = frozenset(term_id(term) for term in clause if term != anchor)
                if rest or excluded:
                    entry = (rest, excluded, rule_index)
                    checked.setdefault(term_id(anchor), []).append(entry)
                else:
                    direct.setdefault(term_id(anchor), []).append(rule_index)

        automaton: ahocorasick.Automaton | None = None
        if term_ids:
            automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
            for term, ident in term_ids.items():
                automaton.add_word(f" {term} ", ident)
            automaton.make_automaton()
        logger.info("alert index: %d rules, %d distinct terms", len(rule_ids), len(term_ids))
        return cls(
            automaton,
            rule_ids,
            chat_ids,
            {term: tuple(found) for term, found in direct.items()},
            {term: tuple(found) for term, found in checked.items()},
        )

    def __len__(self) -> int:
        return len(self._rule_ids)

    def match(self, title: str, text: str) -> dict[ChatId, list[RuleId]]:
        """Return, per chat with at least one matching rule, the ids of its matching rules."""
        return self.match_searchable(searchable_text(title, text))

    def match_searchable(self, searchable: str) -> dict[ChatId, list[RuleId]]:
        """Like :meth:`match`, for an article already in :func:`searchable_text` form."""
        if self._automaton is None:
            return {}
        present = set(map(_term_id_of_hit, self._automaton.iter(searchable)))
        # A set: a rule whose several OR clauses match is reported once.
        hits = set(chain.from_iterable(filter(None, map(self._direct.get, present))))
        for entries in filter(None, map(self._checked.get, present)):
            for rest, excluded, rule_index in entries:
                if rest <= present and excluded.isdisjoint(present):
                    hits.add(rule_index)

        matched: dict[ChatId, list[RuleId]] = {}
        for rule_index in sorted(hits):
            matched.setdefault(self._chat_ids[rule_index], []).append(self._rule_ids[rule_index])
        return matched
