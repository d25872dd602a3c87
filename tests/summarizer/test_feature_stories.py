"""A feature's summary states its point, found with the headline, not the scene it opens on."""

from __future__ import annotations

import pytest

from summarizer import summarize
from summarizer.ranking import build_article, news_features, nut_graf
from tests.summarizer.articles import FEATURE_STORY, seed_path


def test_the_summary_of_a_feature_names_its_subject_not_only_the_opening_scene() -> None:
    digest = summarize(FEATURE_STORY, extract=False)
    summary = " ".join(digest.sentences)
    assert "solar milk coolers" in summary  # what the headline says the story is about
    assert "dairy cooperatives" in summary
    assert "lamplight" not in summary and "second cow" not in summary  # the opening scene


def test_a_news_lead_that_repeats_the_headline_is_no_feature() -> None:
    title, *paragraphs = [p for p in FEATURE_STORY.split("\n\n") if p.strip()]
    # The same story told news-style: the point first.
    news_order = [paragraphs[2], paragraphs[0], paragraphs[1], *paragraphs[3:]]
    assert nut_graf(news_features(build_article(news_order), title)) is None
    assert nut_graf(news_features(build_article(paragraphs), title)) is not None
    assert nut_graf(news_features(build_article(paragraphs), None)) is None  # no headline


@pytest.mark.skipif(seed_path() is None, reason="../shared/seeds is not present")
def test_the_seed_feature_summary_names_chinese_tech_firms_and_the_belt_and_road() -> None:
    seed = seed_path()
    assert seed is not None
    summary = " ".join(summarize(seed.read_text(encoding="utf-8"), extract=False).sentences)
    assert "Belt and Road" in summary
    assert "Chinese high-tech companies" in summary
    # The opening's one fan is the scene, not the point.
    assert "Evgeny" not in summary
