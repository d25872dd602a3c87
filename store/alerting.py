"""Queries alert matching needs: every rule at once, and who may be alerted of which article."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import AlertMode, AlertRule, Article, Chat, Feed, FeedEntry, Subscription, Summary


@dataclass(frozen=True, slots=True)
class AlertAudience:
    """A chat that reads a feed carrying the article, with what delivery needs to know of it."""

    chat_id: int
    timezone: str
    quiet_hours: str | None
    language: str | None = None
    chat_type: str = "private"
    # The chat's feed that carries the article (the first, when several do): what the alert's
    # "Mute source" button offers to mute.
    feed_id: int = 0
    source: str = ""


@dataclass(frozen=True, slots=True)
class AlertArticle:
    """An article as an alert shows it."""

    id: int
    title: str
    url: str
    source: str
    story_key: str | None
    sentences: tuple[str, ...]
    language: str | None = None  # ISO 639-1 as identified at ingestion


async def rules_version(session: AsyncSession) -> tuple[int, int]:
    """(count, highest id) of all rules: changes whenever a rule is added or removed."""
    count, highest = (
        await session.execute(select(func.count(), func.coalesce(func.max(AlertRule.id), 0)))
    ).one()
    return int(count), int(highest)


async def all_rules(session: AsyncSession) -> list[tuple[int, int, str]]:
    """Every rule of every active chat as (rule id, chat id, query)."""
    rows = await session.execute(
        select(AlertRule.id, AlertRule.chat_id, AlertRule.query)
        .join(Chat, Chat.id == AlertRule.chat_id)
        .where(Chat.active.is_(True))
        .order_by(AlertRule.id)
    )
    return [(rule_id, chat_id, query) for rule_id, chat_id, query in rows]


async def rule_queries(session: AsyncSession, rule_ids: Sequence[int]) -> dict[int, str]:
    """Each rule's query as its chat is shown it (see AlertRule.shown)."""
    rows = await session.execute(
        select(AlertRule.id, func.coalesce(AlertRule.written, AlertRule.query)).where(
            AlertRule.id.in_(list(rule_ids))
        )
    )
    return {rule_id: query for rule_id, query in rows}


async def daily_rules(session: AsyncSession, rule_ids: Sequence[int]) -> set[int]:
    """Which of these rules send their matches in the daily round-up, not at once.

    Read when a match is queued, not kept in the index: a mode switched a moment ago counts.
    """
    return set(
        await session.scalars(
            select(AlertRule.id).where(
                AlertRule.id.in_(list(rule_ids)), AlertRule.mode == AlertMode.DAILY
            )
        )
    )


async def audiences(
    session: AsyncSession, article_id: int, chat_ids: Sequence[int]
) -> list[AlertAudience]:
    """Of ``chat_ids``, the active ones subscribed to a feed that carries the article and that
    they have not muted."""
    rows = await session.execute(
        select(
            Chat.id,
            Chat.timezone,
            Chat.quiet_hours,
            Chat.language,
            Chat.type,
            Feed.id,
            func.coalesce(Feed.title, Feed.url),
        )
        .join(Subscription, Subscription.chat_id == Chat.id)
        .join(FeedEntry, FeedEntry.feed_id == Subscription.feed_id)
        .join(Feed, Feed.id == Subscription.feed_id)
        .where(
            FeedEntry.article_id == article_id,
            Chat.id.in_(list(chat_ids)),
            Chat.active.is_(True),
            Subscription.muted_at.is_(None),
        )
        .order_by(Chat.id, Feed.id)
    )
    audience: dict[int, AlertAudience] = {}
    for chat_id, tz, quiet, language, chat_type, feed_id, source in rows:
        audience.setdefault(
            chat_id, AlertAudience(chat_id, tz, quiet, language, chat_type, feed_id, source)
        )
    return list(audience.values())


async def alert_article(session: AsyncSession, article_id: int) -> AlertArticle | None:
    row = (
        await session.execute(
            select(Article, Feed.title, Summary.sentences)
            .outerjoin(Feed, Feed.id == Article.feed_id)
            .outerjoin(Summary, Summary.article_id == Article.id)
            .where(Article.id == article_id)
        )
    ).first()
    if row is None:
        return None
    article, feed_title, sentences = row
    return AlertArticle(
        article.id,
        article.title,
        article.canonical_url,
        feed_title or "",
        article.story_key,
        tuple(sentences or ()),
        article.language,
    )


async def mark_rules_matched(session: AsyncSession, rule_ids: Sequence[int], now: datetime) -> None:
    await session.execute(
        update(AlertRule).where(AlertRule.id.in_(list(rule_ids))).values(last_matched_at=now)
    )


@dataclass(frozen=True, slots=True)
class ArticleForAlerts:
    """An article as alert matching reads it, from the feed entry that brought it."""

    article_id: int
    feed_id: int
    title: str
    text: str
    url: str
    story_key: str | None


async def pending_entries(
    session: AsyncSession, *, since: datetime, limit: int
) -> list[ArticleForAlerts]:
    """Entries stored since ``since`` whose alerts were never queued (a crash came between)."""
    rows = await session.execute(
        select(
            FeedEntry.article_id,
            FeedEntry.feed_id,
            Article.title,
            Article.text,
            Article.canonical_url,
            Article.story_key,
        )
        .join(Article, Article.id == FeedEntry.article_id)
        .where(FeedEntry.alerts_pending.is_(True), FeedEntry.seen_at >= since)
        .order_by(FeedEntry.id)
        .limit(limit)
    )
    return [ArticleForAlerts(*row) for row in rows]


async def clear_pending(session: AsyncSession, entries: Sequence[tuple[int, int]]) -> None:
    """Mark these (feed id, article id) entries as matched."""
    for feed_id, article_id in entries:
        await session.execute(
            update(FeedEntry)
            .where(
                FeedEntry.feed_id == feed_id,
                FeedEntry.article_id == article_id,
                FeedEntry.alerts_pending.is_(True),
            )
            .values(alerts_pending=False)
        )


async def expire_pending(session: AsyncSession, *, before: datetime) -> None:
    """Give up matching entries older than the sweep's window: such an alert is news no more."""
    await session.execute(
        update(FeedEntry)
        .where(FeedEntry.alerts_pending.is_(True), FeedEntry.seen_at < before)
        .values(alerts_pending=False)
    )
