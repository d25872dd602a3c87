"""Figures: values normalised, units found, what they measure described, noise dropped."""

from __future__ import annotations

import pytest

from summarizer.entities import Mention
from summarizer.figures import describe, parse_value, rank_figures


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.5 million", 1_500_000.0),
        ("more than 50 billion U.S. dollars", 50e9),
        ("$1.13bn", 1.13e9),
        ("over 7,000", 7000.0),
        ("more than eight million", 8e6),
        ("a dozen", 12.0),
        ("forty two", 42.0),
        ("up to 30 percent", 30.0),
    ],
)
def test_parse_value(text: str, value: float) -> None:
    assert parse_value(text) == pytest.approx(value)


def test_one_letter_scales_count_only_for_money() -> None:
    assert parse_value("£600m", money=True) == pytest.approx(600e6)
    assert parse_value("$5k", money=True) == pytest.approx(5e3)
    assert parse_value("5,000m") == pytest.approx(5000.0)  # a distance, not five billion


def test_describe_takes_the_noun_after_or_the_clause_before() -> None:
    sentence = "He noted that the company filed for over 7,000 patents globally last year alone."
    start = sentence.index("over 7,000")
    assert describe(sentence, start, start + len("over 7,000")) == "patents"
    sentence = "So far, its monthly sales have surpassed 1.5 million."
    start = sentence.index("1.5")
    assert describe(sentence, start, start + len("1.5 million")) == "monthly sales have surpassed"
    sentence = "So far, China has invested more than 50 billion U.S. dollars into the program."
    start = sentence.index("more")
    end = start + len("more than 50 billion U.S. dollars")
    assert describe(sentence, start, end) == "China has invested … into the program"
    # An article after the figure starts its unit ("an hour"), not what it went into.
    sentence = "A storm with gusts of up to 140 kilometres an hour damaged the cable."
    start = sentence.index("up to")
    assert describe(sentence, start, start + len("up to 140 kilometres")) == "storm with gusts"


def figures_of(text: str, tagged: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    mentions = [Mention(s, label, text.index(s), text.index(s) + len(s)) for s, label in tagged]
    return rank_figures(
        mentions, text=text, sentence_spans=[(0, len(text))], summary_indices=[0], limit=10
    )


def test_money_percent_quantity_and_counts_with_units() -> None:
    text = (
        "The firm spent $2.5 billion, raised prices 30 percent, shipped 8,500 tonnes "
        "and hired 1,200 workers, and a bank lent 4 million euros."
    )
    figures = figures_of(
        text,
        [
            ("$2.5 billion", "MONEY"),
            ("30 percent", "PERCENT"),
            ("8,500 tonnes", "QUANTITY"),
            ("1,200", "CARDINAL"),
            ("4 million", "CARDINAL"),
        ],
    )
    got = {(f.text, f.value, f.unit, f.kind) for f in figures}
    assert got == {
        ("$2.5 billion", 2.5e9, "USD", "money"),
        ("30 percent", 30.0, "%", "percent"),
        ("8,500 tonnes", 8500.0, "tonnes", "quantity"),
        ("1,200", 1200.0, None, "count"),
        ("4 million euros", 4e6, "EUR", "money"),  # a count followed by a currency is money
    }
    assert figures[0].kind == "money"
    assert {f.about for f in figures if f.kind == "count"} == {"workers"}


def test_years_ordinals_dates_and_small_bare_numbers_are_not_figures() -> None:
    text = "In 2015 the second plant, one of two, opened on May 9 with 4G and 12,000 staff."
    figures = figures_of(
        text,
        [
            ("2015", "CARDINAL"),
            ("second", "ORDINAL"),
            ("one", "CARDINAL"),
            ("two", "CARDINAL"),
            ("May 9", "DATE"),
            ("4", "CARDINAL"),
            ("12,000", "CARDINAL"),
        ],
    )
    assert [f.text for f in figures] == ["12,000"]


def test_the_same_figure_twice_is_listed_once() -> None:
    text = "Sales hit 1.5 million. Analysts expected 1.5 million units."
    mentions = [
        Mention("1.5 million", "CARDINAL", 10, 21),
        Mention("1.5 million", "CARDINAL", text.rindex("1.5"), text.rindex("1.5") + 11),
    ]
    figures = rank_figures(
        mentions, text=text, sentence_spans=[(0, 23), (23, len(text))], summary_indices=[], limit=5
    )
    assert len(figures) == 1


def test_signs_and_percent_words_the_model_left_out_or_mislabelled() -> None:
    text = "Pensions pay £2,100 more, and homes cost 12 per cent more than in 2019."
    figures = figures_of(text, [("2,100", "MONEY"), ("12 per cent", "MONEY")])
    got = {(f.text, f.value, f.unit, f.kind) for f in figures}
    assert got == {("£2,100", 2100.0, "GBP", "money"), ("12 per cent", 12.0, "%", "percent")}


def test_scale_letters_and_units_written_against_the_number() -> None:
    # The spans are the small model's own: it tags "960" of "$960m" and "790" of "790m euros".
    text = (
        "The firm lost $960m here and £499m there after a charge of 790m euros; "
        "she won the 100m title and the 10,500m race carrying 40kg."
    )
    figures = figures_of(
        text,
        [
            ("960", "MONEY"),
            ("499", "MONEY"),
            ("790", "CARDINAL"),
            ("100", "CARDINAL"),
            ("10,500", "CARDINAL"),
            ("40kg", "QUANTITY"),
        ],
    )
    got = {(f.text, f.value, f.unit, f.kind) for f in figures}
    assert got == {
        ("$960m", 960e6, "USD", "money"),
        ("£499m", 499e6, "GBP", "money"),
        ("790m euros", 790e6, "EUR", "money"),
        ("100m", 100.0, "m", "quantity"),
        ("10,500m", 10500.0, "m", "quantity"),
        ("40kg", 40.0, "kg", "quantity"),
    }


def test_named_dollars_and_other_currencies() -> None:
    text = "An offer of 3.1bn Australian dollars, later A$2.6bn, then one trillion won."
    figures = figures_of(
        text,
        [("3.1bn Australian dollars", "MONEY"), ("2.6bn", "MONEY"), ("one trillion", "MONEY")],
    )
    got = {(f.text, f.value, f.unit) for f in figures}
    assert got == {
        ("3.1bn Australian dollars", 3.1e9, "AUD"),
        ("A$2.6bn", 2.6e9, "AUD"),  # the "A" of the sign is not the number one
        ("one trillion won", 1e12, "KRW"),
    }


def test_clock_and_race_times_are_not_figures() -> None:
    text = "He ran it in 31:41, polls close at 1200 GMT, the talks start at 10.30am, 5,000 came."
    figures = figures_of(
        text,
        [
            ("31:41", "CARDINAL"),
            ("1200", "CARDINAL"),
            ("10.30am", "CARDINAL"),
            ("5,000", "CARDINAL"),
        ],
    )
    assert [f.text for f in figures] == ["5,000"]


def test_what_a_figure_measures_ends_without_stray_punctuation() -> None:
    sentence = "The firm made a loss of $960m last year, or £499m, after a charge."
    start = sentence.index("£499m")
    assert describe(sentence, start, start + len("£499m")) == "loss of $960m last year"


def test_the_same_sum_in_another_currency_is_not_a_second_figure() -> None:
    text = "Profits rose to $16.2bn (£8.7bn), and an offer of 3.1bn Australian dollars, or A$2.6bn."
    figures = figures_of(
        text,
        [
            ("16.2bn", "MONEY"),
            ("8.7bn", "MONEY"),
            ("3.1bn Australian dollars", "MONEY"),
            ("2.6bn", "MONEY"),
        ],
    )
    assert [f.text for f in figures] == ["$16.2bn", "3.1bn Australian dollars"]
