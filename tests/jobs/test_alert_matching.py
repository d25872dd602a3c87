"""The one-pass alert index: per-chat results, and agreement with the query's own semantics."""

import random

from jobs.alert_matching import AlertIndex
from jobs.alert_query import AlertQuery, AlertQueryError, parse_alert_query, searchable_text


def parse(text: str) -> AlertQuery:
    return parse_alert_query(text, max_chars=200)


def test_each_chat_gets_the_ids_of_its_matching_rules() -> None:
    index = AlertIndex.build(
        [
            (1, 100, parse("wildfire")),
            (2, 100, parse('"carbon tax"')),
            (3, 100, parse("election")),
            (4, 200, parse("Wildfire OR drought")),
            (5, 300, parse("wildfire -opinion")),
        ]
    )
    result = index.match("Opinion: the wildfire and the carbon tax", "Drought, too.")
    assert result == {100: [1, 2], 200: [4]}


def test_a_rule_whose_every_clause_matches_is_named_once() -> None:
    index = AlertIndex.build([(7, 1, parse("flood OR storm OR flood warning"))])
    assert index.match("Flood and storm", "flood warning issued") == {1: [7]}


def test_conjunctions_need_all_terms_anywhere_in_title_or_text() -> None:
    index = AlertIndex.build([(1, 1, parse('bank "interest rates" cut'))])
    assert index.match("Bank cuts", "interest rates") == {}
    assert index.match("Bank to cut", "Interest-rates fall") == {1: [1]}


def test_a_clause_needs_every_one_of_its_terms() -> None:
    # The shortest term is the one checked last: leave it out.
    index = AlertIndex.build([(1, 1, parse('wildfire drought "smoke plume" ash'))])
    assert index.match("Wildfire and drought", "a smoke plume and ashes") == {}
    assert index.match("Wildfire and drought", "a smoke plume and ash") == {1: [1]}


def test_an_exclusion_vetoes_every_clause_of_its_rule() -> None:
    index = AlertIndex.build(
        [(1, 1, parse("flood OR storm warning -opinion")), (2, 1, parse("flood"))]
    )
    assert index.match("Opinion", "flood; storm warning") == {1: [2]}
    assert index.match("Storm", "warning, flood") == {1: [1, 2]}


def test_one_word_rules_and_the_others_come_together_in_id_order() -> None:
    # One-word rules are filed as ready (chat, rule) pairs, the rest by position: both reach
    # the chat's one list, whatever order the terms were hit in.
    index = AlertIndex.build(
        [
            (9, 1, parse("storm OR flood")),
            (2, 1, parse("flood")),
            (5, 1, parse("storm")),
            (4, 2, parse("flood -opinion")),
            (3, 2, parse("storm")),
        ]
    )
    assert index.match("Storm", "then a flood") == {1: [2, 5, 9], 2: [3, 4]}
    assert index.match("Opinion: storm", "") == {1: [5, 9], 2: [3]}


def test_terms_match_whole_words_only() -> None:
    index = AlertIndex.build([(1, 1, parse("ai")), (2, 1, parse("art"))])
    assert index.match("Said the artist", "Painted in Spain") == {}
    assert index.match("AI-made art", "") == {1: [1, 2]}


def test_other_scripts_match_by_whole_words_too() -> None:
    index = AlertIndex.build([(1, 1, parse("Москва")), (2, 2, parse('"東京 大学"'))])
    assert index.match("МОСКВА: новости", "東京 大学") == {1: [1], 2: [2]}
    assert index.match("Москвариум", "東京大学") == {}


def test_phrases_do_not_span_title_and_text() -> None:
    index = AlertIndex.build([(1, 1, parse('"prime minister"'))])
    assert index.match("Meet the prime", "Minister of nothing") == {}


def test_overlapping_terms_are_all_found() -> None:
    index = AlertIndex.build(
        [(1, 1, parse('"new york"')), (2, 2, parse('"york times"')), (3, 3, parse("york"))]
    )
    assert index.match("", "The New York Times") == {1: [1], 2: [2], 3: [3]}


def test_an_empty_index_matches_nothing() -> None:
    index = AlertIndex.build([])
    assert len(index) == 0
    assert index.match("Anything", "at all") == {}


def test_index_agrees_with_reference_semantics_on_random_rules() -> None:
    # A small vocabulary makes matches, partial matches and exclusions all frequent.
    rng = random.Random(6)
    words = ["alpha", "beta", "gamma", "délta", "eps", "zeta", "eta", "theta"]

    def term() -> str:
        return (
            f'"{rng.choice(words)} {rng.choice(words)}"'
            if rng.random() < 0.3
            else rng.choice(words)
        )

    def clause() -> str:
        return " ".join(term() for _ in range(rng.randint(1, 3)))

    rules = []
    for rule_id in range(400):
        text = " OR ".join(clause() for _ in range(rng.randint(1, 3)))
        text += "".join(f" -{rng.choice(words)}" for _ in range(rng.choice((0, 0, 1, 2))))
        try:
            rules.append((rule_id, rule_id % 37, parse(text)))
        except AlertQueryError:
            continue  # drew a word both wanted and excluded
    index = AlertIndex.build(rules)
    assert len(index) == len(rules) > 300

    matched_rules = 0
    for _ in range(200):
        title = " ".join(rng.choices(words, k=3)).upper()
        text = ", ".join(rng.choices(words, k=rng.randint(0, 8)))
        searchable = searchable_text(title, text)
        expected: dict[int, list[int]] = {}
        for rule_id, chat_id, query in rules:
            if query.matches(searchable):
                expected.setdefault(chat_id, []).append(rule_id)
        assert index.match(title, text) == expected
        matched_rules += sum(map(len, expected.values()))
    assert 0 < matched_rules < 200 * len(rules)  # neither nothing nor everything matched
