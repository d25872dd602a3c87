"""Key entities: spaCy's named entities merged across aliases, voted on kind, ranked by salience."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# spaCy's OntoNotes labels, folded into the kinds a reader cares about; the rest are dropped.
KIND_OF_LABEL = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
    "PRODUCT": "product",
    "EVENT": "event",
}
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_EDGE_JUNK = re.compile(r"^[\W_]+|[\W_]+$")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&.]{1,9}")
_INITIALISM = re.compile(r"(?:[A-Z]\.)+[A-Z]")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_ABBREVIATION = re.compile(r"\s*\(([A-Z][A-Za-z0-9&.]{1,9})\)")
# A company name plus a corporate designator is the same company ("Alibaba" / "Alibaba group").
_DESIGNATORS = frozenset((
    "group", "telecom", "corp", "corporation", "company", "co", "inc", "ltd", "plc", "holdings",
    "technologies", "technology", "bank", "airlines", "international",
))  # fmt: skip
# The small model misses some multi-word names ("the Belt and Road Initiative" is never tagged in
# our seed story); a Title Case phrase that recurs and ends in one of these words is a name of
# that kind.
_EVENT_ENDINGS = (
    "initiative", "programme", "program", "plan", "project", "summit", "forum", "games", "cup",
    "festival", "conference", "war", "treaty", "agreement", "accord", "act",
)  # fmt: skip
_ORGANISATION_ENDINGS = (
    "committee", "council", "ministry", "department", "agency", "association", "union", "party",
    "institute", "university", "commission", "authority", "organisation", "organization", "bank",
    "fund",
)  # fmt: skip
_NAME_ENDINGS = dict.fromkeys(_EVENT_ENDINGS, "event") | dict.fromkeys(
    _ORGANISATION_ENDINGS, "organisation"
)
_TITLE_CASE_PHRASE = re.compile(r"\b[A-Z][\w&'-]*(?:\s+(?:(?:and|of|for|the|&)\s+)?[A-Z][\w&'-]*)+")
# In a wire story the agency is the byline ("told Xinhua", "(Reuters) -"), not the subject.
_WIRE_AGENCIES = frozenset((
    "xinhua", "reuters", "ap", "associated press", "afp", "agence france-presse", "dpa", "upi",
    "efe", "ansa", "kyodo", "tass", "pti", "ians", "press association",
))  # fmt: skip
SPREAD_WEIGHT = 1.0
# Nationality adjectives modify everything ("Chinese companies") and would crowd out subjects.
_KIND_WEIGHT = {"group": 0.5}


@dataclass(frozen=True, slots=True)
class Mention:
    """One entity span as the model found it."""

    text: str
    label: str
    start: int
    end: int


@dataclass(slots=True)
class _Cluster:
    forms: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    first: int = 0

    @property
    def mentions(self) -> int:
        return sum(self.forms.values())

    def absorb(self, other: _Cluster) -> None:
        self.forms.update(other.forms)
        self.kinds.update(other.kinds)
        self.first = min(self.first, other.first)

    def display(self, kind: str, written: Counter[str]) -> str:
        """Pick the name to show: the form the text uses most, a person's full name."""
        # A designator in lower case describes rather than names ("Alibaba", not "Alibaba group").
        # and an acronym defers to its spelled-out name ("International Data Corporation (IDC)").
        plain = [
            f for f in self.forms if f.split()[-1] not in _DESIGNATORS and not _ACRONYM.fullmatch(f)
        ] or list(self.forms)
        if kind == "person":
            # "Marta Reis", however often the story says only "Reis".
            return max(plain, key=lambda f: (len(f.split()), written[f], self.forms[f]))
        # Counted in the text, longest first, so "Lumen Energia's" counts for "Lumen Energia" and
        # a one-off mis-tagged "Iconic Arsenal" loses to "Arsenal".
        return max(plain, key=lambda f: (written[f], self.forms[f], len(f)))


@dataclass(frozen=True, slots=True)
class RankedEntity:
    text: str
    kind: str
    mentions: int
    salience: float


def normalise(text: str) -> str:
    """Return the surface form without possessive, leading "the", edge punctuation."""
    text = " ".join(text.split())
    text = _POSSESSIVE.sub("", text)
    text = _LEADING_THE.sub("", text)
    stripped = _EDGE_JUNK.sub("", text)
    if text.endswith(".") and _INITIALISM.fullmatch(stripped):
        return stripped + "."  # "U.S." keeps its last dot
    return stripped


def _key(text: str) -> str:
    return text.casefold()


def _cluster_mentions(mentions: Iterable[Mention], text: str) -> dict[str, _Cluster]:
    clusters: dict[str, _Cluster] = {}
    aliases: dict[str, str] = {}
    for mention in mentions:
        kind = KIND_OF_LABEL.get(mention.label)
        form = normalise(mention.text)
        if kind is None or len(form) < 2 or not any(c.isalpha() for c in form):
            continue
        key = _key(form)
        cluster = clusters.setdefault(key, _Cluster(first=mention.start))
        cluster.forms[form] += 1
        cluster.kinds[kind] += 1
        # "International Data Corporation (IDC)" declares an alias.
        abbreviation = _ABBREVIATION.match(text, mention.end)
        if abbreviation:
            aliases[_key(abbreviation.group(1))] = key
    for alias, target in aliases.items():
        if alias in clusters and target in clusters and alias != target:
            clusters[target].absorb(clusters.pop(alias))
    return _merge_partial_names(clusters)


def _voted_kind(cluster: _Cluster) -> str:
    return cluster.kinds.most_common(1)[0][0]


def _merge_partial_names(clusters: dict[str, _Cluster]) -> dict[str, _Cluster]:
    """Fold "Lei" into "Lei Jun", "Alibaba" into "Alibaba group", when unambiguous."""
    keys = sorted(clusters, key=lambda k: len(k.split()))
    for short in keys:
        short_tokens = short.split()
        kind = _voted_kind(clusters[short])
        homes = [
            long
            for long in clusters
            if long != short
            and len(long.split()) > len(short_tokens)
            and _voted_kind(clusters[long]) == kind
            and _is_part(short_tokens, long.split(), kind)
        ]
        if not homes:
            homes = [
                long
                for long in clusters
                if long.split()[: len(short_tokens)] == short_tokens
                and len(long.split()) == len(short_tokens) + 1
                and long.split()[-1] in _DESIGNATORS
            ]
        if len(homes) == 1:
            clusters[homes[0]].absorb(clusters.pop(short))
    return clusters


def _recurring_names(text: str, known: Iterable[Mention]) -> list[Mention]:
    """Find recurring Title Case names the model missed, e.g. "Belt and Road Initiative"."""
    taken = {_key(normalise(m.text)) for m in known}
    found: dict[str, list[re.Match[str]]] = {}
    for match in _TITLE_CASE_PHRASE.finditer(text):
        form = normalise(match.group())
        ending = form.split()[-1].lower()
        if ending in _NAME_ENDINGS and _key(form) not in taken:
            found.setdefault(_key(form), []).append(match)
    label_of_kind = {"event": "EVENT", "organisation": "ORG"}
    return [
        Mention(
            m.group(),
            label_of_kind[_NAME_ENDINGS[normalise(m.group()).split()[-1].lower()]],
            m.start(),
            m.end(),
        )
        for matches in found.values()
        if len(matches) > 1
        for m in matches
    ]


@dataclass(slots=True)
class _TextCounts:
    """How often each cluster and each surface form occurs in the text, and in which paragraphs."""

    clusters: Counter[str] = field(default_factory=Counter)
    forms: Counter[str] = field(default_factory=Counter)
    paragraphs: dict[str, set[int]] = field(default_factory=dict)


def _count_in_text(clusters: dict[str, _Cluster], text: str) -> _TextCounts:
    """Count every cluster's forms in the text, longest form first.

    Longest first, so "South Africa" is not also "Africa". One sense per discourse: a name the
    model tagged once is the same name where it missed it.
    """
    owner = {form: key for key, cluster in clusters.items() for form in cluster.forms}
    counts = _TextCounts()
    if not owner:
        return counts
    forms = sorted(owner, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(f) for f in forms) + r")\b")
    breaks = [m.start() for m in re.finditer(r"\n\n", text)]
    for match in pattern.finditer(text):
        key = owner[match.group()]
        counts.clusters[key] += 1
        counts.forms[match.group()] += 1
        counts.paragraphs.setdefault(key, set()).add(bisect.bisect(breaks, match.start()))
    return counts


def _is_part(short: Sequence[str], long: Sequence[str], kind: str) -> bool:
    if list(long[: len(short)]) == list(short):
        return True
    # "Reis" for "Marta Reis", "Energia" for "Lumen Energia"; but "Africa" is not "South Africa".
    return kind in ("person", "organisation") and list(long[-len(short) :]) == list(short)


def rank_entities(
    mentions: Iterable[Mention],
    *,
    text: str,
    title: str | None,
    summary: Sequence[str],
    limit: int,
) -> list[RankedEntity]:
    """Merge mentions into entities; rank by mentions, spread, earliness, title and summary."""
    mentions = list(mentions)
    clusters = _cluster_mentions([*mentions, *_recurring_names(text, mentions)], text)
    length = max(len(text), 1)
    title_key = _key(title or "")
    summary_key = _key(" ".join(summary))
    ranked: list[RankedEntity] = []
    counts = _count_in_text(clusters, text)
    for key, cluster in clusters.items():
        if key in _WIRE_AGENCIES:
            continue
        forms = [_key(f) for f in cluster.forms]
        count = max(cluster.mentions, counts.clusters[key])
        kind = _voted_kind(cluster)
        # A subject of the story recurs across its paragraphs, not only within one.
        spread = len(counts.paragraphs.get(key, ()))
        salience = _KIND_WEIGHT.get(kind, 1.0) * (
            count
            + SPREAD_WEIGHT * spread
            + 2.0 * (1.0 - cluster.first / length)
            + (2.0 if any(f in title_key for f in forms) else 0.0)
            + (1.0 if any(f in summary_key for f in forms) else 0.0)
        )
        ranked.append(
            RankedEntity(cluster.display(kind, counts.forms), kind, count, round(salience, 3))
        )
    ranked.sort(key=lambda e: (-e.salience, e.text))
    return ranked[:limit]
