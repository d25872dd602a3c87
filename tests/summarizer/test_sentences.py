"""Sentence and word splitting without NLTK data, and sumy running on it."""

from __future__ import annotations

from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer

from summarizer.sentences import SumyTokenizer, split_sentences, split_words


def test_abbreviations_decimals_and_times_do_not_split() -> None:
    text = (
        "The U.S. economy grew 2.5 percent, Mr. Smith said at 9 a.m. on Monday. "
        "Dr. Jones disagreed. Prices rose to $3.50 overnight."
    )
    assert split_sentences(text) == [
        "The U.S. economy grew 2.5 percent, Mr. Smith said at 9 a.m. on Monday.",
        "Dr. Jones disagreed.",
        "Prices rose to $3.50 overnight.",
    ]


def test_quotes_stay_with_their_sentence() -> None:
    text = '"We will win," she said. "The vote is close." He left.'
    assert split_sentences(text) == ['"We will win," she said.', '"The vote is close."', "He left."]


def test_words_are_letters_with_inner_apostrophes_and_hyphens() -> None:
    assert split_words("Xiaomi's 2016 high-tech push, up 30%!") == [
        "Xiaomi's",
        "high-tech",
        "push",
        "up",
    ]


def test_sumy_summarizes_with_our_tokenizer() -> None:
    text = (
        "Solar power grew fast this year. Wind power grew too. "
        "Solar panels are cheaper than ever. Coal plants closed across the region."
    )
    parser = PlaintextParser.from_string(text, SumyTokenizer())
    assert len(parser.document.sentences) == 4
    summary = LexRankSummarizer(Stemmer("english"))(parser.document, 2)
    assert len(summary) == 2
    assert all(str(s) in text for s in summary)
