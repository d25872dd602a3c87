"""Cheap per-sentence features for the news scorer: position, length, centrality, title, names.

Every feature is a regex, a count or a small matrix product over the article's term counts, so a
summary stays in milliseconds; nothing here needs the spaCy model. The order of FEATURE_NAMES is
the order of the learned weights in news_scorer.json (the loader checks the names match).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from summarizer.sentences import is_readable

FEATURE_NAMES: tuple[str, ...] = (
    "first",  # the article's first sentence
    "inverse_position",  # 1 / (1 + index)
    "relative_position",  # index / sentences
    # One indicator for each of the next five places: the lead's pull is not a smooth curve.
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "log_position",
    "position_in_long_article",  # log(sentences) / (1 + index): a long story's lead matters more
    "paragraph_first",  # opens its paragraph
    "inverse_paragraph",  # 1 / (1 + paragraph index)
    "single_sentence_paragraph",
    "log_words",
    "short",  # under 10 words: fragments, datelines, teasers
    "long",  # over 40 words: merged captions and run-ons
    "very_long",  # over 50
    "centrality",  # TextRank, scaled so the most central sentence is 1
    "mean_similarity",  # LexRank's idf-cosine to the other sentences, averaged
    "similarity_to_first",
    "title_overlap",  # share of the headline's content words the sentence has
    "paragraph_title_overlap",  # the same for its whole paragraph: finds a feature's nut graf
    "best_title_paragraph",  # the paragraph that shares most with the headline
    "numbers",
    "capitalised",  # share of words, after the first, that are capitalised: names
    "quote",
    "opens_with_quote",
    "attribution",  # "said", "says", "told", "according to"
    "caption",
    "question",
    "first_person",  # I, we, my, our outside quotes: opinion and feature voice
)

# Daily Mail picture captions run into the story without a full stop ("Tragic: The man, only
# named as Mr Zhang, was ...", "Scroll down for video"); a reader should not get them as summary.
_CAPTION = re.compile(
    r"Scroll down for video|\bCLICK HERE\b|\bREAD MORE\b|\(pictured"
    r"|\bpictured (?:above|below|left|right|centre|center|here)"
    r"|^[A-Z][\w'’-]*(?: [\w'’-]+){0,3}: (?=[A-Z‘'\"“])"
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_QUOTE = re.compile(r"[\"“”]|(?:^|\s)['‘]|['’](?:\s|$)")
_OPENING_QUOTE = re.compile(r"^[\"“'‘]")
_ATTRIBUTION = re.compile(r"\b(?:said|says|told|according to|added|explained)\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:I|we|my|our|us)\b")
_CAPITALISED = re.compile(r"\s[A-Z][a-z]")


@dataclass(frozen=True, slots=True)
class SentenceFeatures:
    """The scorer's inputs for one article, and the similarity its redundancy check needs."""

    matrix: NDArray[np.float64]  # sentences × FEATURE_NAMES
    similarity: NDArray[np.float64]  # LexRank's idf-modified cosine of every pair
    words: NDArray[np.float64]  # words as a reader counts them (whitespace-separated)
    chars: tuple[int, ...]
    # sentences.is_readable, and no caption: on cnn_train the oracle picks a caption-like sentence
    # (a label and colon, "pictured", "Scroll down") at 0.36 times the chance rate, less often
    # than the merged runs is_readable already leaves out (0.51), and Daily Mail pages have many.
    readable: tuple[bool, ...]
    sentences: tuple[str, ...]  # their text, which the scorer's lexicon reads
    title_size: int = 0  # the headline's distinct content words; 0 without a headline


def is_caption(sentence: str) -> bool:
    """True when ``sentence`` reads like a picture caption or a video teaser."""
    return bool(_CAPTION.search(sentence))


def _overlap(stems: Sequence[set[str]], title: set[str]) -> NDArray[np.float64]:
    if not title:
        return np.zeros(len(stems))
    return np.array([len(s & title) / len(title) for s in stems])


def sentence_features(
    sentences: Sequence[str],
    paragraph_of: Sequence[int],
    stems: Sequence[Sequence[str]],
    title_stems: Sequence[str],
    centrality: NDArray[np.float64],
    similarity: NDArray[np.float64],
) -> SentenceFeatures:
    """Compute every feature of every sentence.

    ``stems`` are each sentence's content words (stemmed, stop words out) as the LexRank and
    TextRank matrices use them; ``title_stems`` the headline's, empty when there is none.
    """
    count = len(sentences)
    index = np.arange(count, dtype=np.float64)
    paragraphs = np.asarray(paragraph_of, dtype=np.int64)
    opens = np.ones(count, dtype=bool)
    opens[1:] = paragraphs[1:] != paragraphs[:-1]
    sizes = np.bincount(paragraphs)[paragraphs] if count else np.zeros(0, dtype=np.int64)
    words = np.array([len(s.split()) for s in sentences], dtype=np.float64)
    stem_sets = [set(s) for s in stems]
    title = set(title_stems)
    paragraph_stems: dict[int, set[str]] = {}
    for paragraph, sentence_stems in zip(paragraphs.tolist(), stem_sets, strict=True):
        paragraph_stems.setdefault(paragraph, set()).update(sentence_stems)
    by_paragraph = {p: len(s & title) / max(len(title), 1) for p, s in paragraph_stems.items()}
    paragraph_overlap = np.array([by_paragraph[p] for p in paragraphs.tolist()])
    best = max(by_paragraph.values(), default=0.0)
    off_diagonal = similarity - np.diag(np.diag(similarity)) if count else similarity

    def per_sentence(test: Callable[[str], float]) -> NDArray[np.float64]:
        return np.array([test(s) for s in sentences], dtype=np.float64)

    columns = {
        "first": (index == 0).astype(np.float64),
        "inverse_position": 1.0 / (1.0 + index),
        "relative_position": index / max(count, 1),
        "second": (index == 1).astype(np.float64),
        "third": (index == 2).astype(np.float64),
        "fourth": (index == 3).astype(np.float64),
        "fifth": (index == 4).astype(np.float64),
        "sixth": (index == 5).astype(np.float64),
        "log_position": np.log1p(index),
        "position_in_long_article": np.log(max(count, 1)) / (1.0 + index),
        "paragraph_first": opens.astype(np.float64),
        "inverse_paragraph": 1.0 / (1.0 + paragraphs),
        "single_sentence_paragraph": (sizes == 1).astype(np.float64),
        "log_words": np.log1p(words),
        "short": (words < 10).astype(np.float64),
        "long": (words > 40).astype(np.float64),
        "very_long": (words > 50).astype(np.float64),
        "centrality": centrality,
        "mean_similarity": off_diagonal.sum(axis=1) / max(count - 1, 1),
        "similarity_to_first": off_diagonal[:, 0] if count else np.zeros(0),
        "title_overlap": _overlap(stem_sets, title),
        "paragraph_title_overlap": paragraph_overlap,
        "best_title_paragraph": ((paragraph_overlap == best) & (best > 0)).astype(np.float64),
        "numbers": per_sentence(lambda s: min(len(_NUMBER.findall(s)), 3) / 3),
        "capitalised": per_sentence(
            lambda s: len(_CAPITALISED.findall(s)) / max(len(s.split()) - 1, 1)
        ),
        "quote": per_sentence(lambda s: float(bool(_QUOTE.search(s)))),
        "opens_with_quote": per_sentence(lambda s: float(bool(_OPENING_QUOTE.match(s)))),
        "attribution": per_sentence(lambda s: float(bool(_ATTRIBUTION.search(s)))),
        "caption": per_sentence(lambda s: float(is_caption(s))),
        "question": per_sentence(lambda s: float(s.rstrip("\"'”’ ").endswith("?"))),
        "first_person": per_sentence(lambda s: float(bool(_FIRST_PERSON.search(s)))),
    }
    matrix = (
        np.column_stack([columns[name] for name in FEATURE_NAMES])
        if count
        else np.zeros((0, len(FEATURE_NAMES)))
    )
    return SentenceFeatures(
        matrix=matrix,
        similarity=similarity,
        words=words,
        chars=tuple(len(s) for s in sentences),
        readable=tuple(is_readable(s) and not is_caption(s) for s in sentences),
        title_size=len(title),
        sentences=tuple(sentences),
    )
