"""summarize() end to end with the real spaCy model: digest content, errors, JSON, threads."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from summarizer import (
    METHODS,
    SUMMARIZER_VERSION,
    Digest,
    EmptyTextError,
    Figure,
    SummarizerError,
    TextTooShortError,
    UnknownMethodError,
    UnsupportedLanguageError,
    english_pipeline,
    summarize,
)
from tests.summarizer.articles import (
    FLATTENED_PAGE,
    HTML_STORY,
    SHORT_STORY,
    THAI_STORY,
    WIRE_STORY,
)


def test_wire_story_digest() -> None:
    digest = summarize(WIRE_STORY)
    assert digest.title == "Harbour city opens floating solar farm"
    assert digest.sentences[0].startswith("Portugal's largest floating solar farm opened")
    assert len(digest.sentences) == 3
    entities = {e.text: e for e in digest.entities}
    assert entities["Marta Reis"].kind == "person"
    assert entities["Marta Reis"].mentions == 5  # "Marta Reis", "Reis", "Mr. Reis's"
    assert entities["Lumen Energia"].kind == "organisation"
    assert entities["Portugal"].kind == "place"
    assert digest.entities[0].text == "Marta Reis"
    # At most three figures, those of the summary's sentences first.
    figures = {f.text: f for f in digest.figures}
    assert list(figures) == ["6.5 million euros", "30 percent", "about 5 percent"]
    assert (figures["6.5 million euros"].value, figures["6.5 million euros"].unit) == (6.5e6, "EUR")
    assert (figures["30 percent"].unit, figures["30 percent"].about) == ("%", "power")
    assert (figures["about 5 percent"].kind, figures["about 5 percent"].about) == (
        "percent",
        "output",
    )
    assert not any(f.text in ("2027", "eight") for f in digest.figures)
    assert (digest.language, digest.method, digest.version) == (
        "en",
        "news",
        SUMMARIZER_VERSION,
    )
    assert digest.reading_minutes == 1


def test_html_story_digest() -> None:
    digest = summarize(HTML_STORY, max_sentences=2)
    assert digest.title == "Council approves new cycle lanes"
    assert len(digest.sentences) == 2
    assert "Joan Park" in {e.text for e in digest.entities}
    assert {(f.value, f.unit) for f in digest.figures} >= {
        (18e6, "USD"),
        (40.0, "kilometres"),
        (12.0, "%"),
    }


def test_a_given_title_is_not_repeated_as_a_sentence() -> None:
    digest = summarize(WIRE_STORY, title="Harbour city opens floating solar farm")
    assert digest.title == "Harbour city opens floating solar farm"
    assert all("Harbour city" not in s for s in digest.sentences)


def test_character_budget_for_telegram() -> None:
    digest = summarize(WIRE_STORY, max_chars=250, extract=False)
    assert 0 < len(" ".join(digest.sentences)) <= 250
    assert digest.entities == () and digest.figures == ()


def test_a_budget_smaller_than_any_sentence_shortens_the_best_one() -> None:
    digest = summarize(WIRE_STORY, max_chars=60, extract=False)
    [sentence] = digest.sentences
    assert len(sentence) <= 60
    assert sentence.startswith("Portugal's largest floating solar farm") and sentence.endswith(" …")


@pytest.mark.parametrize("method", METHODS)
def test_every_method_is_selectable_by_name(method: str) -> None:
    digest = summarize(WIRE_STORY, method=method, extract=False)
    assert digest.method == method
    assert len(digest.sentences) == 3


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("   \n\n ", EmptyTextError, "nothing to summarize: the text is empty"),
        (SHORT_STORY, TextTooShortError, "text too short to summarize: 14 words"),
        (
            THAI_STORY,
            UnsupportedLanguageError,
            "Thai is not supported yet; the story is stored and shown with its feed's description",
        ),
        ("<p>Video PlayerClose</p><p>KEY WORDS: none</p>", EmptyTextError, "nothing to summarize"),
        (
            " ".join(["Zqx vrp-4 kwt 88 jjb, mmr qtt 19; plo zzq."] * 12),
            UnsupportedLanguageError,
            "Its language could not be recognised; the story is stored and shown with its feed's "
            "description",
        ),
    ],
)
def test_unusable_input_raises_a_readable_error(
    text: str, error: type[SummarizerError], message: str
) -> None:
    with pytest.raises(error) as raised:
        summarize(text)
    assert isinstance(raised.value, SummarizerError)
    assert str(raised.value).startswith(message)


def test_unknown_method_names_the_choices() -> None:
    with pytest.raises(UnknownMethodError, match="choose one of news, lead, lexrank"):
        summarize(WIRE_STORY, method="magic")


def test_digest_round_trips_through_json() -> None:
    digest = summarize(WIRE_STORY)
    data = json.loads(json.dumps(digest.to_dict()))
    assert Digest.from_dict(data) == digest
    assert set(data["entities"][0]) == {"text", "kind", "mentions"}
    assert set(data["figures"][0]) == {
        "text",
        "value",
        "unit",
        "kind",
        "about",
        "high",
        "direction",
    }
    # Digests stored before 1.4.0 have neither key and still load.
    old = {k: v for k, v in data["figures"][0].items() if k not in ("high", "direction")}
    assert Figure.from_dict(old).high is None


def test_a_ten_megabyte_paste_is_bounded() -> None:
    paragraph = "The council said the new bridge would open in May after two years of work. " * 10
    digest = summarize("\n\n".join([paragraph] * 14_000), extract=False)  # about 10.6 MB
    assert digest.word_count < 12_000  # cut to the story cap, not 2 million words
    assert len(digest.sentences) == 1  # the rest repeat it


def test_model_loads_once_and_threads_agree_with_serial_runs() -> None:
    assert english_pipeline() is english_pipeline()
    assert set(english_pipeline().pipe_names) == {"ner"}
    texts = [WIRE_STORY, HTML_STORY] * 4
    serial = [summarize(t) for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(summarize, texts))
    assert threaded == serial


def test_a_summary_holds_no_fragment_merged_run_or_furniture() -> None:
    for max_sentences in (3, 6):
        sentences = summarize(FLATTENED_PAGE, max_sentences=max_sentences, extract=False).sentences
        assert sentences, "the page has a story to summarize"
        text = " ".join(sentences)
        for furniture in ("Scroll down", "Getty", "Photograph", "Media playback", "Cleared:"):
            assert furniture not in text
        for sentence in sentences:
            assert re.search(r"[.!?]['’\"”]?$", sentence), sentence  # no caption or cut quote
            assert not re.search(r"[.!?] ['’] [A-Z]", sentence), sentence  # no ". ' The" run
            assert not sentence.endswith(", '"), sentence  # no quote awaiting its speaker


def test_a_change_reads_with_its_direction() -> None:
    assert Figure("3%", 3.0, "%", "percent", "prices", direction="up").shown() == "up 3%"
    assert Figure("12 percent", 12.0, "%", "percent", "", direction="down").shown() == (
        "down 12 percent"
    )
    change = Figure("from 51 million to 60 million", 60e6, None, "count", "", direction="up")
    assert change.shown() == "from 51 million to 60 million"  # it says so itself
    assert Figure("4 percent", 4.0, "%", "percent", "").shown() == "4 percent"
