"""Figures: values normalised, units found, what they measure described, noise dropped."""

from __future__ import annotations

import pytest

from summarizer import summarize
from summarizer.digest import MAX_FIGURES, _named_spans
from summarizer.entities import Mention
from summarizer.figures import RankedFigure, parse_value, rank_figures
from summarizer.ranking import build_article
from tests.benchmarks.bench_figures import FIXTURES, PARTS
from tests.benchmarks.eval_data import read_jsonl


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


def test_a_before_a_number_is_no_one() -> None:
    # Both sums read 1.0 and the second was dropped as the first one's repeat.
    text = "Sales hit a record £1.2bn in the half, and profit hit a record £300m."
    assert sorted(f.value for f in figures_in(text)) == [300e6, 1.2e9]
    assert parse_value("a million") == 1e6


def test_one_letter_scales_count_only_for_money() -> None:
    assert parse_value("£600m", money=True) == pytest.approx(600e6)
    assert parse_value("$5k", money=True) == pytest.approx(5e3)
    assert parse_value("5,000m") == pytest.approx(5000.0)  # a distance, not five billion


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


def figures_in(text: str, *, title: str | None = None, limit: int = 20) -> list[RankedFigure]:
    """The figures of ``text`` with the real model's spans, one sentence a paragraph."""
    paragraphs = text.split("\n\n")
    article = build_article(paragraphs)
    body = "\n\n".join(paragraphs)
    return rank_figures(
        _named_spans(body),
        text=body,
        sentence_spans=article.spans,
        summary_indices=[0],
        limit=limit,
        title=title,
    )


def test_rates_are_compound_units_not_distances_or_sums() -> None:
    text = (
        "A storm with gusts of up to 140 kilometres an hour hit the coast, and the new train "
        "runs at 320 km/h. Brent crude rose to $91.40 a barrel. The board approved a dividend "
        "of 20 cents per share. Nurses will earn £32,900 a year."
    )
    got = {(f.value, f.unit) for f in figures_in(text)}
    assert got >= {
        (140.0, "km/h"),
        (320.0, "km/h"),
        (91.4, "USD/barrel"),
        (0.2, "USD/share"),
        (32900.0, "GBP/year"),
    }


def test_a_rate_per_a_noun_that_ends_the_phrase() -> None:
    text = (
        "Freight rates rose to $2,300 per container. Power traded at €95 a megawatt hour. "
        "The bank paid 12 cents per diluted share. Savers earn 4 per cent. "
        "Bonds pay 3.5% per annum. The deal is worth £3m a company spokesman said. "
        "It raised $2bn per SEC filings. Sales rose 6% per analysts at Barclays."
    )
    got = {(f.value, f.unit) for f in figures_in(text)}
    assert got == {
        (2300.0, "USD/container"),
        (95.0, "EUR/megawatt hour"),
        (0.12, "USD/share"),
        (4.0, "%"),
        (3.5, "%/year"),
        (3e6, "GBP"),  # "a company" is no rate
        (2e9, "USD"),  # "per" as "according to"
        (6.0, "%"),
    }


def test_more_currencies_scales_and_units_the_model_leaves_out() -> None:
    text = (
        "Kudu Foods made ₦9.4 billion on sales of 310.2 billion naira and pays 60 kobo per "
        "share. Plans cost Rs 349 a month. Fares rose to NZ$4.60 in Auckland and to S$2.10 in "
        "Singapore. Deposits grew from $212 billion to $229 billion over the year. The farm "
        "will produce 320 MW of power. Temperatures hit 41.3°C. The bank cut its rate by 50 "
        "basis points."
    )
    got = {(f.text, round(f.value, 4), f.unit) for f in figures_in(text)}
    assert got >= {
        ("₦9.4 billion", 9.4e9, "NGN"),
        ("310.2 billion naira", 310.2e9, "NGN"),
        ("60 kobo per share", 0.6, "NGN/share"),
        ("Rs 349 a month", 349.0, "INR/month"),
        ("NZ$4.60", 4.6, "NZD"),
        ("S$2.10", 2.1, "SGD"),
        ("from $212 billion to $229 billion", 229e9, "USD"),  # the model ends a span at "to"
        ("320 MW", 320.0, "MW"),
        ("41.3°C", 41.3, "°C"),
        ("50 basis points", 50.0, "basis points"),
    }


def test_lakh_and_crore_scale_and_rand_is_money_only_in_lower_case() -> None:
    text = (
        "The state will spend Rs 5,000 crore on roads. Output hit Rs 2.4 lakh crore. "
        "It will cost 3 billion rand. More than 1,200 Rand Paul supporters gathered."
    )
    got = {(f.text, f.value, f.unit) for f in figures_in(text)}
    assert got == {
        ("Rs 5,000 crore", 5e10, "INR"),
        ("Rs 2.4 lakh crore", 2.4e12, "INR"),
        ("3 billion rand", 3e9, "ZAR"),
        ("More than 1,200", 1200.0, None),
    }


def test_a_dash_makes_a_range_only_of_rising_figures_with_a_unit() -> None:
    text = (
        "The firm plans to raise $5-10 million. The Nikkei 225 -1.3% slide hit exporters. "
        "The Hawks lost 98-103."
    )
    figures = figures_in(text)
    raised = next(f for f in figures if f.unit == "USD")
    assert (raised.value, raised.high) == (5e6, 1e7)  # the low end takes the high end's scale
    assert not any(f.value == 225.0 and f.unit == "%" for f in figures)  # an index's name
    assert all(f.high is None for f in figures if f.value == 98.0)  # a score


def test_percent_ranges_the_model_tags_in_part_or_as_a_date() -> None:
    text = "Rents may rise a further 4-6 per cent. Between 35 and 40 per cent of voters agreed."
    assert {(f.text, f.value, f.high) for f in figures_in(text)} == {
        ("4-6 per cent", 4.0, 6.0),
        ("Between 35 and 40 per cent", 35.0, 40.0),
    }


def test_pence_written_against_the_number_are_pounds() -> None:
    text = (
        "The board raised its dividend to 45p per share. Petrol rose by 3p a litre. "
        "Shares closed at 210p. The phone films in 1080p."
    )
    got = {(f.text, round(f.value, 4), f.unit) for f in figures_in(text)}
    assert got == {
        ("45p per share", 0.45, "GBP/share"),
        ("3p a litre", 0.03, "GBP/litre"),  # the model tags no figure here
        ("210p", 2.1, "GBP"),
    }


def test_a_change_in_time_is_a_figure_in_one_unit() -> None:
    (found,) = figures_in("The journey will be cut from 81 minutes to 49 minutes.")
    assert (found.text, found.value, found.unit, found.direction) == (
        "from 81 minutes to 49 minutes",
        49.0,
        "minutes",
        "down",
    )
    # A length in two units is no range, and hours to minutes would read as a rise.
    assert figures_in("The final lasted 2 hours and 30 minutes.") == []
    assert figures_in("Waiting times fell from 3 hours to 50 minutes.") == []


def test_a_range_is_one_figure_from_its_low_end() -> None:
    text = "Economists expect margins of between 5 and 7 percent, and damage of between €150m and €200m."
    figures = figures_in(text)
    assert {(f.text, f.value, f.unit) for f in figures} == {
        ("between 5 and 7 percent", 5.0, "%"),
        ("between €150m and €200m", 150e6, "EUR"),
    }
    assert {f.text: f.high for f in figures} == {
        "between 5 and 7 percent": 7.0,
        "between €150m and €200m": 200e6,
    }
    assert all(f.direction is None for f in figures)  # a range is no change


def test_a_change_is_one_figure_with_its_end_point() -> None:
    text = (
        "The number of 4G connections rose from 51 million to 60 million last year. "
        "The unemployment rate edged up from 4.1% to 4.3%, and advertising sales were up 11%."
    )
    got = {(f.text, f.value, f.unit, f.about) for f in figures_in(text)}
    assert got == {
        ("from 51 million to 60 million", 60e6, None, "4G connections"),
        ("from 4.1% to 4.3%", 4.3, "%", "unemployment rate"),
        ("11%", 11.0, "%", "advertising sales"),
    }
    assert {f.text: (f.direction, f.high) for f in figures_in(text)} == {
        "from 51 million to 60 million": ("up", None),
        "from 4.1% to 4.3%": ("up", None),
        "11%": ("up", None),  # "were up 11%"
    }


def test_the_words_before_a_figure_say_which_way_it_moved() -> None:
    text = (
        "Exports fell 12 percent in the quarter. Imports saw a rise of 4 percent. "
        "Sales dropped from 9 million to 7 million. The firm employs 3,000 workers."
    )
    assert {f.text: f.direction for f in figures_in(text)} == {
        "12 percent": "down",
        "4 percent": "up",
        "from 9 million to 7 million": "down",
        "3,000": None,  # a count, not a change
    }


@pytest.mark.parametrize(
    ("sentence", "figure", "label"),
    [
        ("Google's quarterly profit rose to $204m in the three months to June.", "$204m",
         "Google's quarterly profit"),
        ("The firm filed for over 7,000 patents globally last year alone.", "7,000", "patents"),
        ("Water cools the panels and raises their output by about 5 percent.", "5 percent",
         "output"),
        ("The council backed a plan that will cost 18 million dollars.", "18 million", "plan"),
        ("Airlines spend about 25 percent of their costs on fuel.", "25 percent", "costs"),
        ("He signed a contract worth £300,000 a week.", "£300,000", "contract"),
        # Junk from real digests: a clause, a lone adverb, a verb. No label beats these.
        ("Prices rose 2.6 percent, the office said, saying inflation had cooled in October.",
         "2.6 percent", "Prices"),
        ("Buyers need £17,800 more, rather than less.", "£17,800", "Buyers"),
        ("It announced $204m on Tuesday.", "$204m", None),
        # What a sum is spent on, set aside for or put in; not a place or a time.
        ("The operator will spend £640m on a new signalling system.", "£640m",
         "new signalling system"),
        ("The lender set aside £2.2bn for bad debts.", "£2.2bn", "bad debts"),
        ("The island asked for €30m in food aid.", "€30m", "food aid"),
        ("It spent $40m in Ohio in the first half.", "$40m", None),
        ("The retailer made $3bn in sales.", "$3bn", "sales"),
        ("It will invest $12bn in two battery plants.", "$12bn", "battery plants"),
        # How, when or where a sum was paid is not what it measures.
        ("The club paid £5m in cash for the striker.", "£5m", "club"),
        ("The club spent £20m in the summer.", "£20m", "club"),
        # Only sums are named so: a share price rises "in early trading".
        ("Shares rose 5% in early trading.", "5%", "Shares"),
        # "at" a figure and "up" a figure say what the object is at or what rose.
        ("The regulator put the default rate at 2.4 per cent.", "2.4 per cent", "default rate"),
        ("The airline kept its annual dividend at $0.40 per share.", "$0.40", "annual dividend"),
        ("The brewer reported a pre-tax profit of £212m, up 11% on the year before.", "11%",
         "pre-tax profit"),
        ("Gold traded at $2,410 an ounce on Friday morning.", "$2,410", "Gold"),
        ("The player will get $95 million in guaranteed money.", "$95 million",
         "guaranteed money"),
        # Not an object that is the figure, a record or a time: then the subject.
        ("Turnover hit £5bn last year, up 8%.", "8%", "Turnover"),
        ("Gold hit a record high at $2,400 an ounce.", "$2,400", "Gold"),
        ("The index closed the session up 3%.", "3%", "index"),
        ("It paid ₦2.5bn in money for the project.", "₦2.5bn", None),  # "money" alone
        # The object of "raised ... to" comes before what a sum is for.
        ("The council raised council tax to £2,100 for a band D home.", "£2,100", "council tax"),
        # What a verb changed to a figure: the object, not who changed it.
        ("The chain raised its minimum wage to £11.90 an hour.", "£11.90", "minimum wage"),
        # "time" alone names nothing, "waiting time" does.
        ("Waiting times fell from 95 minutes to 40 minutes.", "95 minutes", "Waiting times"),
    ],
)  # fmt: skip
def test_what_a_figure_measures_is_a_short_noun_phrase_or_nothing(
    sentence: str, figure: str, label: str | None
) -> None:
    found = next(f for f in figures_in(sentence) if figure in f.text)
    assert (found.about or None) == label


def test_a_fact_box_pairs_each_label_with_the_number_after_it() -> None:
    text = (
        "The striker joined the club on Monday after a long season abroad.\n\n"
        "Age 22 Goals 37 Appearances 118"
    )
    got = {(f.value, f.about) for f in figures_in(text)}
    assert got == {(22.0, "Age"), (37.0, "Goals"), (118.0, "Appearances")}


def test_summary_and_title_figures_come_first() -> None:
    text = (
        "The carmaker sold 2.1 million vehicles and will cut 4,000 jobs.\n\n"
        "Its factories have 90,000 robots and 35,000 parking spaces.\n\n"
        "A museum at its old site drew 310,000 visitors and sold 12,000 books."
    )
    figures = figures_in(text, title="Carmaker to cut 4,000 jobs", limit=3)
    assert [f.value for f in figures] == [4000.0, 2.1e6, 90000.0]


def test_a_digest_shows_at_most_three_figures() -> None:
    text = " ".join(
        f"The {place} plant made {n},500 cars and hired {n}00 workers." for place, n in
        (("north", 3), ("south", 4), ("east", 5), ("west", 6), ("river", 7), ("hill", 8))
    )  # fmt: skip
    digest = summarize("Plants report output\n\n" + text)
    assert len(digest.figures) == MAX_FIGURES == 3


def test_sums_with_a_sign_the_model_missed_and_unit_words_it_left_out() -> None:
    # The small model tags "67bn" of "£67bn" as an ordinal and misses "$12bn" altogether;
    # "4.2 billion gigabytes" it tags as a bare number and "a year earlier" is no rate.
    text = (
        "The high-speed rail line will cost £67bn, a committee of MPs said. "
        "It plans to invest $12bn in two battery plants. "
        "Mobile data use grew to 4.2 billion gigabytes. "
        "Electric models made up 22 percent of deliveries, up from 15 percent a year earlier."
    )
    got = {(f.value, f.unit) for f in figures_in(text)}
    assert got >= {(67e9, "GBP"), (12e9, "USD"), (4.2e9, "gigabytes"), (15.0, "%")}


def test_every_labelled_figure_is_written_in_its_story() -> None:
    """A labelled figure the story does not hold could never be found: recall would drop."""
    for part in PARTS:
        for row in read_jsonl(FIXTURES / part):
            story = f"{row['title']}\n{row['text']}"
            for figure in row["figures"]:
                assert figure["text"] in story, (part, row["id"], figure["text"])
                numbers = [figure["value"], figure.get("high", 0), figure.get("from", 0)]
                assert all(isinstance(n, int | float) for n in numbers), (row["id"], figure)
