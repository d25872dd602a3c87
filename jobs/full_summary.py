"""A stored story's full summary, for its "More" button: what ingestion kept, as a Digest.

The button's reply is rendered like /summary's (bot.render.render_link_digest), so a story
reads the same whether it was summarized on demand or arrived in a digest or an alert.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from jobs.digests import description_sentences
from store.articles import article_with_summary
from store.digests import DESCRIPTION_SOURCE_CHARS
from summarizer import Digest

# For an article the summarizer could not take: minutes to read its text, as summaries count.
WORDS_PER_MINUTE = 230


@dataclass(frozen=True, slots=True)
class FullSummary:
    title: str
    url: str
    digest: Digest


async def full_summary(session: AsyncSession, article_id: int) -> FullSummary | None:
    """The article's stored summary: every sentence kept, its entities and figures; for an
    article without one, the start of its own text (what its digest item showed). None when
    the article is gone."""
    found = await article_with_summary(session, article_id)
    if found is None:
        return None
    article, summary = found
    language = article.language or "und"
    if summary is None:
        words = len(article.text.split())
        digest = Digest(
            title=article.title or None,
            sentences=description_sentences(article.text[:DESCRIPTION_SOURCE_CHARS]),
            entities=(),
            figures=(),
            language=language,
            word_count=words,
            reading_minutes=max(1, math.ceil(words / WORDS_PER_MINUTE)),
            method="description",
        )
    else:
        digest = Digest.from_dict(
            {
                "title": article.title or None,
                "sentences": summary.sentences,
                "entities": summary.entities,
                "figures": summary.figures,
                "language": language,
                "reading_minutes": summary.reading_minutes or 1,
                "method": summary.method,
                "version": summary.summarizer_version,
            }
        )
    return FullSummary(article.title, article.canonical_url, digest)
