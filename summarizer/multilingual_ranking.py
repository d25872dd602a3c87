"""Choosing summary sentences in languages other than English: position prior plus centrality.

The English news method is a scorer learned on English features (attribution verbs, capitalised
names, captions); none of that transfers. What does is the shape of news: the lead matters, and
so do the sentences the story is built around. Each sentence scores
``w / (1 + i)^1.5 + (1 - w) * centrality`` (TextRank over the language's content terms, scaled
to its maximum), with ``w = clip(0.8 - 0.6 * (c0 - 0.5), 0.3, 0.9)`` from the lead's centrality
``c0``: a lead that shares little with the story makes word overlap a poor guide, so position
counts more. This is the blend the English method used before its scorer was learned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sumy.nlp.stemmers import Stemmer

from summarizer.languages import LanguageProfile
from summarizer.multilingual_text import content_terms, text_length
from summarizer.ranking import FastLexRank, _textrank_of_counts, _within_budget, term_counts
from summarizer.sentences import sentence_spans

# About 20 seconds of reading in Telegram, as the English budget (90 words): 90 words, or for
# CJK the characters read in that time.
MAX_WORDS = 90
MAX_CJK_CHARS = 150
# Two sentences whose idf-weighted cosine is above this say one thing (as for English).
REDUNDANCY = 0.5
# Outside these lengths (in the language's unit) a sentence is a fragment or a merged run.
READABLE_WORDS = (4, 55)
READABLE_CJK_CHARS = (8, 140)


@dataclass(frozen=True, slots=True)
class ForeignArticle:
    """Sentences, where each sits in the joined paragraphs, and their lengths."""

    sentences: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    lengths: tuple[int, ...]


def split_article(paragraphs: Sequence[str], profile: LanguageProfile) -> ForeignArticle:
    """Split paragraphs into sentences with the language's pysbd rules."""
    sentences: list[str] = []
    spans: list[tuple[int, int]] = []
    offset = 0
    for paragraph in paragraphs:
        for start, end in sentence_spans(paragraph, profile.pysbd):
            sentences.append(paragraph[start:end])
            spans.append((offset + start, offset + end))
        offset += len(paragraph) + 2
    lengths = tuple(text_length(s, profile) for s in sentences)
    return ForeignArticle(tuple(sentences), tuple(spans), lengths)


def _readable(sentence: str, length: int, profile: LanguageProfile) -> bool:
    low, high = READABLE_WORDS if profile.spaced else READABLE_CJK_CHARS
    return low <= length <= high and not sentence[:1].islower()


def rank_foreign(article: ForeignArticle, profile: LanguageProfile) -> list[int]:
    """Sentence indices best first, near-repeats left out, readable sentences before others."""
    count = len(article.sentences)
    if count == 0:
        return []
    counts = term_counts([content_terms(s, profile) for s in article.sentences])
    centrality = _textrank_of_counts(counts)
    centrality = centrality / max(float(centrality.max(initial=0.0)), 1e-12)
    lead_weight = float(np.clip(0.8 - 0.6 * (centrality[0] - 0.5), 0.3, 0.9))
    position = 1.0 / (1.0 + np.arange(count)) ** 1.5
    score = lead_weight * position + (1.0 - lead_weight) * centrality
    similarity = FastLexRank(Stemmer("english")).similarity_of_counts(counts)
    order = [int(i) for i in np.argsort(-score, kind="stable")]
    readable = [
        i for i in order if _readable(article.sentences[i], article.lengths[i], profile)
    ] or order
    ranked: list[int] = []
    for index in readable:
        if any(similarity[index, j] > REDUNDANCY for j in ranked):
            continue
        ranked.append(index)
    return ranked


def select_foreign(
    article: ForeignArticle,
    profile: LanguageProfile,
    max_sentences: int,
    max_chars: int | None,
) -> list[int]:
    """Indices, in article order, of the summary within the character and reading budgets."""
    budget = MAX_WORDS if profile.spaced else MAX_CJK_CHARS
    return _within_budget(
        rank_foreign(article, profile),
        [len(s) for s in article.sentences],
        max_sentences,
        max_chars,
        (list(article.lengths), budget),
    )
