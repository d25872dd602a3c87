"""Alert query parsing, canonical form and normalisation."""

import pytest

from jobs.alert_query import (
    AlertQuery,
    AlertQueryError,
    as_written,
    check_alert_count,
    check_specific,
    parse_alert_query,
    searchable_text,
)
from jobs.normalization import normalize_text


def parse(text: str) -> AlertQuery:
    return parse_alert_query(text, max_chars=200)


def test_or_of_conjunctions_with_query_wide_exclusion() -> None:
    query = parse('climate "carbon tax" OR wildfire -opinion')
    assert query.clauses == (("carbon tax", "climate"), ("wildfire",))
    assert query.excluded == ("opinion",)
    assert query.canonical() == '"carbon tax" climate OR wildfire -opinion'


@pytest.mark.parametrize(
    "text",
    [
        'climate "carbon tax" OR wildfire -opinion',
        '"Carbon   TAX" Climate or WILDFIRE -Opinion',
        "wildfire OR “carbon tax” climate climate -opinion -opinion",
        '-opinion wildfire OR climate "carbon-tax"',
    ],
)
def test_equivalent_spellings_share_one_canonical_form(text: str) -> None:
    assert parse(text).canonical() == '"carbon tax" climate OR wildfire -opinion'


@pytest.mark.parametrize(
    "text",
    [
        'climate "carbon tax" OR wildfire -opinion',
        'São "U.S. election" -"op ed"',
        'black "or" white',
    ],
)
def test_canonical_form_parses_back_to_the_same_query(text: str) -> None:
    query = parse(text)
    assert parse(query.canonical()) == query


def test_a_clause_containing_another_is_dropped() -> None:
    assert parse("bank OR bank strike OR bank").canonical() == "bank"


def test_empty_phrase_and_lone_punctuation_are_ignored() -> None:
    assert parse('tax "" - !').canonical() == "tax"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("-opinion -sport", "only excludes"),
        ('"carbon tax', "not closed"),
        ('climate "carbon" tax"', "not closed"),
        ("wildfire OR", "OR needs words on both sides"),
        ("OR wildfire", "OR needs words on both sides"),
        ("wildfire OR OR drought", "OR needs words on both sides"),
        ("wildfire OR -opinion", "OR needs words on both sides"),
        ("!!! ???", "no words"),
        ("OR", "no words"),
        ("tax -tax", '"tax" is both wanted and excluded'),
        ('"carbon tax" OR x -"Carbon Tax"', '"carbon tax" is both wanted and excluded'),
    ],
)
def test_unusable_queries_are_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(AlertQueryError, match=message):
        parse(text)


def test_length_limit_counts_characters_of_the_query() -> None:
    assert parse_alert_query("x" * 30, max_chars=30).canonical() == "x" * 30
    with pytest.raises(AlertQueryError, match="31 characters long; the limit is 30"):
        parse_alert_query("x" * 31, max_chars=30)


def test_term_limit_counts_distinct_terms_including_exclusions() -> None:
    words = [f"w{n}" for n in range(5)]
    assert len(parse_alert_query(" ".join(words), max_chars=200, max_terms=5).terms()) == 5
    with pytest.raises(AlertQueryError, match="6 different words and phrases; the limit is 5"):
        parse_alert_query(" ".join(words) + " -w9", max_chars=200, max_terms=5)


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("Café CRÈME brûlée", "cafe creme brulee"),
        ("São Paulo, Zürich; Łódź?", "sao paulo zurich łodz"),
        ("Straße", "strasse"),
        ("The U.S. and the U.K", "the us and the uk"),
        ("Macron’s carbon-tax (2024)", "macron s carbon tax 2024"),
        ("हिन्दी समाचार", "हिनदी समाचार"),
        ("ﬁnance  \n\t e.g.", "finance eg"),
    ],
)
def test_normalisation_folds_case_accents_and_punctuation(text: str, normalised: str) -> None:
    assert normalize_text(text) == normalised


@pytest.mark.parametrize(
    ("query", "title", "text", "expected"),
    [
        ("ai", "AI rules", "", True),
        ("ai", "", "She said it rained", False),
        ("U.S.", "", "The US economy", True),
        ("us", "", "The U.S. economy", True),
        ('"carbon tax"', "", "A carbon-tax, at last", True),
        ('"carbon tax"', "A new carbon", "Tax rises", False),
        ("zurich", "", "Bahnhof Zürich", True),
        ("climate wildfire", "Wildfire season", "Climate change", True),
        ("climate wildfire", "Wildfire season", "", False),
        ("climate OR wildfire -opinion", "Opinion: wildfire", "", False),
        ("climate OR wildfire", "", "drought", False),
    ],
)
def test_reference_matching_semantics(query: str, title: str, text: str, expected: bool) -> None:
    assert parse(query).matches(searchable_text(title, text)) is expected


def test_a_chat_may_not_exceed_its_number_of_alerts() -> None:
    check_alert_count(49, max_rules=50)
    with pytest.raises(AlertQueryError, match="has 50 alerts, the most it can have \\(50\\)"):
        check_alert_count(50, max_rules=50)


@pytest.mark.parametrize(
    "text",
    ["a", "the", "The", "x OR the", "of the", '"of the"', "5", "climate OR a", "why not"],
)
def test_queries_of_only_common_words_or_single_letters_are_refused(text: str) -> None:
    with pytest.raises(AlertQueryError, match="nearly every story"):
        check_specific(parse_alert_query(text, max_chars=200))


@pytest.mark.parametrize("text", ["climate -a", "climate -the", 'climate -"of the"'])
def test_excluding_a_common_word_is_refused(text: str) -> None:
    with pytest.raises(AlertQueryError, match="Excluding"):
        check_specific(parse_alert_query(text, max_chars=200))


@pytest.mark.parametrize(
    "text",
    ["central bank", "the economy", '"state of the union"', "5g", "g7 summit", "EU", "US", "WHO"],
)
def test_a_query_with_one_telling_word_is_accepted(text: str) -> None:
    # Written in capitals, a stop word ("us", "who") is an acronym the reader means.
    check_specific(parse_alert_query(text, max_chars=200), text)


def test_the_written_form_keeps_the_users_order_and_only_joins_spaces() -> None:
    assert as_written("  central   bank -mortgage ") == "central bank -mortgage"
    assert parse_alert_query("central bank -mortgage", max_chars=200).canonical() == (
        "bank central -mortgage"
    )
