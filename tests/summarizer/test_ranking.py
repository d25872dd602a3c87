"""Every method picks sentences in article order within the budget; the news ranker's parts."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer

from summarizer.cleaning import clean_paragraphs, split_title
from summarizer.errors import UnknownMethodError
from summarizer.ranking import (
    METHODS,
    NEWS_WEIGHTS,
    FastLexRank,
    _stemmer,
    _stop_words,
    build_article,
    news_signals,
    rank_news,
    select_news,
    select_sentences,
    textrank_centrality,
)
from tests.summarizer.articles import WIRE_STORY


@pytest.fixture
def article():  # type: ignore[no-untyped-def]
    _, paragraphs = split_title(clean_paragraphs(WIRE_STORY))
    return build_article(paragraphs)


def test_methods_cover_news_lead_and_every_sumy_algorithm() -> None:
    assert set(METHODS) == {"news", "lead", "lexrank", "textrank", "lsa", "luhn", "sumbasic", "kl"}


@pytest.mark.parametrize("method", METHODS)
def test_every_method_returns_distinct_sentences_in_article_order(article, method) -> None:  # type: ignore[no-untyped-def]
    chosen = select_sentences(article, method=method, max_sentences=3, max_chars=None)
    assert len(chosen) == 3
    assert chosen == sorted(set(chosen))


def test_lead_takes_the_first_sentences(article) -> None:  # type: ignore[no-untyped-def]
    assert select_sentences(article, method="lead", max_sentences=2, max_chars=None) == [0, 1]


@pytest.mark.parametrize("method", ["news", "lexrank", "lead"])
def test_character_budget_is_respected(article, method) -> None:  # type: ignore[no-untyped-def]
    chosen = select_sentences(article, method=method, max_sentences=3, max_chars=150)
    assert chosen
    assert sum(len(article.sentences[i]) for i in chosen) + len(chosen) - 1 <= 150


def test_news_opens_with_the_lead_and_skips_repeats() -> None:
    lead = "The central bank raised interest rates by half a point on Thursday to fight inflation."
    paragraphs = [
        lead,
        lead.replace("Thursday", "Thursday afternoon"),  # a near copy, as wire rewrites carry
        "Shop owners said higher borrowing costs would hurt small businesses this winter.",
        "The governor said further rises were possible if prices kept climbing next year.",
    ]
    chosen = select_sentences(
        build_article(paragraphs), method="news", max_sentences=2, max_chars=None
    )
    assert chosen[0] == 0
    assert 1 not in chosen


def test_unknown_method_is_refused(article) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnknownMethodError, match="unknown summarization method 'bogus'"):
        select_sentences(article, method="bogus", max_sentences=3, max_chars=None)


def test_fast_lexrank_scores_match_sumy(article) -> None:  # type: ignore[no-untyped-def]
    ours = FastLexRank(_stemmer())
    ours.stop_words = _stop_words()
    theirs = LexRankSummarizer(_stemmer())
    theirs.stop_words = _stop_words()
    words = [theirs._to_words_set(s) for s in article.document.sentences]
    matrix = theirs._create_matrix(
        words, theirs.threshold, theirs._compute_tf(words), theirs._compute_idf(words)
    )
    expected = theirs.power_method(matrix, theirs.epsilon)
    np.testing.assert_allclose(ours.rate(article.document), expected, rtol=1e-9, atol=1e-12)


def test_sentence_spans_point_into_the_joined_text(article) -> None:  # type: ignore[no-untyped-def]
    _, paragraphs = split_title(clean_paragraphs(WIRE_STORY))
    text = "\n\n".join(paragraphs)
    for sentence, (start, end) in zip(article.sentences, article.spans, strict=True):
        assert text[start:end] == sentence


def test_two_sentence_texts_rank_without_dividing_by_zero() -> None:
    """Two sentences: idf is 0 or negative for every word; LexRank must still give scores."""
    import warnings

    from summarizer import summarize

    text = (
        "The national grid operator has applied for permission to build a second undersea "
        "interconnector to the north, which would double the capacity for trading electricity "
        "with neighbouring markets by 2031. Construction would start in 2028 if regulators "
        "approve the plan, and the cost is put at 2.3 billion euros, to be recovered through "
        "network charges over forty years."
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        digest = summarize(text, extract=False)
    assert len(digest.sentences) == 2


def test_textrank_centrality_matches_sumy(article) -> None:  # type: ignore[no-untyped-def]
    theirs = TextRankSummarizer(_stemmer())
    theirs.stop_words = _stop_words()
    expected = list(theirs.rate_sentences(article.document).values())
    words = [theirs._to_words_set(s) for s in article.document.sentences]
    np.testing.assert_allclose(textrank_centrality(words), expected, rtol=1e-9, atol=1e-12)


def test_news_passes_over_a_sentence_that_would_overrun_the_word_budget(article) -> None:  # type: ignore[no-untyped-def]
    signals = news_signals(article)
    unlimited = select_news(signals, NEWS_WEIGHTS, 3, None)
    budget = int(sum(signals.words[i] for i in unlimited)) - 1
    chosen = select_news(signals, dataclasses.replace(NEWS_WEIGHTS, max_words=budget), 3, None)
    assert chosen != unlimited
    assert sum(signals.words[i] for i in chosen) <= budget


def test_news_passes_over_picture_captions_but_not_the_lead() -> None:
    paragraphs = [
        "Pictured: The mayor opened the new bridge over the river on Saturday morning with a speech.",
        "The bridge links the two halves of the town for the first time in forty years of debate.",
        "Scroll down for video The mayor opened the bridge over the river, pictured above with crowds.",
        "Engineers said the bridge over the river would carry ten thousand cars a day by next spring.",
    ]
    signals = news_signals(build_article(paragraphs))
    assert list(signals.captions) == [True, False, True, False]
    ranked = rank_news(signals)
    assert ranked[0] == 0
    assert ranked.index(3) < ranked.index(2)
    assert ranked.index(2) > rank_news(
        signals, dataclasses.replace(NEWS_WEIGHTS, caption_factor=1.0)
    ).index(2)
