"""Match every chat's alert rules against an article in one Aho-Corasick pass over its text.

The index holds one automaton over all distinct terms, each stored as ``" term "`` so that hits
fall on word boundaries of the normalised text. The automaton is ahocorasick-rs (the Rust
``aho-corasick`` crate that ripgrep uses): its contiguous NFA scanned the benchmark's articles
against 80,000 terms in about three quarters of pyahocorasick's time (109 against 142 µs an
article), and no slower against 2,000. Matching an article collects the terms present,
then looks only at what is filed under one of those terms: a rule whose terms are all absent
costs nothing, so time per article follows the article's length and the number of rules it
matches, not the number of rules (see tests/benchmarks/bench_alert_matching.py).

What is filed under a term is packed into ``bytes`` of 32-bit integers. With 100,000 rules the
index is far larger than the processor's caches, and every Python object touched per article is
a likely cache miss: three bytes objects per present term, instead of a tuple and int objects
per posting, keep that to a few misses per present term, and the per-article work runs in C
(``bytes.join``, ``set``, ``map``, ``compress``) rather than in a Python loop per posting.
"""

from __future__ import annotations

import logging
from array import array
from collections.abc import Iterable
from itertools import compress
from operator import itemgetter
from typing import TypeAlias

import ahocorasick_rs

from jobs.alert_query import AlertQuery, AlertQueryError, parse_alert_query, searchable_text

logger = logging.getLogger(__name__)

RuleId: TypeAlias = int
ChatId: TypeAlias = int

# Stored queries were validated when added; this only guards against a limit lowered since.
_STORED_QUERY_MAX_CHARS = 10_000

# Rule positions, term ids and clause numbers are packed as unsigned 32-bit integers.
_PACKED = "I"

# Filed under one term, each as packed integers:
# - single: (chat id, rule id) pairs, 64-bit, of rules that are this term and nothing else (the
#   common case): a hit on the term is their result as it stands, with no look-up per rule;
# - direct: positions of the other rules with a clause of this term alone;
# - conjunctions: (second term, clause number) pairs of the longer clauses anchored on this
#   term, so that a clause is only looked at when its first two terms are both present;
# - excluding: positions of rules that exclude this term.
_Postings: TypeAlias = tuple[bytes, bytes, bytes, bytes]
_single = itemgetter(0)
_direct = itemgetter(1)
_conjunctions = itemgetter(2)
_excluding = itemgetter(3)
# A hit is (pattern index, start, end); the pattern index is the term id.
_term_of_hit = itemgetter(0)


def _unpack(packed: bytes) -> array[int]:
    return array(_PACKED, packed)


class AlertIndex:
    """All chats' alert rules, compiled for one-pass matching; immutable once built."""

    def __init__(
        self,
        automaton: ahocorasick_rs.AhoCorasick | None,
        postings: list[_Postings],
        chats: array[int],
        rule_ids: array[int],
        clauses: list[tuple[tuple[int, ...], int]],
    ) -> None:
        # Use AlertIndex.build; this only stores what it computed.
        self._automaton = automaton
        self._postings = postings  # by term id
        self._chats = chats
        self._rule_ids = rule_ids
        # Per clause number: its terms beyond the first two, and its rule's position.
        self._clauses = clauses

    @classmethod
    def build(cls, rules: Iterable[tuple[RuleId, ChatId, AlertQuery]]) -> AlertIndex:
        """Compile ``(rule id, chat id, query)`` triples into an index.

        Chat and rule ids must fit in 64 bits (Telegram's and the database's do).
        """
        term_ids: dict[str, int] = {}
        chats: array[int] = array("q")
        rule_ids: array[int] = array("q")
        clauses: list[tuple[tuple[int, ...], int]] = []
        single: dict[int, array[int]] = {}
        direct: dict[int, array[int]] = {}
        conjunctions: dict[int, array[int]] = {}
        excluding: dict[int, array[int]] = {}

        def term_id(term: str) -> int:
            return term_ids.setdefault(term, len(term_ids))

        def file_under(
            postings: dict[int, array[int]], term: str, *values: int, code: str = _PACKED
        ) -> None:
            postings.setdefault(term_id(term), array(code)).extend(values)

        for position, (rule_id, chat_id, query) in enumerate(rules):
            chats.append(chat_id)
            rule_ids.append(rule_id)
            if not query.excluded and len(query.clauses) == 1 and len(query.clauses[0]) == 1:
                file_under(single, query.clauses[0][0], chat_id, rule_id, code="q")
                continue
            for term in query.excluded:
                file_under(excluding, term, position)
            for clause in query.clauses:
                # The longest terms are the likeliest to be rare in articles (short words are
                # the common ones), which keeps the clauses looked at in vain few.
                anchor, *others = sorted(clause, key=len, reverse=True)
                if not others:
                    file_under(direct, anchor, position)
                    continue
                second, *rest = others
                file_under(conjunctions, anchor, term_id(second), len(clauses))
                clauses.append((tuple(map(term_id, rest)), position))

        automaton: ahocorasick_rs.AhoCorasick | None = None
        if term_ids:
            # Term ids count up from 0 in insertion order, so pattern index = term id. A
            # contiguous NFA rather than a DFA: at 80,000 terms it built in a third of the DFA's
            # time and scanned faster (109 against 193 µs an article).
            automaton = ahocorasick_rs.AhoCorasick(
                [f" {term} " for term in term_ids],
                matchkind=ahocorasick_rs.MatchKind.Standard,
                store_patterns=False,
                implementation=ahocorasick_rs.Implementation.ContiguousNFA,
            )
        empty = array(_PACKED)
        postings = [
            (
                single.get(ident, empty).tobytes(),
                direct.get(ident, empty).tobytes(),
                conjunctions.get(ident, empty).tobytes(),
                excluding.get(ident, empty).tobytes(),
            )
            for ident in range(len(term_ids))
        ]
        logger.info("alert index: %d rules, %d distinct terms", len(chats), len(term_ids))
        return cls(automaton, postings, chats, rule_ids, clauses)

    @classmethod
    def from_stored(
        cls, rules: Iterable[tuple[RuleId, ChatId, str]], *, kind: str = "alert rule"
    ) -> AlertIndex:
        """Parse stored canonical queries and build the index (alert rules, or /mute rules).

        A query that no longer parses is left out with a warning rather than stopping every
        other chat's matching.
        """
        parsed: list[tuple[RuleId, ChatId, AlertQuery]] = []
        for rule_id, chat_id, query in rules:
            try:
                parsed.append(
                    (rule_id, chat_id, parse_alert_query(query, max_chars=_STORED_QUERY_MAX_CHARS))
                )
            except AlertQueryError as exc:
                logger.warning("%s %s (%r) no longer parses: %s", kind, rule_id, query, exc)
        return cls.build(parsed)

    def __len__(self) -> int:
        return len(self._chats)

    def match(self, title: str, text: str) -> dict[ChatId, list[RuleId]]:
        """Return, per chat with at least one matching rule, the ids of its matching rules."""
        return self.match_searchable(searchable_text(title, text))

    def match_searchable(self, searchable: str) -> dict[ChatId, list[RuleId]]:
        """Like :meth:`match`, for an article already in :func:`searchable_text` form."""
        if self._automaton is None:
            return {}
        # Overlapping: " new york " and " york times " share a space.
        hits = self._automaton.find_matches_as_indexes(searchable, overlapping=True)
        present = set(map(_term_of_hit, hits))
        postings = list(map(self._postings.__getitem__, present))
        # A set: a rule whose several OR clauses match is reported once.
        positions = set(_unpack(b"".join(map(_direct, postings))))
        pairs = _unpack(b"".join(map(_conjunctions, postings)))
        for clause in compress(pairs[1::2], map(present.__contains__, pairs[0::2])):
            rest, position = self._clauses[clause]
            if all(map(present.__contains__, rest)):
                positions.add(position)
        positions.difference_update(_unpack(b"".join(map(_excluding, postings))))

        singles = array("q", b"".join(map(_single, postings)))
        chats = [*singles[0::2], *map(self._chats.__getitem__, positions)]
        rule_ids = [*singles[1::2], *map(self._rule_ids.__getitem__, positions)]
        matched: dict[ChatId, list[RuleId]] = {}
        several: list[list[RuleId]] = []
        for chat_id, rule_id in zip(chats, rule_ids, strict=True):
            chat_rules = matched.get(chat_id)
            if chat_rules is None:
                matched[chat_id] = [rule_id]
            else:
                chat_rules.append(rule_id)
                several.append(chat_rules)
        for chat_rules in several:
            chat_rules.sort()  # hits come in term order; a chat reads its rules in id order
        return matched
