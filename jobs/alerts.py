"""Keyword alerts: match each new article against every chat's rules in one pass, queue the alerts."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.alert_matching import AlertIndex
from jobs.alert_query import AlertQuery, AlertQueryError, parse_alert_query
from jobs.ingest import NewArticle
from jobs.messages import render_alert
from jobs.quiet_hours import stored_hold
from store import alerting, deliveries
from store.models import DeliveryKind, utcnow

log = logging.getLogger(__name__)

# Stored queries were validated when added; this only guards against a limit lowered since.
_STORED_QUERY_MAX_CHARS = 10_000


def alert_item_key(article: NewArticle) -> str:
    """One alert per chat and story: a second outlet's copy of the story finds the key taken."""
    return f"story:{article.story_key}" if article.story_key else f"article:{article.article_id}"


class AlertMatcher:
    """Holds the compiled rule index, rebuilt only when rules were added or removed."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        on_enqueued: Callable[[], None] | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.on_enqueued = on_enqueued
        self._index = AlertIndex.build(())
        self._version: tuple[int, int] | None = None

    async def index(self) -> AlertIndex:
        async with self.sessionmaker() as session:
            version = await alerting.rules_version(session)
            if version == self._version:
                return self._index
            rules = await alerting.all_rules(session)
        parsed: list[tuple[int, int, AlertQuery]] = []
        for rule_id, chat_id, query in rules:
            try:
                parsed.append(
                    (rule_id, chat_id, parse_alert_query(query, max_chars=_STORED_QUERY_MAX_CHARS))
                )
            except AlertQueryError as exc:
                log.warning("alert rule %s (%r) no longer parses: %s", rule_id, query, exc)
        self._index = AlertIndex.build(parsed)
        self._version = version
        log.debug("alert index rebuilt: %d rules", len(self._index))
        return self._index

    async def handle_new_articles(
        self, articles: Sequence[NewArticle], *, now: datetime | None = None
    ) -> int:
        """Queue one alert per matching chat and article; returns how many were queued.

        Each article's alerts are committed together with clearing its entry's "alerts pending"
        mark, so a crash at any point leaves every article either matched or still marked.
        """
        if not articles:
            return 0
        index = await self.index()
        now = now or utcnow()
        queued = 0
        unmatched: list[tuple[int, int]] = []
        for article in articles:
            matched = index.match(article.title, article.text) if len(index) else {}
            if matched:
                queued += await self._queue(article, matched, now)
            else:
                unmatched.append((article.feed_id, article.article_id))
        if unmatched:
            async with self.sessionmaker() as session, session.begin():
                await alerting.clear_pending(session, unmatched)
        if queued and self.on_enqueued is not None:
            self.on_enqueued()
        return queued

    async def _queue(
        self, article: NewArticle, matched: dict[int, list[int]], now: datetime
    ) -> int:
        queued = 0
        async with self.sessionmaker() as session, session.begin():
            await alerting.clear_pending(session, [(article.feed_id, article.article_id)])
            audience = await alerting.audiences(session, article.article_id, list(matched))
            if not audience:
                return 0
            shown = await alerting.alert_article(session, article.article_id)
            if shown is None:
                return 0
            rule_ids = [rule for chat in audience for rule in matched[chat.chat_id]]
            queries = await alerting.rule_queries(session, rule_ids)
            for chat in audience:
                text = render_alert(
                    rules=[queries[rule] for rule in matched[chat.chat_id] if rule in queries],
                    title=shown.title,
                    url=shown.url,
                    source=shown.source,
                    sentences=shown.sentences,
                )
                added = await deliveries.enqueue(
                    session,
                    chat_id=chat.chat_id,
                    kind=DeliveryKind.ALERT,
                    item_key=alert_item_key(article),
                    # Title, link and source too: a pause folds held alerts into one list.
                    payload={
                        "text": text,
                        "preview": False,
                        "title": shown.title,
                        "url": shown.url,
                        "source": shown.source,
                    },
                    now=now,
                    not_before=stored_hold(chat.quiet_hours, chat.timezone, now),
                )
                queued += int(added)
            await alerting.mark_rules_matched(session, rule_ids, now)
        return queued


async def retime_held_alerts(
    session: AsyncSession, chat_id: int, *, quiet_hours: str | None, timezone: str, now: datetime
) -> int:
    """Re-time the chat's waiting alerts (and followed stories' updates, which quiet hours
    hold alike) to the quiet hours it has now; returns how many moved.

    An alert's hold is computed when it is queued, so a chat that ends or moves its quiet hours
    (or its time zone) would otherwise wait out the old window. Call in the transaction that
    stores the new settings.
    """
    at = stored_hold(quiet_hours, timezone, now) or now
    moved = 0
    for kind in (DeliveryKind.ALERT, DeliveryKind.UPDATE):
        moved += await deliveries.retime_unsent(session, chat_id, kind, at=at, now=now)
    return moved
