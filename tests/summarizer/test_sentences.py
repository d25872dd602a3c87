"""Sentence and word splitting without NLTK data, and sumy running on it."""

from __future__ import annotations

from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer

from summarizer.sentences import SumyTokenizer, is_readable, split_sentences, split_words


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


def test_a_quote_cut_from_its_attribution_is_joined_again() -> None:
    text = (
        "The pundit was not impressed. 'Just been watching the game, did you miss the coach? "
        "# RubberDub # 7minutes, ' Merson put on Twitter. The coach did not reply."
    )
    assert split_sentences(text) == [
        "The pundit was not impressed.",
        "'Just been watching the game, did you miss the coach? # RubberDub # 7minutes, ' "
        "Merson put on Twitter.",
        "The coach did not reply.",
    ]


def test_a_closing_quote_before_the_next_sentence_splits_there() -> None:
    text = (
        "She said: 'We are not going anywhere. ' The council disagreed and voted to close it. "
        "'I love it, ' one neighbour said. 'The road is quiet now. ' Others were less sure."
    )
    assert split_sentences(text) == [
        "She said: 'We are not going anywhere. '",
        "The council disagreed and voted to close it.",
        "'I love it, ' one neighbour said.",
        "'The road is quiet now. '",
        "Others were less sure.",
    ]


def test_apostrophes_do_not_split_sentences() -> None:
    text = "The players' vote went to Kane. Fans' groups said 'yes.' Then the club's board met."
    assert split_sentences(text) == [
        "The players' vote went to Kane.",
        "Fans' groups said 'yes.'",
        "Then the club's board met.",
    ]


def test_readable_sentences_exclude_fragments_and_merged_runs() -> None:
    assert is_readable("The council voted to close the road on Monday.")
    assert not is_readable("and then the council voted again.")  # starts mid-sentence
    assert not is_readable("Pictured above.")  # under four words
    assert not is_readable("'We will not give up on this road, '")  # a quote without its speaker
    run = " ".join(["The mayor opened the bridge on Saturday"] * 8) + "."
    assert not is_readable(run)  # 56 words: captions merged with the story


def test_a_caption_run_into_the_next_sentence_is_split_off_and_unreadable() -> None:
    text = (
        "Accused: Dr John Smith, 38, has denied four counts of assault A senior doctor is "
        "accused of groping a nurse. The clinic treats hepatitis A each year. He spoke at the "
        "Crucible The referee then came over to the table."
    )
    caption, lead, *rest = split_sentences(text)
    assert caption == "Accused: Dr John Smith, 38, has denied four counts of assault"
    assert lead == "A senior doctor is accused of groping a nurse."
    # A short tail is not a caption's end; a caption ending in a name is.
    assert rest == [
        "The clinic treats hepatitis A each year.",
        "He spoke at the Crucible",
        "The referee then came over to the table.",
    ]
    assert not is_readable(caption)  # no closing punctuation: a caption, not a sentence
    assert is_readable(lead)


def test_a_name_or_title_before_an_opener_stays_in_its_sentence() -> None:
    whole = [
        "Washington The vote was delayed again by the committee on Monday.",  # a dateline
        "He won two Serie A titles and the FA Cup with his old club.",
        "She starred in the Channel 4 show Faking It and in two films.",
        "The Game's song How We do reached number four in the charts.",
        "Shoua Her said quietly that the past few years had been hard.",
    ]
    for sentence in whole:
        assert split_sentences(sentence) == [sentence]
