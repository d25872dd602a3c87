"""Every method picks sentences in article order within the budget; the news ranker's parts."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer

from summarizer.cleaning import clean_paragraphs, split_title
from summarizer.errors import UnknownMethodError
from summarizer.news_scorer import NewsScorer, news_scorer
from summarizer.ranking import (
    METHODS,
    FastLexRank,
    _stemmer,
    _stop_words,
    build_article,
    news_features,
    select_news,
    select_sentences,
    textrank_centrality,
)
from summarizer.sentence_features import FEATURE_NAMES
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
    features = news_features(article)
    unlimited = select_news(features, news_scorer(), 3, None)
    budget = int(sum(features.words[i] for i in unlimited)) - 1
    smaller = dataclasses.replace(news_scorer(), max_words=budget)
    chosen = select_news(features, smaller, 3, None)
    assert chosen != unlimited
    assert sum(features.words[i] for i in chosen) <= budget


def test_the_shipped_weights_cover_every_feature_in_order() -> None:
    scorer = news_scorer()
    assert scorer.weights.shape == scorer.mean.shape == scorer.scale.shape == (len(FEATURE_NAMES),)
    assert np.all(scorer.scale > 0)
    # Learned, not the placeholder: the position prior and centrality both carry weight.
    assert np.count_nonzero(scorer.weights) == len(FEATURE_NAMES)


def test_weights_for_other_features_are_refused_with_what_to_do() -> None:
    lexicon = news_scorer().lexicon
    data = news_scorer().to_dict()
    assert NewsScorer.from_dict(data, lexicon).to_dict() == data  # a round trip is accepted
    reordered = data | {"features": [*data["features"][1:], data["features"][0]]}
    # A file from before the lexicon: its trees read 31 columns, not 32.
    older = {key: value for key, value in data.items() if key != "tree_features"}
    for stale in (reordered, older):
        with pytest.raises(ValueError, match=r"run tests/benchmarks/train_news_scorer\.py again"):
            NewsScorer.from_dict(stale, lexicon)


def test_news_leaves_out_merged_runs_and_fragments() -> None:
    merged = (
        "Ronnie O'Sullivan is spoken to by the referee in his second round match against Matthew "
        "Stevens O'Sullivan is spoken to by the referee in his match against Stevens at the "
        "Crucible The referee approached O'Sullivan as he walked to the table when Stevens missed "
        "a red, telling O'Sullivan he had noticed his hand gesture at the table in the match."
    )
    paragraphs = [
        merged,
        "and then the referee spoke to O'Sullivan again.",
        "O'Sullivan was warned by the referee about his behaviour at the Crucible table.",
        "The five-time world champion leads Stevens 12-4 in the second round match.",
        "O'Sullivan needs one more frame against Stevens to reach the quarter-finals.",
    ]
    article = build_article(paragraphs)
    # The story's sentence is cut off the two captions run together before it (a caption ending
    # in a name, "at the Crucible The referee"); the captions stay one merged run.
    assert len(article.sentences) == 6
    assert article.sentences[1].startswith("The referee approached O'Sullivan")
    chosen = select_sentences(article, method="news", max_sentences=3, max_chars=None)
    assert 0 not in chosen and 2 not in chosen  # the captions and the fragment
    assert len(chosen) == 3


def test_news_leaves_out_captions_while_story_sentences_remain() -> None:
    paragraphs = [
        "Flying high: Half of the kite took to the sky over the festival in Chongqing on Saturday.",
        "A team from Weifang brought a kite of 6,000 metres to the festival to set a record.",
        "Organisers grounded it after an hour because it could endanger passing aircraft.",
        "Skilful: The kite weighs 200 kilograms and needs twenty people to launch it safely.",
        "The team says it will try again at a coastal festival next spring, away from airports.",
    ]
    article = build_article(paragraphs)
    features = news_features(article)
    assert features.readable == (False, True, True, False, True)
    assert select_sentences(article, method="news", max_sentences=3, max_chars=None) == [1, 2, 4]
