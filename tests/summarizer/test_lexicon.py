"""The news scorer's lexicon reads a sentence as the scikit-learn model it was fitted as."""

from __future__ import annotations

import numpy as np
import pytest

from summarizer.lexicon import BUCKETS, Lexicon, bucket, ngrams
from summarizer.sentence_features import sentence_features
from tests.benchmarks import train_news_scorer as training

_TRAINING = [
    ["A man, 35, was jailed for 12 years on Friday.", "He told the court he was sorry."],
    ["The mother of two died in hospital.", "It comes as police told the newspaper."],
    ["A woman, 40, was jailed for life.", "The judge told the court it was cruel."],
    ["Two men died in hospital after the crash.", "Police told the paper they were sorry."],
    ["A boy, 17, was jailed on Monday.", "His lawyer told the paper it was unjust."],
]


def _story(key: str, sentences: list[str], labels: list[float]) -> training.Story:
    features = sentence_features(
        sentences, [0] * len(sentences), [s.split() for s in sentences], [], np.zeros(2), np.eye(2)
    )
    return training.Story(key, tuple(sentences), features, "", np.array(labels))


@pytest.mark.filterwarnings("ignore:scipy.optimize.*iprint:DeprecationWarning")
def test_the_lexicon_scores_sentences_as_scikit_learn_does() -> None:
    stories = [_story(str(n), pair, [1.0, 0.0]) for n, pair in enumerate(_TRAINING)]
    model = training.lexicon_model(stories)
    lexicon = training.fit_lexicon(stories)
    probe = [
        "A man, 29, was jailed for 8 years.",  # digits read as 0: "00 years" is known
        "Police told the court.",
        "Nothing here was ever seen before.",  # one known word
        "Zebras!",  # no known word: the intercept alone
        "WAS JAILED was jailed — «jailed»",  # case, repeats and other punctuation
        "",
    ]
    expected = model.decision_function(training.LEXICON_VECTORIZER.transform(probe))
    assert np.allclose(lexicon.score(probe), expected, atol=1e-5)
    assert lexicon.score(["Zebras!"])[0] == lexicon.intercept == np.float32(model.intercept_[0])
    # What the fit learned is what the lexicon is for: the highlight's words weigh for it.
    assert lexicon.weight_of("was jailed") > 0 > lexicon.weight_of("told the")


def test_ngrams_fall_in_the_buckets_scikit_learn_puts_them_in() -> None:
    sentence = "Café owner, 52, fined £1,200 — «again» in Zürich"
    row = training.LEXICON_VECTORIZER.transform([sentence])
    assert sorted(row.indices.tolist()) == sorted({bucket(g) for g in ngrams(sentence)})
    assert all(0 <= bucket(g) < BUCKETS for g in ngrams(sentence))


def test_ngrams_are_words_of_two_letters_or_more_and_their_adjacent_pairs() -> None:
    assert ngrams("£3.5m for a 2014 deal") == {
        "0m", "for", "0m for", "0000", "for 0000", "deal", "0000 deal",
    }  # fmt: skip


def test_a_lexicon_survives_its_file_and_a_wrong_sized_one_is_refused() -> None:
    weights = np.zeros(BUCKETS, dtype=np.float32)
    weights[bucket("was jailed")] = 0.75
    read = Lexicon.from_array(Lexicon(-1.5, weights).to_array())
    assert read.intercept == -1.5 and read.weight_of("was jailed") == 0.75
    with pytest.raises(ValueError, match="train_news_scorer"):
        Lexicon.from_array(np.zeros(10, dtype=np.float32))


def test_a_lone_surrogate_neither_crashes_nor_counts() -> None:
    # mmh3 5.3 kills the process on a str holding one; text off the wire may (JSON "\ud800").
    assert 0 <= bucket("\ud800") < BUCKETS
    lexicon = Lexicon(0.5, np.ones(BUCKETS, dtype=np.float32))
    assert lexicon.score(["\ud800"])[0] == 0.5
    assert ngrams("jailed \ud800 again") == {"jailed", "again", "jailed again"}
