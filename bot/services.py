"""The shared services every entry point needs, built from settings and closed in one place."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.settings import Settings
from bot.version import package_version
from jobs.digests import DigestOptions
from jobs.fetch.fetcher import SafeFetcher
from jobs.fetch.policy import FetchPolicy
from jobs.follows import FollowOptions
from jobs.ingest import IngestOptions
from jobs.summarizing import SummarizerPool
from store import migrate
from store.database import create_engine, create_sessionmaker

log = logging.getLogger(__name__)


def fetch_policy(settings: Settings) -> FetchPolicy:
    limits = settings.limits
    return FetchPolicy(
        allow=settings.fetch_allow,
        max_bytes=limits.fetch_max_bytes,
        total_timeout=limits.fetch_timeout,
        read_timeout=limits.fetch_read_timeout,
        max_redirects=limits.fetch_max_redirects,
        per_host=limits.fetch_per_host,
        user_agent=f"newsdigest/{package_version()} (news digest bot; reads feeds politely)",
    )


def digest_options(settings: Settings) -> DigestOptions:
    return DigestOptions(
        window=timedelta(hours=settings.digest_window_hours),
        send_empty=settings.digest_send_empty,
    )


def follow_options(settings: Settings) -> FollowOptions:
    return FollowOptions(
        update_every=timedelta(hours=settings.follow_update_hours),
        per_chat=settings.limits.follows_per_chat,
    )


def ingest_options(settings: Settings) -> IngestOptions:
    limits = settings.limits
    return IngestOptions(
        failure_threshold=limits.feed_failure_threshold,
        max_entries=limits.max_entries_per_feed,
        max_article_chars=limits.max_article_chars,
    )


@dataclass(slots=True)
class Services:
    """Open resources shared by handlers and jobs; reach them through this, never globals."""

    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    fetcher: SafeFetcher
    summarizer: SummarizerPool
    ingest: IngestOptions = field(default_factory=IngestOptions)

    async def aclose(self) -> None:
        await self.fetcher.aclose()
        self.summarizer.close()
        await self.engine.dispose()


async def open_services(
    settings: Settings, *, summarizer_workers: int = 1, summarizer_processes: bool = False
) -> Services:
    """Open the database (migrating it to head), the HTTP client and the summarizer pool."""
    engine = create_engine(settings.database_url)
    revision = await migrate.ensure_schema(engine)
    if revision is not None:
        log.info("database schema upgraded to %s", revision)
    return Services(
        settings=settings,
        engine=engine,
        sessionmaker=create_sessionmaker(engine),
        fetcher=SafeFetcher(fetch_policy(settings)),
        summarizer=SummarizerPool(workers=summarizer_workers, processes=summarizer_processes),
        ingest=ingest_options(settings),
    )


@asynccontextmanager
async def services_for(
    settings: Settings, *, summarizer_workers: int = 1, summarizer_processes: bool = False
) -> AsyncIterator[Services]:
    services = await open_services(
        settings,
        summarizer_workers=summarizer_workers,
        summarizer_processes=summarizer_processes,
    )
    try:
        yield services
    finally:
        await services.aclose()
