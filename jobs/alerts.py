"""Keyword alerts: match each new article against every chat's rules in one pass, queue the alerts."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.alert_matching import AlertIndex
from jobs.i18n import translation
from jobs.ingest import NewArticle
from jobs.messages import render_alert
from jobs.mutes import muted_articles
from jobs.quiet_hours import stored_hold
from jobs.reader_language import source_language_note
from jobs.story_buttons import (
    StoryRef,
    actions_keyboard,
    has_story_buttons,
    stories_payload,
)
from store import alerting, deliveries, roundups
from store.models import DeliveryKind, utcnow

log = logging.getLogger(__name__)


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
        self._index = AlertIndex.from_stored(rules)
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
            muted = await muted_chats(session, [chat.chat_id for chat in audience], article)
            audience = [chat for chat in audience if chat.chat_id not in muted]
            if not audience:
                return 0
            shown = await alerting.alert_article(session, article.article_id)
            if shown is None:
                return 0
            rule_ids = [rule for chat in audience for rule in matched[chat.chat_id]]
            queries = await alerting.rule_queries(session, rule_ids)
            daily = await alerting.daily_rules(session, rule_ids)
            for chat in audience:
                instant = [rule for rule in matched[chat.chat_id] if rule not in daily]
                if not instant:
                    # Only round-up rules matched: owed to the next round-up, not sent now.
                    await roundups.record_match(
                        session,
                        chat_id=chat.chat_id,
                        rule_id=matched[chat.chat_id][0],
                        article_id=article.article_id,
                        item_key=alert_item_key(article),
                        title=shown.title,
                        url=shown.url,
                        source=shown.source,
                        now=now,
                    )
                    continue
                text = render_alert(
                    rules=[queries[rule] for rule in instant if rule in queries],
                    title=shown.title,
                    url=shown.url,
                    source=shown.source,
                    sentences=shown.sentences,
                    written_in=source_language_note(shown.language, reader=chat.language),
                )
                buttons: dict[str, object] = {}
                if has_story_buttons(chat.chat_type):
                    story = StoryRef(0, shown.id, chat.feed_id, chat.source)
                    buttons = {
                        "stories": stories_payload([story]),
                        "reply_markup": actions_keyboard(
                            story, muted=False, back=False, tr=translation(chat.language)
                        ),
                    }
                added = await deliveries.enqueue(
                    session,
                    chat_id=chat.chat_id,
                    kind=DeliveryKind.ALERT,
                    item_key=alert_item_key(article),
                    # Title, link, source and article too: a pause folds held alerts into one
                    # list, and checks them against the mutes the chat has by then.
                    payload={
                        "text": text,
                        "preview": False,
                        "title": shown.title,
                        "url": shown.url,
                        "source": shown.source,
                        **buttons,
                        "article_id": article.article_id,
                    },
                    now=now,
                    not_before=stored_hold(chat.quiet_hours, chat.timezone, now),
                )
                queued += int(added)
            await alerting.mark_rules_matched(session, rule_ids, now)
        return queued


async def muted_chats(
    session: AsyncSession, chat_ids: Sequence[int], article: NewArticle
) -> set[int]:
    """Of ``chat_ids``, those whose /mute rules hide the article's story: they are not alerted.

    An index of just these chats' mutes, built per matched article: few chats match any one
    article, and a mute added a moment ago counts.
    """
    muted = await muted_articles(session, chat_ids, [article.article_id])
    return {chat_id for chat_id, hidden in muted.items() if article.article_id in hidden}


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
