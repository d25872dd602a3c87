"""What a figure measures: a short noun phrase read off the dependency parse of its sentence.

A phrase is built from a noun and its left modifiers only (compounds, adjectives, possessors),
so it cannot run on into a clause; where the parse names no noun the figure gets no label,
which reads better under a story than a fragment of the sentence.
"""

from __future__ import annotations

from typing import Any

_NOUNS = frozenset({"NOUN", "PROPN"})
_VERBS = frozenset({"VERB", "AUX"})
_MODIFIERS = frozenset({"compound", "amod", "poss", "nmod", "case"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
# Nouns that only stand for the thing after "of": "the number of 4G connections".
_VESSELS = frozenset({"number", "total", "amount", "level", "average"})
# Nouns a figure can modify that are its unit or time, not what it measures.
_NOT_LABELS = frozenset((
    "percent", "cent", "%", "year", "years", "month", "months", "week", "weeks", "day", "days",
    "hour", "hours", "time", "times", "one", "lot", "half", "quarter",
))  # fmt: skip
MAX_LABEL_WORDS = 5
_CLIMB_LIMIT = 5


# What a sum is spent on or set aside for: "spend £850m on a new terminal", "set aside £1.4bn
# for loans" (the preposition right after the sum). After "in" only what money is counted in
# ("$3bn in sales", "€50m in emergency aid"): "£5m in cash", "£20m in the summer", "£2m in the
# bank" say how, when or where.
_PURPOSES = frozenset({"on", "for"})
_COUNTED_IN = frozenset((
    "sales", "revenue", "revenues", "profit", "profits", "earnings", "fees", "fines", "damages",
    "aid", "funding", "costs", "claims", "compensation", "investment", "loans", "grants",
    "subsidies", "bonuses", "payments", "taxes", "savings", "spending", "donations", "debt",
    "debts", "bills", "rent", "wages", "benefits", "losses", "refunds", "contracts", "orders",
    "money",
))  # fmt: skip
# Verbs whose "in" says where the money goes: "invest $12bn in two battery plants" (by their
# start: the pipeline runs without its lemmatizer).
_PUT_IN = ("invest", "pour", "plough", "sink", "sank", "sunk", "inject")
# Times of day and the like, which "on" and "for" also take: "traded at $84.10 on Wednesday
# morning", "for the weekend".
_WHEN = frozenset(("morning", "afternoon", "evening", "night", "weekend", "basis", "occasion"))


def label_from_parse(doc: Any, start: int, end: int, *, money: bool = False) -> str | None:
    """Name what the figure at characters [start, end) of the parsed sentence ``doc`` measures.

    ``money``: a sum, which can be named by what it is spent on.
    """
    tokens = [t for t in doc if t.idx < end and t.idx + len(t.text) > start]
    if not tokens:
        return None
    inside = {t.i for t in tokens}
    if _is_fact_box(doc):
        return _fact_box_label(doc, tokens[0].i)
    root = next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), tokens[-1])
    owned = _of_phrase(root, inside)
    if owned is not None:
        return owned  # "25 percent of their costs", "12,000 hectares of forest"
    token = root
    for _ in range(_CLIMB_LIMIT):
        head = token.head
        if head.i == token.i:
            return None
        if head.pos_ in _NOUNS and token.dep_ in ("nummod", "quantmod", "compound", "amod"):
            return _phrase(head, inside)  # the counted noun: "7,000 patents"
        if head.pos_ in _VERBS:
            if token.dep_ in _SUBJECTS:
                return None  # the figure is the subject; what it measures is inside it
            if (token.dep_ == "prep" and token.lower_ in ("by", "to", "at")) or (
                token.lower_ in ("up", "down")
            ):
                # "raises their output by 5 percent", "raised hourly pay to £12.45", "put the
                # fatality rate at 3.6 per cent", "reported a profit of £412m, up 14%": what
                # changed is the object, not the subject.
                changed = next((c for c in head.children if c.dep_ == "dobj"), None)
                label = _phrase(changed, inside) if _names_a_measure(changed) else None
                if label is not None:
                    return label
            if money and (purpose := _spent_on(doc, inside, head)) is not None:
                return purpose
            return _subject_of(head, inside)  # "profit rose to $204m", "prices rose 2.6 percent"
        if head.pos_ in _NOUNS and token.dep_ != "pobj":
            if head.lower_ in _VESSELS and _of_phrase(head, inside) is None:
                token = head  # "took an average of 36 minutes": what took it, not "average"
                continue
            if token.dep_ in ("prep", "npadvmod", "amod"):
                return _phrase(head, inside)  # "a contract worth £300,000", "gusts of 140 km/h"
            return None  # an apposition or a list: no noun of its own
        # Through prepositions, adjectives and adverbs ("rose to $204m", "2 percent lower") to
        # the verb or noun they hang from.
        token = head
    return None


def _subject_of(verb: Any, inside: set[int]) -> str | None:
    for _ in range(_CLIMB_LIMIT):
        subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
        if subject is not None and subject.tag_ == "WDT" and verb.dep_ == "relcl":
            return _phrase(verb.head, inside)  # "a plan that will cost $18m": the plan
        if subject is not None:
            if subject.pos_ not in _NOUNS and subject.tag_ != "VBG":
                return None  # "it", "they": the parse cannot say what they stand for
            return _phrase(subject, inside)
        if verb.dep_ not in ("conj", "xcomp", "advcl") or verb.head.i == verb.i:
            return None
        verb = verb.head  # "... and built 1,400 masts": the subject of the first verb
    return None


def _of_phrase(token: Any, inside: set[int]) -> str | None:
    """The noun after "of" when the figure's own noun is a unit or share of it."""
    if token.pos_ not in _NOUNS or (token.i not in inside and token.lower_ not in _VESSELS):
        return None
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = [c for c in child.children if c.dep_ == "pobj" and c.pos_ in _NOUNS]
            if objects and objects[0].i not in inside:
                return _phrase(objects[0], inside)
    return None


# Objects that say when or how high, not what: "hit a record", "closed the session up 3%",
# "posted its best week", "touched a two-month low".
_NOT_MEASURES = frozenset(("record", "high", "low", "peak", "session", "best", "level"))


def _names_a_measure(noun: Any) -> bool:
    """Whether a verb's object can name what a figure beside it measures: a common or proper
    noun holding no number ("Turnover hit £5bn, up 8%": not "£5bn") and no time or record."""
    if noun is None or noun.pos_ not in _NOUNS:
        return False
    # The noun and what stands before it: "a pre-tax profit of £212m" names the profit.
    head_part = [t for t in noun.subtree if t.i <= noun.i]
    words = {t.lower_ for t in head_part}
    if words & (_NOT_MEASURES | _NOT_LABELS):
        return False
    return not any(t.like_num or t.tag_ == "$" for t in head_part)


def _spent_on(doc: Any, inside: set[int], verb: Any) -> str | None:
    """The common noun after "on" or "for" right after a sum, or after "in" what money is counted
    in: what the sum pays for or is made of."""
    after = max(inside) + 1
    if after >= len(doc) or doc[after].dep_ != "prep":
        return None
    preposition = doc[after].lower_
    thing = next((c for c in doc[after].children if c.dep_ == "pobj"), None)
    # Not a name or a time ("on Tuesday", "for the first time") nor "in total".
    if thing is None or thing.pos_ != "NOUN" or thing.lower_ in _NOT_LABELS | _VESSELS | _WHEN:
        return None
    # "money" alone says nothing ("₦2.5bn in money"); "prize money" does.
    bare = thing.lower_ == "money" and not any(c.dep_ in ("amod", "compound") for c in thing.lefts)
    counted_in = (thing.lower_ in _COUNTED_IN and not bare) or verb.lower_.startswith(_PUT_IN)
    if preposition not in _PURPOSES and not (preposition == "in" and counted_in):
        return None
    return _phrase(thing, inside)


def _phrase(noun: Any, inside: set[int]) -> str | None:
    """The noun with its compounds, adjectives and possessors; pronouns, numbers and the figure
    itself ("up to 30 percent tariffs") left out."""
    if noun.lower_ in _VESSELS:
        owned = _of_phrase(noun, inside)
        if owned is not None:
            return owned
    # "time" alone is no label, "journey time" is.
    named = any(child.dep_ == "compound" for child in noun.lefts)
    if (noun.lower_ in _NOT_LABELS and not named) or noun.like_num:
        return None
    words: list[Any] = []
    for child in noun.lefts:
        if child.dep_ in _MODIFIERS or (child.like_num and not child.whitespace_):
            words.extend(t for t in child.subtree if _keep(t) and t.i not in inside)
    words.append(noun)
    words.sort(key=lambda t: t.i)
    text = "".join(t.text + t.whitespace_ for t in words).strip()
    if len(text.split()) > MAX_LABEL_WORDS:
        return str(noun.text)
    return text


def _keep(token: Any) -> bool:
    if token.pos_ in ("DET", "PRON", "SYM", "PUNCT", "ADV", "ADP", "CCONJ"):
        return False
    # A number glued to a word is part of a name: the "4" of "4G connections".
    glued = token.like_num and not token.whitespace_
    return glued or (not token.like_num and token.dep_ in _MODIFIERS)


def _is_fact_box(doc: Any) -> bool:
    """A line of label–value pairs ("Age 22 Goals 37"): two numbers or more and no verb."""
    numbers = sum(1 for t in doc if t.like_num)
    return numbers >= 2 and not any(t.pos_ in _VERBS for t in doc)


def _fact_box_label(doc: Any, first: int) -> str | None:
    """In a fact box each label comes just before its number; the words after belong to the next."""
    words: list[str] = []
    for token in reversed(doc[:first]):
        if token.like_num or token.text in ("|", ":", ";", ","):
            if words or token.like_num:
                break
            continue
        words.insert(0, token.text)
    if not words or len(words) > 3:
        return None
    return " ".join(words)
