"""Match every chat's alert rules against an article in one Aho-Corasick pass over its text.

The index holds one automaton over all distinct terms, each stored as ``" term "`` so that hits
fall on word boundaries of the normalised text. Matching an article collects the set of terms
present, then looks only at clauses filed under one of those terms: a rule whose terms are all
absent costs next to nothing, so time per article follows the article's length and the number of
rules it matches, not the number of rules (see tests/benchmarks/bench_alert_matching.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from operator import itemgetter
from typing import TypeAlias

import ahocorasick

from jobs.alert_query import AlertQuery, searchable_text

logger = logging.getLogger(__name__)

RuleId: TypeAlias = int
ChatId: TypeAlias = int

_term_id_of_hit = itemgetter(1)

# A clause to check when its anchor term is present: its other terms, its rule's exclusions, and
# the rule's position. Tuples of ints rather than frozensets: CPython stops tracking such tuples
# in its cyclic garbage collector, so 100,000 rules do not slow down every full collection.
_Checked: TypeAlias = tuple[tuple[int, ...], tuple[int, ...], int]


class AlertIndex:
    """All chats' alert rules, compiled for one-pass matching; immutable once built."""

    def __init__(
        self,
        automaton: ahocorasick.Automaton | None,
        rules: list[tuple[ChatId, RuleId]],
        postings: dict[int, tuple[tuple[int, ...], tuple[_Checked, ...]]],
    ) -> None:
        # Use AlertIndex.build; this only stores what it computed.
        self._automaton = automaton
        self._rules = rules
        self._postings = postings

    @classmethod
    def build(cls, rules: Iterable[tuple[RuleId, ChatId, AlertQuery]]) -> AlertIndex:
        """Compile ``(rule id, chat id, query)`` triples into an index."""
        term_ids: dict[str, int] = {}
        compiled: list[tuple[ChatId, RuleId]] = []
        # Per anchor term: the positions of rules that match as soon as it is present (a
        # one-term clause and no exclusions, the common case), and the clauses to check.
        direct: dict[int, list[int]] = {}
        checked: dict[int, list[_Checked]] = {}

        def term_id(term: str) -> int:
            return term_ids.setdefault(term, len(term_ids))

        for position, (rule_id, chat_id, query) in enumerate(rules):
            compiled.append((chat_id, rule_id))
            excluded = tuple(map(term_id, query.excluded))
            for clause in query.clauses:
                # Each clause is filed under one term only. The longest term is the likeliest to
                # be rare in articles (short words are the common ones), which keeps the clauses
                # checked in vain few.
                anchor = max(clause, key=len)
                rest = tuple(term_id(term) for term in clause if term != anchor)
                if rest or excluded:
                    checked.setdefault(term_id(anchor), []).append((rest, excluded, position))
                else:
                    direct.setdefault(term_id(anchor), []).append(position)

        automaton: ahocorasick.Automaton | None = None
        if term_ids:
            automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
            for term, ident in term_ids.items():
                automaton.add_word(f" {term} ", ident)
            automaton.make_automaton()
        logger.info("alert index: %d rules, %d distinct terms", len(compiled), len(term_ids))
        # One lookup per present term gets both kinds of postings.
        postings = {
            term: (tuple(direct.get(term, ())), tuple(checked.get(term, ())))
            for term in direct.keys() | checked.keys()
        }
        return cls(automaton, compiled, postings)

    def __len__(self) -> int:
        return len(self._rules)

    def match(self, title: str, text: str) -> dict[ChatId, list[RuleId]]:
        """Return, per chat with at least one matching rule, the ids of its matching rules."""
        return self.match_searchable(searchable_text(title, text))

    def match_searchable(self, searchable: str) -> dict[ChatId, list[RuleId]]:
        """Like :meth:`match`, for an article already in :func:`searchable_text` form."""
        if self._automaton is None:
            return {}
        present = set(map(_term_id_of_hit, self._automaton.iter(searchable)))
        # A set: a rule whose several OR clauses match is reported once.
        positions: set[int] = set()
        for direct, checked in filter(None, map(self._postings.get, present)):
            positions.update(direct)
            for rest, excluded, position in checked:
                if present.issuperset(rest) and present.isdisjoint(excluded):
                    positions.add(position)

        matched: dict[ChatId, list[RuleId]] = {}
        for chat_id, rule_id in map(self._rules.__getitem__, sorted(positions)):
            matched.setdefault(chat_id, []).append(rule_id)
        return matched
