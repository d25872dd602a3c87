"""The digest of an article in a language other than English: sentences, entities, figures."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.errors import UnknownMethodError
from summarizer.languages import LanguageProfile
from summarizer.multilingual_entities import ForeignEntity, foreign_entities
from summarizer.multilingual_figures import ForeignFigure, rank_foreign_figures
from summarizer.multilingual_ranking import select_foreign, split_article
from summarizer.ranking import _within_budget

# sumy's other algorithms take one language's stemmer and stop words at construction and were
# tuned on English; the foreign path offers the news blend and Lead-N.
FOREIGN_METHODS = ("news", "lead")


@dataclass(frozen=True, slots=True)
class ForeignDigest:
    sentences: tuple[str, ...]
    entities: tuple[ForeignEntity, ...]
    figures: tuple[ForeignFigure, ...]
    entity_source: str


def digest_foreign(
    paragraphs: Sequence[str],
    profile: LanguageProfile,
    *,
    title: str | None,
    max_sentences: int,
    max_chars: int | None,
    method: str,
    extract: bool,
    max_entities: int,
    max_figures: int,
) -> ForeignDigest:
    """Choose the summary and, with ``extract``, the entities and figures of one article."""
    if method not in FOREIGN_METHODS:
        raise UnknownMethodError(method, FOREIGN_METHODS)
    article = split_article(paragraphs, profile)
    if method == "lead":
        chosen = _within_budget(
            range(len(article.sentences)),
            [len(s) for s in article.sentences],
            max_sentences,
            max_chars,
        )
    else:
        chosen = select_foreign(article, profile, max_sentences, max_chars)
    sentences = tuple(article.sentences[i] for i in chosen)
    if max_chars is not None and sum(len(s) + 1 for s in sentences) - 1 > max_chars:
        # textwrap cuts at spaces; CJK has none, so it is cut at the character budget.
        first = sentences[0]
        sentences = (
            textwrap.shorten(first, width=max_chars, placeholder=" …")
            if profile.spaced
            else first[: max_chars - 1] + "…",
        )
    if not extract:
        return ForeignDigest(sentences, (), (), "")
    body = "\n\n".join(paragraphs)
    entities, source = foreign_entities(
        body, profile, title=title, summary=sentences, limit=max_entities
    )
    figures = rank_foreign_figures(body, profile, article.spans, chosen, max_figures)
    return ForeignDigest(sentences, tuple(entities), tuple(figures), source)
