"""On-demand summaries for /summary and `newsdigest summarize URL`: a link or a text, off the loop."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from jobs.extract import ExtractedArticle, ExtractionError, extract_article
from jobs.fetch import PAGE_ACCEPT, SafeFetcher
from jobs.i18n import N_, ReaderError, lazy_gettext
from jobs.summarizing import SummarizerPool
from summarizer import Digest


class LinkError(ReaderError):
    """The page could not be read as an article; the message says why."""


@dataclass(frozen=True, slots=True)
class LinkDigest:
    url: str
    title: str | None
    digest: Digest


async def summarize_link(
    fetcher: SafeFetcher,
    summarizer: SummarizerPool,
    url: str,
    *,
    max_chars: int,
    max_sentences: int = 3,
) -> LinkDigest:
    """Fetch the page through the safe fetcher, extract its story and summarize it.

    Raises FetchError (refused, unreachable, too large…), LinkError or SummarizerError, each with
    a message fit for the user.
    """
    page = await fetch_article_page(fetcher, url, max_chars=max_chars)
    digest = await summarizer.summarize(
        page.text, title=page.title, max_sentences=max_sentences, hints=(page.language,)
    )
    return LinkDigest(page.url, page.title, digest)


async def fetch_article_page(fetcher: SafeFetcher, url: str, *, max_chars: int) -> ExtractedArticle:
    """The story on the page at ``url``, fetched safely and extracted off the event loop."""
    result = await fetcher.fetch(url, accept=PAGE_ACCEPT)
    if result.content_type and not result.content_type.startswith(
        ("text/html", "application/xhtml")
    ):
        raise LinkError(
            lazy_gettext(
                "that link is a {type} file, not an article page", type=result.content_type
            )
        )
    try:
        return await asyncio.to_thread(
            extract_article,
            result.body,
            url=result.url,
            max_chars=max_chars,
            charset=result.charset,
        )
    except ExtractionError as exc:
        raise LinkError(N_("found no article text on that page")) from exc
