"""Key entities: spaCy's named entities merged across aliases, voted on kind, ranked by salience."""

from __future__ import annotations

import bisect
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from summarizer.entity_spans import caption_spans, split_at_boundaries
from summarizer.places import country_code, demonym_country, demonym_forms

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
    "WORK_OF_ART": "work",
}
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_EDGE_JUNK = re.compile(r"^[\W_]+|[\W_]+$")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&.]{1,9}")
_INITIALISM = re.compile(r"(?:[A-Z]\.)+[A-Z]")
_LEADING_THE = re.compile(r"^(?:the|an?)\s+", re.IGNORECASE)
_ABBREVIATION = re.compile(r"\s*\(([A-Z][A-Za-z0-9&.]{1,9})\)")
# A company name plus a corporate designator is the same company ("Alibaba" / "Alibaba group").
_DESIGNATORS = frozenset((
    "group", "telecom", "corp", "corporation", "company", "co", "inc", "ltd", "plc", "holdings",
    "technologies", "technology", "bank", "airlines", "international", "foods", "semiconductor",
    "semiconductors", "pharmaceuticals", "motors", "energy", "systems", "media", "entertainment",
))  # fmt: skip
# A compass word and a designator name a region: "West Bank", "South Bank", "North Media" is rare.
_COMPASS_NAME = re.compile(r"(?:the\s+)?(?:West|East|North|South)\s+\w+$")
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

# Credits and datelines name reporters and the desk's city, not the story's subjects. Cleaning
# drops them as whole paragraphs; these find them inside one ("(Reporting by Ana Costa; Editing
# by Ben Ode)", a second story's "PORTO, March 3 (Newswire) --"). Not "written by" or "produced
# by": in a story those credit its subjects' work.
_CREDIT = re.compile(
    r"\b(?:(?:additional\s+)?reporting|writing|editing|compiled|photos?|photographs?|pictures?"
    r"|graphics?)\s+by\s+[^;()\n]*?(?=[;()\n]|\.\s|\.?$)"
    r"|\bby\s+(?:[A-Z][\w-]*\s+)?(?:staff\s+)?(?:writers?|correspondents?|reporters?)\s+[^;()\n.]*",
    re.IGNORECASE | re.MULTILINE,
)
# Looked for only where "contributed" occurs: names before a word are slow to search for.
_CONTRIBUTED = re.compile(
    r"(?:[A-Z][\w.'-]*\s+){1,4}(?:and\s+(?:[A-Z][\w.'-]*\s+){1,4})?contributed\s+"
    r"(?:reporting\s+)?to\s+this\s+(?:report|story|article)"
)
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'-]+\s+){0,3}[A-Z][A-Z.'-]+"  # BEIJING, NEW YORK
    r"(?:,\s*[A-Z][\w.]*(?:\s+[\w.]+)?)?"  # ", May 9", ", Calif."
    r"\s*(?:\([^()\n]{2,40}\))?\s*(?:--|—|–)\s*",  # "(Xinhua) --"
    re.MULTILINE,
)

# Words around a name that say it is a company, whatever the model voted (en_core_web_sm calls an
# unfamiliar brand a PERSON): a company noun or a corporate role before it ("smartphone maker
# Xiaomi", "CEO of Xiaomi"), a designator after it ("Alibaba group", "Sony Corp"), or a possessive
# with its products, shares or executives ("Xiaomi's smartphones", "Xiaomi's chief executive").
_COMPANY_NOUN = (
    r"(?:maker|manufacturer|producer|vendor|supplier|retailer|carrier|operator|company|firm|giant"
    r"|start-?up|conglomerate|lender|insurer|airline|chipmaker|carmaker|automaker)"
)
_CORPORATE_ROLE = (
    r"(?:CEO|chief\s+executive|chief\s+\w+\s+officer|chair(?:man|woman|person)?|co-?founder|founder"
    r"|board|shareholders?|subsidiary|subsidiaries|headquarters"
    r"|(?:senior\s+|executive\s+)vice\s+president)"
)
_PRODUCT = (
    r"(?:shares|products?|produce|smartphones?|phones?|handsets?|devices?|chips?"
    r"|vehicles?|factory|factories|plants?|stores?|brands?|customers|subscribers|revenues?|profits?"
    r"|earnings|sales|market\s+share|apps?|platforms?)"
)
_COMPANY_BEFORE = re.compile(
    rf"\b(?:{_COMPANY_NOUN}(?:\s+of)?|{_CORPORATE_ROLE}\s+(?:and\s+\w+\s+)?(?:of|at)"
    r"|(?:president|director|head|employees?|staff)\s+(?:of|at))\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_COMPANY_AFTER = re.compile(
    # One lower-case word at most between: in "Musk's Tesla shares" the shares are Tesla's, in
    # "Smith's appointment as chief executive" the post is not Smith's.
    rf"['’]s\s+(?:[a-z][\w-]*\s+)?(?i:{_CORPORATE_ROLE}|{_PRODUCT})\b"
    r"|\s+(?i:group|holdings|telecom|technologies|corporation|airlines|motors)\b"
    r"|,?\s+(?:Inc|Corp|Co|Ltd|LLC|plc|PLC|AG|SA|GmbH|NV)\b(?!-)"
)
# Capitalised honorifics and titles right before a name say it is a person ("Mr. Reis"), also
# with the given name between ("Mayor Ines Calloway" counts for "Calloway").
_TITLES = (
    r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dame|Lord|Lady|President|Prime\s+Minister|Minister"
    r"|Senator|Sen|Rep|Gov|Governor|General|Gen|Judge|Justice|Pope|King|Queen|Prince|Princess"
    r"|Chairman|Vice\s+President|Mayor|Councillor|Councilman|Councilwoman|Inspector|Sergeant"
    r"|Detective|Constable|Chancellor|Secretary|Archbishop|Bishop|Father|Rev)\.?\s+"
)
_PERSON_BEFORE = re.compile(_TITLES + r"(?:[A-Z][\w'’-]+\s+)?$")
# "Mayor Ines Calloway": a title and two or three capitalised words name a person, whatever the
# model made of them (en_core_web_sm tags "Calloway" ORG three times and never the full name).
_TITLED_NAME = re.compile(_TITLES + r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2})\b")
# "Okoye, 27, is unbeaten": an age in commas after a name is a person's.
_PERSON_AFTER = re.compile(r",\s+\d{1,3},")
# A club is named with its staff, players or a score ("Mainz coach", "beat Cologne 3-1"); the
# model calls a club by its town's name a place or a person.
_TEAM_AFTER = re.compile(
    r"\s+(?:manager|coach|boss|captain|president|striker|midfielder|winger|defender|goalkeeper"
    r"|forward|fans|supporters|players|squad)\b|\s+\d{1,2}-\d{1,2}\b"
)
_TEAM_BEFORE = re.compile(r"\b(?:beat|beating|drew\s+with|lost\s+to)\s+$")
# A title after the kind of work it is ("the television series Roots", "the play The Ferryman").
_WORK_BEFORE = re.compile(
    r"\b(?:film|movie|album|book|novel|memoir|play|series|single|song|documentary|painting"
    r"|opera|musical|poem|trilogy|sitcom|drama|record)\s+(?:The\s+)?$"
)
# A preposition of place before a name the model thought a person ("from Kent", "in Calais");
# not where the phrase is about a company ("shares in Velmar").
_PLACE_BEFORE = re.compile(
    r"(?<!shares )(?<!stake )\b(?:in|near|outside|across|throughout|from)\s+$"
)
# A name's last word often says its kind ("Whitcombe Gallery", "Jezero Crater", "Orwell Prize")
# where the model guessed; and "Storm Desmond" or "Hurricane Ida" is a storm, an event.
_ENDING_KIND = (
    dict.fromkeys(
        ("prize", "award", "awards", "medal", "trophy", "open", "marathon", "olympics",
         "championships", "election", "storm"),
        "event",
    )
    | dict.fromkeys(
        ("gallery", "museum", "hospital", "school", "college", "library", "club", "police",
         "service", "office", "court", "association", "foundation", "society", "trust", "league",
         "charity", "network", "channel", "studios", "records"),
        "organisation",
    )
    | dict.fromkeys(
        ("crater", "river", "lake", "mountain", "mountains", "valley", "airport", "stadium",
         "arena", "park", "road", "street", "square", "bridge", "island", "islands", "bay",
         "coast", "sea", "ocean", "harbour", "station"),
        "place",
    )
)  # fmt: skip
# More endings vote for a kind but do not make a name run on (_run_on): "Venice Film Festival",
# "G7 Summit", "Cornwall Council", and football clubs' ("Leeds United", "Blackburn Rovers"; not
# "City", which ends Mexico City as often as Manchester City). Most endings of recurring names
# (_NAME_ENDINGS) are not here: "Epic Games", "World Food Programme", "Honda Accord" and "Soviet
# Union" are no events or companies by their last word.
_KIND_OF_ENDING = (
    _ENDING_KIND
    | {"festival": "event", "summit": "event", "council": "organisation"}
    | dict.fromkeys(
        ("united", "rovers", "athletic", "wanderers", "albion", "hotspur", "rangers", "fc"),
        "organisation",
    )
)
_EVENT_PREFIX = re.compile(r"(?:Storm|Hurricane|Typhoon|Cyclone|Tropical Storm|Operation)\s")
# "St Aldric's" tagged alone before "Hospital": the name runs on to its last word.
_NAME_RUNS_ON = re.compile(r"\s+(?P<word>[A-Z][a-z]+)\b")
# en_core_web_sm calls two names joined by "and" a title ("Facebook and Google"): a work's
# title with "and" has more words than that ("Pride and Prejudice" aside, which it then loses).
_COORDINATED = re.compile(r"[A-Z][\w'’-]*\s+(?:and|&)\s+[A-Z][\w'’-]*")
# Words the model tags in page furniture ("Source", "Photo") that name nothing.
_JUNK = frozenset(("source", "sources", "editor", "photo", "photograph", "picture", "image",
                   "video", "advertisement", "update", "credit", "caption"))  # fmt: skip
# A role and a comma before a name, or "X, the district of": appositions say the kind.
_PERSON_APPOSITION = re.compile(
    r"\b(?:chair|chairman|chairwoman|chief\s+executive|director|founder|spokesman|spokeswoman"
    r"|spokesperson|minister|secretary|commissioner|president|leader|captain|manager|coach"
    r"|wife|husband|son|daughter|mother|father|brother|sister|owner|lawyer|chief),\s+$"
)
# An apposition closed by a comma on both sides: "N Chandrasekaran, Tata's chairman, said",
# "Finanstilsynet, the financial regulator, agreed". Between the article (or possessive) and the
# role only modifiers, no "of", "at" or "the": in "a worker at the firm," and "the owner of
# Dove," the firm and the owner do not describe the name; "In New York, the company said" and
# "Schroders, the fund manager," have no closing comma after the role, or an ambiguous role, and
# a name after a preposition ("In Los Angeles, the mayor, Karen Bass,") opens no apposition.
_APPOSITION_OPEN = r",\s+(?:the|a|an|[A-Z][\w'’&.-]*(?:\s+[A-Z][\w'’&.-]*)?['’]s?)\s+"
_MODIFIERS = r"(?:(?!(?:of|at|for|in|on|to|by|with|the|a|an|and|or)\s)[\w'’-]+\s+){0,2}"
_PERSON_ROLE_AFTER = re.compile(
    _APPOSITION_OPEN
    + _MODIFIERS
    + r"(?i:chair|chairman|chairwoman|chief\s+executive|CEO|chief\s+\w+\s+officer|director"
    r"|founder|co-founder|spokesman|spokeswoman|spokesperson|minister|secretary|commissioner"
    r"|president|captain|coach|lawyer|mayor|novelist|actor|actress|singer|striker|midfielder"
    r"|goalkeeper|defender|professor|researcher|scientist|economist|governor|senator|judge),"
)
_ORG_APPOSITION = re.compile(
    _APPOSITION_OPEN
    + _MODIFIERS
    + rf"(?i:{_COMPANY_NOUN}|regulator|watchdog|charity|publisher|broadcaster|agency),"
)
# A preposition right before a name: what follows the comma is then no apposition of it.
_AFTER_PREPOSITION = re.compile(
    r"\b(?i:in|at|by|to|from|for|with|after|before|of|on|near|outside)\s+(?:the\s+)?$"
)
_PLACE_APPOSITION = re.compile(
    r",\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,3}(?:district|city|town|village|region|province"
    r"|state|county|capital|hub|area|port|island|suburb|neighbourhood|neighborhood)\b"
)
_PLACE_NOUN_BEFORE = re.compile(
    r"\b(?:city|town|village|district|region|province|county|capital|island|port)\s+(?:of\s+)?$"
    # What only a place has: residents, a mayor, a diocese ("residents of Eastbrook").
    r"|\b(?i:residents|mayor|diocese|bishop|outskirts|suburbs|streets)\s+of\s+$"
)
# The same after the name: "Dunmore's city centre", "Eastholm's residents" (a party has a mayor
# too), and "Cornwall Council", "the Dunmore Chamber of Commerce": a council or a chamber is
# named for its place, unless the name is a body's ("the EU Chamber of Commerce") or a club's
# ("Leicester City Council"; see _names_place).
_PLACE_AFTER = re.compile(
    r"['’]s\s+(?:(?:city|town)\s+cent(?:re|er)|residents|streets|suburbs|outskirts)\b"
)
_PLACE_BOUND = (
    r"\s+(?:(?:City|County|Borough|Town|District|Parish)\s+)?Council|\s+Chamber\s+of\s+Commerce"
)
_PLACE_BOUND_AFTER = re.compile(rf"(?:{_PLACE_BOUND})\b")
# "Cornwall Council" found as a name of its own still says that Cornwall is a place.
_PLACE_BOUND_NAME = re.compile(rf"(?P<place>.+?)(?:{_PLACE_BOUND})")
# A company noun right before the name is a company whoever the model thought it ("the
# accountancy firm Grant Thornton", "the supermarket chain Morrisons").
_ORG_NOUN_BEFORE = re.compile(
    rf"\b(?:{_COMPANY_NOUN}|chain|regulator|watchdog|charity|club|label|publisher"
    r"|studio|bank|group)\s+(?:called\s+|named\s+)?$|\b(?:shares|stakes?)\s+in\s+$",
    re.IGNORECASE,
)
_CONTEXT = 60
# "Cambodia, Russia, Ukraine and Tanzania": names listed together are background. A run of names
# is a list when "and" or "or" joins two of them (commas alone also join clauses: "Lei, Xiaomi").
_LIST_GAP = re.compile(r"(?:['’]s)?\s*(?P<sep>,|,?\s+and|,?\s+or)\s+(?:the\s+)?")
LISTED_WEIGHT = 0.5

# One cue outweighs two of the model's votes: it reads the words, the model guessed.
CUE_VOTES = 2.0
# A preposition is weaker: "from" also precedes a company ("a report from Twitter").
PLACE_CUE_VOTES = 1.5
# A one-word "person" with company cues is as often a brand the model does not know.
MONONYM_PERSON_VOTE = 0.5
SPREAD_WEIGHT = 1.0
EARLINESS_WEIGHT = 2.0
TITLE_WEIGHT = 2.0
SUMMARY_WEIGHT = 1.0
# Nationality adjectives modify everything ("Chinese companies") and would crowd out subjects:
# a group counts half, and so does a country's adjective among that country's mentions.
_KIND_WEIGHT = {"group": 0.5}
ADJECTIVE_WEIGHT = 0.5


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
    # The ISO code of the country this is, or whose people it names; its kind is then fixed.
    country: str | None = None
    # Nationality adjectives among the forms ("Chinese" in China's cluster).
    adjectives: set[str] = field(default_factory=set)
    # Tagged PERSON with a given and a family name at least once ("Mike Smith").
    named_in_full: bool = False

    @property
    def mentions(self) -> int:
        return sum(self.forms.values())

    @property
    def fixed_kind(self) -> str | None:
        if self.country is None:
            return None
        return "group" if set(self.forms) <= self.adjectives else "place"

    def absorb(self, other: _Cluster, *, as_kind: str | None = None) -> None:
        """Take in ``other``'s mentions; ``as_kind`` turns its votes into votes for that kind."""
        self.forms.update(other.forms)
        if as_kind is None:
            self.kinds.update(other.kinds)
        else:
            self.kinds[as_kind] += other.kinds.total()
        self.named_in_full = self.named_in_full or other.named_in_full
        self.first = min(self.first, other.first)
        self.adjectives |= other.adjectives

    def display(self, kind: str, written: Counter[str]) -> str:
        """Pick the name to show: the form the text uses most, a person's full name."""
        # A designator in lower case describes rather than names ("Alibaba", not "Alibaba group").
        # and an acronym defers to its spelled-out name ("International Data Corporation (IDC)").
        names = [f for f in self.forms if f not in self.adjectives] or list(self.forms)
        plain = [
            f for f in names if f.split()[-1] not in _DESIGNATORS and not _ACRONYM.fullmatch(f)
        ] or names
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


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """Return the sorted character spans of credits and datelines in ``text``."""
    spans = [m.span() for m in _CREDIT.finditer(text)]
    if "contributed" in text:
        spans += [m.span() for m in _CONTRIBUTED.finditer(text)]
    spans += [m.span() for m in _DATELINE.finditer(text)]
    return sorted(spans)


def _inside(spans: Sequence[tuple[int, int]], position: int) -> bool:
    i = bisect.bisect_right(spans, (position, sys.maxsize)) - 1
    return i >= 0 and spans[i][0] <= position < spans[i][1]


def _country_of(form: str, person_words: set[str]) -> tuple[str | None, bool]:
    """Return (ISO code, is an adjective) when ``form`` names a country or its people."""
    if form in person_words:
        return None, False  # "Michael Jordan ... Jordan said" is the man, not the country
    code = country_code(form)
    if code:
        return code, False
    code = demonym_country(form) or demonym_country(form.removesuffix("s"))
    return code, code is not None


def _cluster_mentions(mentions: Sequence[Mention], text: str) -> dict[str, _Cluster]:
    clusters: dict[str, _Cluster] = {}
    aliases: dict[str, str] = {}
    person_words = {
        word
        for m in mentions
        if m.label == "PERSON" and len(m.text.split()) > 1
        for word in normalise(m.text).split()
    }
    for mention in mentions:
        kind = KIND_OF_LABEL.get(mention.label)
        form = normalise(mention.text)
        if kind is None or len(form) < 2 or not any(c.isalpha() for c in form):
            continue
        code, adjective = _country_of(form, person_words)
        # A country's name and its adjective share a cluster once both occur (see _adopt_people).
        key = f"country {code}{' people' if adjective else ''}" if code else _key(form)
        cluster = clusters.setdefault(key, _Cluster(first=mention.start, country=code))
        cluster.forms[form] += 1
        cluster.kinds[kind] += 1
        cluster.named_in_full |= mention.label == "PERSON" and len(form.split()) > 1
        if adjective:
            cluster.adjectives.add(form)
        # "International Data Corporation (IDC)" declares an alias.
        abbreviation = _ABBREVIATION.match(text, mention.end)
        if abbreviation:
            aliases[_key(abbreviation.group(1))] = key
    for alias, target in aliases.items():
        if alias in clusters and target in clusters and alias != target:
            clusters[target].absorb(clusters.pop(alias))
    return _adopt_people(_merge_partial_names(clusters))


def _voted_kind(cluster: _Cluster) -> str:
    return cluster.fixed_kind or cluster.kinds.most_common(1)[0][0]


def _adopt_people(clusters: dict[str, _Cluster]) -> dict[str, _Cluster]:
    """Count "Chinese" as a mention of China, "African" of Africa, when the story names the place."""
    places = {
        form.casefold(): key
        for key, cluster in clusters.items()
        if _voted_kind(cluster) == "place"
        for form in cluster.forms
        if form not in cluster.adjectives
    }
    adjectives = {
        adjective.casefold(): key
        for place, key in places.items()
        for adjective in demonym_forms(place)
    }
    for key in list(clusters):
        cluster = clusters[key]
        if cluster.fixed_kind == "group":
            home = f"country {cluster.country}"
        elif cluster.country is None and _voted_kind(cluster) == "group":
            homes = {
                adjectives.get(f.casefold()) or adjectives.get(f.casefold().removesuffix("s"))
                for f in cluster.forms
            }
            if len(homes) != 1 or None in homes:
                continue
            home = str(homes.pop())
        else:
            continue
        if home in clusters:
            people = clusters.pop(key)
            # "Southeast Asian" is a NORP to the model; "Southeast Asia" stays a place.
            people.kinds.clear()
            people.adjectives |= set(people.forms)
            clusters[home].absorb(people)
    return clusters


def _merge_partial_names(clusters: dict[str, _Cluster]) -> dict[str, _Cluster]:
    """Fold "Lei" into "Lei Jun", "Alibaba" into "Alibaba group", when unambiguous."""
    # Countries keep their own clusters: "China" is not short for "China Telecom".
    names = [k for k, c in clusters.items() if c.country is None]
    for short in sorted(names, key=lambda k: len(k.split())):
        short_tokens = short.split()
        kind = _voted_kind(clusters[short])
        homes = [
            long
            for long in names
            if long in clusters
            and long != short
            and len(long.split()) > len(short_tokens)
            and _is_part(short_tokens, long.split(), kind, _voted_kind(clusters[long]))
        ]
        if not homes:
            homes = [
                long
                for long in names
                if long in clusters
                and long.split()[: len(short_tokens)] == short_tokens
                and len(long.split()) == len(short_tokens) + 1
                and long.split()[-1] in _DESIGNATORS
            ]
        if not homes and len(short_tokens) == 1 and kind == "person":
            homes = [long for long in names if long in clusters and _family_name_of(short, long)]
            if len(homes) == 1:
                # "Muto scored" after "Yoshinori Muto" tagged ORG: the full name is the person.
                home = clusters[homes[0]]
                home.absorb(clusters.pop(short))
                home.kinds = Counter({"person": home.kinds.total()})
                home.named_in_full = True
                continue
        if len(homes) > 1 and len(short_tokens) == 1:
            # "Pellham fled" after "Lionel Pellham" and "the Pellham Fund": a family name alone
            # is the person so named.
            people = [h for h in homes if clusters[h].named_in_full and h.split()[-1] == short]
            if len(people) > 1:
                # Two of one family ("Marjorie Dunn", her granddaughter "Amy Dunn"): "Dunn"
                # alone is the one the story names more, if one is.
                most = max(clusters[h].mentions for h in people)
                people = [h for h in people if clusters[h].mentions == most]
            homes = people if len(people) == 1 else homes
        if len(homes) == 1:
            # "Lei" is Lei Jun, "DaTang" is DaTang Telecom, however the model tagged them alone.
            home = clusters[homes[0]]
            home.absorb(clusters.pop(short), as_kind=_voted_kind(home))
    return clusters


def _family_name_of(short: str, long: str) -> bool:
    """Whether ``long`` reads as a given and family name ending in ``short``: two or three
    words, none of them a company or programme word ("Yoshinori Muto", not "Muto Holdings")."""
    words = long.split()
    return (
        2 <= len(words) <= 3
        and words[-1] == short
        and not any(w in _DESIGNATORS or w in _NAME_ENDINGS for w in words)
    )


def _is_part(short: Sequence[str], long: Sequence[str], kind: str, long_kind: str) -> bool:
    if len(short) == 1 and long_kind == "person" and short[0] in (long[0], long[-1]):
        # A given or family name of someone named in full is that person, however the model
        # tagged it alone ("said Buerkner" as ORG after "Hans-Paul Buerkner").
        return True
    if kind != long_kind:
        return False
    if list(long[: len(short)]) == list(short):
        return True
    # "Reis" for "Marta Reis", "Energia" for "Lumen Energia"; but "Africa" is not "South Africa".
    return kind in ("person", "organisation") and list(long[-len(short) :]) == list(short)


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


def _run_on(mention: Mention, text: str) -> Mention:
    """Extend a name over a capitalised last word that says its kind ("St Aldric's" Hospital)."""
    after = _NAME_RUNS_ON.match(text, mention.end)
    if after is None or after.group("word").lower() not in _ENDING_KIND:
        return mention
    return Mention(text[mention.start : after.end()], mention.label, mention.start, after.end())


def _titled_people(text: str, known: Iterable[Mention]) -> list[Mention]:
    """Find people named after a title ("Mayor Ines Calloway") the model did not tag PERSON."""
    people = {(m.start, m.end) for m in known if m.label == "PERSON"}
    found = []
    for match in _TITLED_NAME.finditer(text):
        name = normalise(match.group("name"))
        start = match.start("name")
        if (start, start + len(name)) not in people:
            found.append(Mention(name, "PERSON", start, start + len(name)))
    return found


def _short_names(clusters: dict[str, _Cluster]) -> dict[str, str]:
    """Return names without their generic last word: "Belt and Road" for "... Initiative"."""
    taken = {form for cluster in clusters.values() for form in cluster.forms}
    short: dict[str, str] = {}
    for key, cluster in clusters.items():
        for form in cluster.forms:
            words = form.split()
            head = words[-1].lower()
            if len(words) >= 3 and (head in _NAME_ENDINGS or head in _DESIGNATORS):
                name = " ".join(words[:-1])
                if words[-2][0].isupper() and name not in taken:
                    short[name] = key
    return short


@dataclass(slots=True)
class _TextCounts:
    """Where each cluster and each surface form occurs in the text, and what surrounds it."""

    clusters: Counter[str] = field(default_factory=Counter)
    adjectives: Counter[str] = field(default_factory=Counter)
    forms: Counter[str] = field(default_factory=Counter)
    # Per cluster, each paragraph it occurs in: 1, or ADJECTIVE_WEIGHT where only as an adjective.
    paragraphs: dict[str, dict[int, float]] = field(default_factory=dict)
    first: dict[str, int] = field(default_factory=dict)
    company_cues: Counter[str] = field(default_factory=Counter)
    person_cues: Counter[str] = field(default_factory=Counter)
    work_cues: Counter[str] = field(default_factory=Counter)
    # A company noun right before: counts even for someone the model named in full.
    firm_cues: Counter[str] = field(default_factory=Counter)
    place_cues: Counter[str] = field(default_factory=Counter)
    listed: Counter[str] = field(default_factory=Counter)


def _count_in_text(
    clusters: dict[str, _Cluster],
    short_names: dict[str, str],
    text: str,
    furniture: Sequence[tuple[int, int]],
) -> _TextCounts:
    """Count every cluster's forms in the text, longest form first, and the cues around them.

    Longest first, so "South Africa" is not also "Africa". One sense per discourse: a name the
    model tagged once is the same name where it missed it.
    """
    owner = {form: key for key, cluster in clusters.items() for form in cluster.forms}
    owner |= {name: key for name, key in short_names.items() if name not in owner}
    counts = _TextCounts()
    if not owner:
        return counts
    forms = sorted(owner, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)")
    breaks = [m.start() for m in re.finditer(r"\n\n", text)]
    run: list[str] = []  # the names listed so far, joined by commas, "and" or "or"
    joined, run_end = False, 0
    for match in pattern.finditer(text):
        if _inside(furniture, match.start()):
            continue
        form = match.group()
        key = owner[form]
        counts.clusters[key] += 1
        counts.forms[form] += 1
        adjective = form in clusters[key].adjectives
        counts.adjectives[key] += adjective
        counts.first.setdefault(key, match.start())
        paragraphs = counts.paragraphs.setdefault(key, {})
        paragraph = bisect.bisect(breaks, match.start())
        weight = ADJECTIVE_WEIGHT if adjective else 1.0
        paragraphs[paragraph] = max(weight, paragraphs.get(paragraph, 0.0))
        before = text[max(0, match.start() - _CONTEXT) : match.start()]
        after = text[match.end() : match.end() + _CONTEXT]
        # In "CEO of Wichita-based ..." and "director of Venice's theatre" the company comes after.
        modifies = after.startswith(("-", "'s", "’s"))
        if (
            (_COMPANY_BEFORE.search(before) and not modifies)
            or _COMPANY_AFTER.match(after)
            or _TEAM_AFTER.match(after)
            or _TEAM_BEFORE.search(before)
        ):
            counts.company_cues[key] += 1
        apposed = not _AFTER_PREPOSITION.search(before)
        if _ORG_NOUN_BEFORE.search(before) or (apposed and _ORG_APPOSITION.match(after)):
            counts.firm_cues[key] += 1
        if (
            _PERSON_BEFORE.search(before)
            or _PERSON_AFTER.match(after)
            or _PERSON_APPOSITION.search(before)
            or (apposed and _PERSON_ROLE_AFTER.match(after))
        ):
            counts.person_cues[key] += 1
        if _WORK_BEFORE.search(before):
            counts.work_cues[key] += 1
        elif (
            _PLACE_APPOSITION.match(after)
            or _PLACE_NOUN_BEFORE.search(before)
            or _PLACE_AFTER.match(after)
            or (_PLACE_BOUND_AFTER.match(after) and _names_place(form))
        ):
            counts.place_cues[key] += 2
        elif _PLACE_BEFORE.search(before) and not modifies and " " not in form:
            # One word only: "teams from Cumbria Fire and Rescue Service" is no place.
            counts.place_cues[key] += 1
        gap = _LIST_GAP.fullmatch(text, run_end, match.start()) if run else None
        if gap is None:
            _close_list(run, joined, counts.listed)
            run, joined = [], False
        else:
            joined = joined or gap.group("sep") != ","
        run.append(key)
        run_end = match.end()
    _close_list(run, joined, counts.listed)
    for form in owner:
        if (bound := _PLACE_BOUND_NAME.fullmatch(form)) is None:
            continue
        place = bound.group("place")
        # Not the council's own short name ("Tarn Valley" of "Tarn Valley Council").
        if _names_place(place) and owner.get(place, owner[form]) != owner[form]:
            counts.place_cues[owner[place]] += 2
    return counts


def _names_place(form: str) -> bool:
    """Whether a council or chamber named ``form`` says ``form`` is a place: not an acronym
    ("EU"), not a club's or a body's name ("Leicester City", "Arts Council")."""
    last = form.split()[-1]
    return not form.isupper() and last != "City" and last.lower() not in _KIND_OF_ENDING


def _close_list(run: Sequence[str], joined: bool, listed: Counter[str]) -> None:
    if joined and len(run) > 1:
        listed.update(run)


def _decided_kind(cluster: _Cluster, counts: _TextCounts, key: str) -> str:
    """Vote on the kind: the model's labels, corrected by the words around the name."""
    company_cues, person_cues = counts.company_cues[key], counts.person_cues[key]
    if cluster.fixed_kind:
        return cluster.fixed_kind
    votes = {kind: float(n) for kind, n in cluster.kinds.items()}
    # A designator in the name itself ("DaTang Telecom") is a company cue on each mention.
    designated = sum(
        n
        for f, n in cluster.forms.items()
        if f.split()[-1].lower() in _DESIGNATORS and not _COMPASS_NAME.match(f)
    )
    # Someone named in full is a person; "president of Barnard's Retail Consulting Group" is
    # about his firm.
    company_cues = 0 if cluster.named_in_full else max(company_cues, designated)
    company_cues += counts.firm_cues[key]
    if company_cues:
        # A one-word "person" described as a company is the brand the model did not know.
        votes["person"] = MONONYM_PERSON_VOTE * votes.get("person", 0.0)
    votes["organisation"] = votes.get("organisation", 0.0) + CUE_VOTES * company_cues
    votes["person"] = votes.get("person", 0.0) + CUE_VOTES * person_cues
    for form, n in cluster.forms.items():
        ending = "storm" if _EVENT_PREFIX.match(form) else form.split()[-1].lower()
        if " " in form and ending in _KIND_OF_ENDING:
            kind = _KIND_OF_ENDING[ending]
            votes[kind] = votes.get(kind, 0.0) + CUE_VOTES * n
    if counts.work_cues[key]:
        votes["work"] = votes.get("work", 0.0) + CUE_VOTES * counts.work_cues[key]
    if counts.place_cues[key]:
        votes["place"] = votes.get("place", 0.0) + PLACE_CUE_VOTES * counts.place_cues[key]
    # Ties go to the model's own majority, then to its first label.
    return max(votes, key=lambda kind: (votes[kind], cluster.kinds[kind]))


def _word_in(forms: Iterable[str], text: str) -> bool:
    """Return whether any form occurs in ``text`` as whole words (str.find: a regex per form and
    article cost more than the rest of the ranking)."""
    for form in forms:
        start = text.find(form)
        while start >= 0:
            end = start + len(form)
            if not (_is_word_char(text, start - 1) or _is_word_char(text, end)):
                return True
            start = text.find(form, start + 1)
    return False


def _is_word_char(text: str, i: int) -> bool:
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] == "_")


def rank_entities(
    mentions: Iterable[Mention],
    *,
    text: str,
    title: str | None,
    summary: Sequence[str],
    limit: int,
) -> list[RankedEntity]:
    """Merge mentions into entities; rank by mentions, spread, earliness, title and summary."""
    # Captions and fact boxes repeat names and glue them to the story's: their names neither
    # count nor join others, and a span is cut where one name cannot run into the next.
    furniture = sorted(furniture_spans(text) + caption_spans(text))
    mentions = [
        _run_on(Mention(piece.text, m.label, piece.start, piece.end), text)
        for m in mentions
        for piece in split_at_boundaries(m.text, m.start)
        if not _inside(furniture, piece.start)
        and _key(normalise(piece.text)) not in _JUNK
        and not (m.label == "WORK_OF_ART" and _COORDINATED.fullmatch(piece.text))
    ]
    titled = _titled_people(text, mentions)
    # The model's pieces of a titled name ("Calloway" ORG in "Mayor Ines Calloway") give way.
    mentions = [m for m in mentions if not any(t.start < m.end and m.start < t.end for t in titled)]
    found = [*_recurring_names(text, mentions), *titled]
    clusters = _cluster_mentions([*mentions, *found], text)
    length = max(len(text), 1)
    # "Belt&Road" in a headline is "Belt and Road".
    title_key = _key(re.sub(r"(?<=\w)&(?=\w)", " and ", title or ""))
    summary_key = _key(" ".join(summary))
    short_names = _short_names(clusters)
    ranked: list[RankedEntity] = []
    counts = _count_in_text(clusters, short_names, text, furniture)
    for key, cluster in clusters.items():
        if key in _WIRE_AGENCIES:
            continue
        forms = [_key(f) for f in cluster.forms] + [
            _key(name) for name, owner in short_names.items() if owner == key
        ]
        count = max(cluster.mentions, counts.clusters[key])
        kind = _decided_kind(cluster, counts, key)
        weighted: float = count
        if kind != "group":
            weighted -= ADJECTIVE_WEIGHT * counts.adjectives[key]
        weighted -= LISTED_WEIGHT * counts.listed[key]
        # A subject of the story recurs across its paragraphs, not only within one.
        spread = sum(counts.paragraphs.get(key, {}).values())
        first = min(cluster.first, counts.first.get(key, cluster.first))
        salience = _KIND_WEIGHT.get(kind, 1.0) * (
            weighted
            + SPREAD_WEIGHT * spread
            + EARLINESS_WEIGHT * (1.0 - first / length)
            + (TITLE_WEIGHT if _word_in(forms, title_key) else 0.0)
            + (SUMMARY_WEIGHT if _word_in(forms, summary_key) else 0.0)
        )
        ranked.append(
            RankedEntity(cluster.display(kind, counts.forms), kind, count, round(salience, 3))
        )
    ranked.sort(key=lambda e: (-e.salience, e.text))
    return ranked[:limit]
