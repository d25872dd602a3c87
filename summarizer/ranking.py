"""Choosing the summary sentences: every sumy algorithm by name, Lead-N, and the news method."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from summarizer.errors import UnknownMethodError
from summarizer.news_scorer import NewsScorer, news_scorer
from summarizer.sentence_features import FEATURE_NAMES, SentenceFeatures, sentence_features
from summarizer.sentences import SumyTokenizer, sentence_spans

_SUMY_CLASSES: dict[str, Callable[[Any], Any]] = {
    "lexrank": LexRankSummarizer,
    "textrank": TextRankSummarizer,
    "lsa": LsaSummarizer,
    "luhn": LuhnSummarizer,
    "sumbasic": SumBasicSummarizer,
    "kl": KLSummarizer,
}
METHODS: tuple[str, ...] = ("news", "lead", *_SUMY_CLASSES)


@dataclass(frozen=True, slots=True)
class Article:
    """The story as sumy sees it, plus where each sentence sits."""

    document: ObjectDocumentModel
    sentences: tuple[str, ...]
    # Character offsets of each sentence in the paragraphs joined by blank lines.
    spans: tuple[tuple[int, int], ...]
    # The paragraph each sentence belongs to, counted from 0.
    paragraph_of: tuple[int, ...]


def build_article(paragraphs: Sequence[str]) -> Article:
    """Split paragraphs into sentences and wrap them in sumy's document model."""
    tokenizer = SumyTokenizer()
    sumy_paragraphs = []
    texts: list[str] = []
    spans: list[tuple[int, int]] = []
    paragraph_of: list[int] = []
    offset = 0
    for paragraph_index, paragraph in enumerate(paragraphs):
        local = sentence_spans(paragraph)
        sentences = [paragraph[start:end] for start, end in local]
        paragraph_of.extend([paragraph_index] * len(sentences))
        spans.extend((offset + start, offset + end) for start, end in local)
        offset += len(paragraph) + 2
        texts.extend(sentences)
        sumy_paragraphs.append(Paragraph([Sentence(s, tokenizer) for s in sentences]))
    return Article(
        ObjectDocumentModel(sumy_paragraphs), tuple(texts), tuple(spans), tuple(paragraph_of)
    )


@functools.cache
def _stemmer() -> Callable[[str], str]:
    # Snowball stemming is most of sumy's word handling; a news story repeats its words, so
    # remembering stems (lru_cache is thread-safe) roughly halves the cost of a summary.
    stem: Callable[[str], str] = functools.lru_cache(maxsize=200_000)(Stemmer("english"))
    return stem


@functools.cache
def _stop_words() -> frozenset[str]:
    return frozenset(get_stop_words("english"))


def term_counts(sentences_words: Sequence[Sequence[str]]) -> NDArray[np.float64]:
    """A sentences × vocabulary matrix of how often each word occurs in each sentence.

    Both centralities of the news method start from it, so an article's is built once.
    """
    vocabulary: dict[str, int] = {}
    for words in sentences_words:
        for word in words:
            vocabulary.setdefault(word, len(vocabulary))
    counts = np.zeros((len(sentences_words), max(len(vocabulary), 1)))
    for row, words in enumerate(sentences_words):
        for word in words:
            counts[row, vocabulary[word]] += 1
    return counts


class FastLexRank(LexRankSummarizer):  # type: ignore[misc]
    """sumy's LexRank with its similarity matrix computed in numpy instead of nested Python loops.

    Same tf (divided by the sentence's max), idf (log n / (1 + df)), idf-modified cosine,
    threshold and power method as sumy; only the arithmetic is vectorised, which makes it
    several times faster on a news article and lets the news method reuse the scores.
    """

    def _to_words_set(self, sentence: Sentence) -> list[str]:
        """sumy's own, without its two method calls a word (normalize_word, then stem_word,
        which normalises again): the same lower-cased words, stop words out, through the same
        stemmer. A tenth of a summary's time went to those calls."""
        stop_words = self._stop_words
        stem = self._stemmer
        return [
            stem(word) for word in (w.lower() for w in sentence.words) if word not in stop_words
        ]

    def rate(self, document: ObjectDocumentModel) -> NDArray[np.float64]:
        sentences_words = [self._to_words_set(s) for s in document.sentences]
        if not sentences_words:
            return np.zeros(0)
        return self.rate_similarity(self.similarity(sentences_words))

    def rate_similarity(self, matrix: NDArray[np.float64]) -> NDArray[np.float64]:
        """Run sumy's thresholding and power method on a similarity matrix."""
        binary = (matrix > self.threshold).astype(np.float64)
        # A sentence is always similar to itself. sumy gets that from the cosine, except when a
        # sentence has no weighted word (two-sentence texts, where idf is 0 or negative): then
        # its row is all zero and the power method divides zero by zero.
        np.fill_diagonal(binary, 1.0)
        degrees = binary.sum(axis=1)
        scores: NDArray[np.float64] = self.power_method(binary / degrees[:, None], self.epsilon)
        return scores

    def similarity(self, sentences_words: list[list[str]]) -> NDArray[np.float64]:
        return self.similarity_of_counts(term_counts(sentences_words))

    def similarity_of_counts(self, counts: NDArray[np.float64]) -> NDArray[np.float64]:
        """The idf-modified cosine of every pair of sentences, from their term counts."""
        tf = counts / np.maximum(counts.max(axis=1, keepdims=True), 1)
        document_frequency = (tf > 0).sum(axis=0)
        idf = np.log(len(counts) / (1 + document_frequency))
        weighted = tf * idf
        norms = np.sqrt((weighted**2).sum(axis=1))
        norms[norms == 0] = math.inf
        result: NDArray[np.float64] = (weighted @ weighted.T) / np.outer(norms, norms)
        return result

    def __call__(self, document: ObjectDocumentModel, sentences_count: Any) -> Any:
        ratings = dict(zip(document.sentences, self.rate(document), strict=True))
        return self._get_best_sentences(document.sentences, sentences_count, ratings)


def _sumy_summarizer(method: str) -> Any:
    # Our LexRank gives sumy's scores faster (see FastLexRank); the others are sumy's own.
    summarizer = (
        FastLexRank(_stemmer()) if method == "lexrank" else _SUMY_CLASSES[method](_stemmer())
    )
    summarizer.stop_words = _stop_words()
    return summarizer


def _within_budget(
    ranked: Sequence[int],
    lengths: Sequence[int],
    max_sentences: int,
    max_chars: int | None,
    words: tuple[Sequence[int], int] | None = None,
) -> list[int]:
    """Take sentences best first while they fit ``max_chars`` and, if given, (counts, max words)."""
    chosen: list[int] = []
    used = 0
    used_words = 0
    for index in ranked:
        if len(chosen) == max_sentences:
            break
        cost = lengths[index] + (1 if chosen else 0)
        if max_chars is not None and used + cost > max_chars:
            continue
        if words is not None and used_words + words[0][index] > words[1]:
            continue
        chosen.append(index)
        used += cost
        used_words += words[0][index] if words is not None else 0
    if not chosen and ranked:
        # Nothing fits whole: the best sentence goes in, and the caller shortens it.
        chosen.append(ranked[0])
    return sorted(chosen)


def select_sentences(
    article: Article,
    *,
    method: str,
    max_sentences: int,
    max_chars: int | None,
    title: str | None = None,
) -> list[int]:
    """Return the indices, in article order, of the sentences ``method`` picks.

    Only the news method reads ``title``: a feature's headline says which paragraph is its point.
    """
    if method not in METHODS:
        raise UnknownMethodError(method, METHODS)
    lengths = [len(s) for s in article.sentences]
    if method == "lead":
        ranked: Sequence[int] = range(len(lengths))
    elif method == "news":
        return select_news(news_features(article, title), news_scorer(), max_sentences, max_chars)
    else:
        ranked = _rank_with_sumy(article, method)
    return _within_budget(ranked, lengths, max_sentences, max_chars)


def _rank_with_sumy(article: Article, method: str) -> list[int]:
    summarizer = _sumy_summarizer(method)
    first_index: dict[str, int] = {}
    for index, text in enumerate(article.sentences):
        first_index.setdefault(text, index)
    # Asking for every sentence returns them all; the count callable sees them best first.
    ranked: list[int] = []

    def keep_order(infos: list[Any]) -> list[Any]:
        ranked.extend(first_index[str(info.sentence)] for info in infos)
        return list(infos)

    summarizer(article.document, keep_order)
    return ranked


# --- the news method -------------------------------------------------------------------------


def textrank_centrality(sentences_words: Sequence[Sequence[str]]) -> NDArray[np.float64]:
    """sumy's TextRank scores, with the edge matrix computed in numpy.

    Same edge weight as sumy (shared words counted with repeats, over log|s1| + log|s2|, self
    edges included), row normalisation, damping 0.85 and power method; sumy's own loop costs
    as much as the rest of a summary. TextRank rewards long, well-connected sentences.
    """
    return _textrank_of_counts(term_counts(sentences_words))


def _textrank_of_counts(counts: NDArray[np.float64]) -> NDArray[np.float64]:
    count = len(counts)
    shared = counts @ counts.T
    # A sentence's length in words, repeats included, is its row of counts summed.
    logs = np.log(np.maximum(counts.sum(axis=1), 1))
    norm = logs[:, None] + logs[None, :]
    # sumy: a shared count over a zero norm (two one-word sentences) is the count itself.
    weights = np.divide(shared, norm, out=shared.copy(), where=~np.isclose(norm, 0.0))
    weights /= weights.sum(axis=1)[:, None] + TextRankSummarizer._ZERO_DIVISION_PREVENTION
    damping = TextRankSummarizer.damping
    matrix = np.full((count, count), (1.0 - damping) / count) + damping * weights
    scores: NDArray[np.float64] = TextRankSummarizer.power_method(
        matrix, TextRankSummarizer.epsilon
    )
    return scores


def content_stems(text: str) -> list[str]:
    """The stemmed words of ``text`` without stop words, as LexRank and TextRank count them."""
    lexrank = _sumy_summarizer("lexrank")
    return list(lexrank._to_words_set(Sentence(text, SumyTokenizer())))


def news_features(article: Article, title: str | None = None) -> SentenceFeatures:
    """Compute the features the news scorer weighs, once per article."""
    lexrank = _sumy_summarizer("lexrank")
    stems = [lexrank._to_words_set(s) for s in article.document.sentences]
    counts = term_counts(stems) if stems else np.zeros((0, 1))
    centrality = _textrank_of_counts(counts) if stems else np.zeros(0)
    return sentence_features(
        article.sentences,
        article.paragraph_of,
        stems,
        content_stems(title) if title else [],
        centrality / max(float(centrality.max(initial=0.0)), 1e-12),
        lexrank.similarity_of_counts(counts) if stems else np.zeros((0, 0)),
    )


# A feature opens on a scene or a person ("The minute when Drozdov Evgeny tried MIUI...") and
# states its point later, in the paragraph that says what the headline says (the "nut graf").
# Such an opening: a headline of at least five content words, a later paragraph naming 40 % of
# them, and the lead paragraph a quarter of what that one names; a news lead repeats the
# headline's words. Short headlines ("HPV vaccine for boys") say too little to tell, and on
# cnn_train's held-out part the rule then fired on a fifth of ordinary stories.
NUT_GRAF_OVERLAP = 0.4
FEATURE_LEAD_SHARE = 1 / 4
MIN_TITLE_WORDS = 5


def nut_graf(features: SentenceFeatures) -> int | None:
    """The first sentence of a feature's central paragraph, or None for a news-style lead."""
    overlap = features.matrix[:, FEATURE_NAMES.index("paragraph_title_overlap")]
    if not len(overlap) or features.title_size < MIN_TITLE_WORDS:
        return None
    best = float(overlap.max())
    if best < NUT_GRAF_OVERLAP or overlap[0] > best * FEATURE_LEAD_SHARE:
        return None
    return int(np.argmax(overlap))


def rank_news(features: SentenceFeatures, scorer: NewsScorer) -> list[int]:
    """Rank sentences by the learned score, best first, leaving out near-repeats altogether.

    A shorter digest beats one that says a thing twice, so a sentence too similar to a better
    one is dropped rather than moved down. Fragments, merged runs and captions (features.readable)
    are left out too, unless nothing else is left. In a feature (see nut_graf) the scene-setting
    opening comes after everything from the central paragraph on.
    """
    score = scorer.score(features.matrix, features.sentences)
    ranked: list[int] = []
    order = [int(i) for i in np.argsort(-score, kind="stable")]
    nut = nut_graf(features)
    if nut is not None:
        order = [i for i in order if i >= nut] + [i for i in order if i < nut]
    readable = [i for i in order if features.readable[i]] or order
    for index in readable:
        if any(features.similarity[index, j] > scorer.redundancy for j in ranked):
            continue
        ranked.append(index)
    return ranked


def select_news(
    features: SentenceFeatures, scorer: NewsScorer, max_sentences: int, max_chars: int | None
) -> list[int]:
    """The news method's pick: its ranking within the character and word budgets."""
    words = [int(n) for n in features.words]
    return _within_budget(
        rank_news(features, scorer),
        features.chars,
        max_sentences,
        max_chars,
        (words, scorer.max_words),
    )
