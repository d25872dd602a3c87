"""Following a story: start and end a follow, and the job that tells followers what is new.

The job compares each follow's snapshot (what the reader knows) with the story's copies as
stored now, for the follows whose story had a copy seen or edited lately or none for a while
(one indexed query finds them, so a tick costs what changed, not what is followed). When there is news and the follow's last update is at least ``update_every`` old,
it queues ONE update in the outbox and stores the new snapshot in the same transaction: a
crash before the commit leaves both undone for the next run, one after it leaves a row the
sender sends once. News that arrives inside the window, or while the chat is paused, stays
outside the snapshot and so is told by the next update; nothing is lost or told twice. A
story without a new copy for ``quiet_after`` is ended with one notice, queued the same way.
"""

from __future__ import annotations

import gettext
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.i18n import translation
from jobs.messages import escape, truncate_visible
from jobs.quiet_hours import stored_hold
from jobs.story_news import render_update, snapshot, story_news
from jobs.user_input import UserInputError
from store import deliveries
from store import follows as follow_store
from store.chats import hold_chat, muted_feeds
from store.follows import FollowToCheck, StoryCopy
from store.models import Article, DeliveryKind, StoryFollow

log = logging.getLogger(__name__)

# A title in a notice or a button is cut here.
_TITLE_CHARS = 80
UNFOLLOW_PREFIX = "fu:"
# A copy is stamped before its transaction commits (after its page and summary, which take a
# while): a follow is looked at again while its story's activity is this recent, so a copy
# committed late is still compared.
SETTLE = timedelta(minutes=15)
QUIET = "quiet"
UNFOLLOWED = "unfollowed"


@dataclass(frozen=True, slots=True)
class FollowOptions:
    """How often a story may send an update, when a quiet one ends, how many follows a chat has."""

    update_every: timedelta = timedelta(hours=6)
    quiet_after: timedelta = timedelta(days=7)
    per_chat: int = 20
    batch: int = 200


class FollowRefused(UserInputError):
    """A follow we do not start; the message says what to do instead."""


@dataclass(frozen=True, slots=True)
class Followed:
    follow: StoryFollow
    # False when the chat was following the story already.
    started: bool
    outlets: int


@dataclass(slots=True)
class FollowReport:
    updates: int = 0
    ended: int = 0
    # Follows with news that waits: for the window, or for a pause to end.
    waiting: int = 0


async def follow_article(
    session: AsyncSession,
    chat_id: int,
    article: Article,
    *,
    now: datetime,
    per_chat: int,
    language: str | None = None,
) -> Followed:
    """Follow the article's story; the reader is taken to know every copy stored so far.

    Call first in its transaction: it holds the chat's row, so a double tap (updates are
    handled concurrently) follows once and the cap counts every follow.
    """
    await hold_chat(session, chat_id)
    key = follow_store.story_key_of(article)
    existing = await follow_store.follow_of(session, chat_id, key)
    copies = (await follow_store.story_copies(session, [key])).get(key, [])
    outlets = len({copy.feed_id for copy in copies})
    if existing is not None and existing.ended_at is None:
        return Followed(existing, False, outlets)
    if len(await follow_store.active_follows(session, chat_id)) >= per_chat:
        tr = translation(language)
        raise FollowRefused(
            tr.ngettext(
                "You follow {count} story, the most I keep. "
                "Unfollow it in /following, then follow this one again.",
                "You follow {count} stories, the most I keep. "
                "Unfollow one in /following, then follow this one again.",
                per_chat,
            ).format(count=per_chat)
        )
    follow = await follow_store.save_follow(
        session,
        chat_id=chat_id,
        story_key=key,
        article_id=article.id,
        title=article.title or article.canonical_url,
        known=snapshot(copies),
        now=now,
        news_since=now - SETTLE,
    )
    return Followed(follow, True, outlets)


async def unfollow(
    session: AsyncSession, chat_id: int, follow_id: int, *, now: datetime
) -> StoryFollow | None:
    """End the chat's follow; None when it had ended already."""
    follow = await follow_store.active_follow_by_id(session, chat_id, follow_id)
    if follow is not None:
        await follow_store.end_follow(session, follow, reason=UNFOLLOWED, now=now)
    return follow


def unfollow_markup(follow_id: int, tr: gettext.NullTranslations) -> dict[str, Any]:
    """The Unfollow button under an update, as the outbox stores a keyboard."""
    return {
        "inline_keyboard": [
            [{"text": tr.gettext("🔕 Unfollow"), "callback_data": f"{UNFOLLOW_PREFIX}{follow_id}"}]
        ]
    }


async def send_story_updates(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    now: datetime,
    options: FollowOptions | None = None,
    on_enqueued: Callable[[], None] | None = None,
) -> FollowReport:
    """Queue the updates owed to followers and end the follows of quiet stories (see above)."""
    options = options or FollowOptions()
    report = FollowReport()
    after_id = 0
    while True:
        async with sessionmaker() as session, session.begin():
            batch = await follow_store.follows_to_check(
                session,
                after_id=after_id,
                limit=options.batch,
                quiet_before=now - options.quiet_after,
            )
            if not batch:
                break
            copies = await follow_store.story_copies(
                session, sorted({row.follow.story_key for row in batch})
            )
            muted = await muted_feeds(session, sorted({row.follow.chat_id for row in batch}))
            for row in batch:
                story = copies.get(row.follow.story_key, [])
                # A source the chat muted tells it nothing: its copies are no news, and no
                # update links them; the story's quiet end still counts every copy.
                heard = [c for c in story if c.feed_id not in muted.get(row.follow.chat_id, ())]
                await _check(session, row, heard, story, now, options, report)
            after_id = batch[-1].follow.id
        if len(batch) < options.batch:
            break
    if (report.updates or report.ended) and on_enqueued is not None:
        on_enqueued()
    return report


async def _check(
    session: AsyncSession,
    row: FollowToCheck,
    copies: list[StoryCopy],
    story: list[StoryCopy],
    now: datetime,
    options: FollowOptions,
    report: FollowReport,
) -> None:
    follow = row.follow
    tr = translation(row.language)
    known = {
        "outlets": list(follow.known_outlets),
        "figures": list(follow.known_figures),
        "names": list(follow.known_names),
    }
    news = story_news(known, copies)
    if news:
        due = follow.last_update_at is None or now - follow.last_update_at >= options.update_every
        if row.paused or not due:
            report.waiting += 1
            return
        newest = copies[-1]
        await deliveries.enqueue(
            session,
            chat_id=follow.chat_id,
            kind=DeliveryKind.UPDATE,
            item_key=f"follow:{follow.id}:{now:%Y%m%dT%H%M%S.%f}",
            payload={
                "text": render_update(newest.title, newest.url, news, tr),
                "preview": False,
                "title": newest.title,
                "url": newest.url,
                "source": newest.source,
                "reply_markup": unfollow_markup(follow.id, tr),
            },
            now=now,
            not_before=stored_hold(row.quiet_hours, row.timezone, now),
        )
        _remember(follow, known, copies)
        follow.last_update_at = now
        follow.news_since = now - SETTLE
        report.updates += 1
        return
    # Nothing new: looked at again only when the story has news or may have gone quiet.
    follow.news_since = now - SETTLE
    latest = max((copy.seen_at for copy in story), default=follow.started_at)
    if max(latest, follow.started_at) <= now - options.quiet_after:
        await follow_store.end_follow(session, follow, reason=QUIET, now=now)
        title = escape(truncate_visible(follow.title, _TITLE_CHARS))
        await deliveries.enqueue(
            session,
            chat_id=follow.chat_id,
            kind=DeliveryKind.NOTICE,
            item_key=f"follow-ended:{follow.id}:{follow.started_at:%Y%m%dT%H%M%S.%f}",
            payload={
                "text": tr.gettext(
                    "🔕 Stopped following “{title}” — quiet for a week. "
                    "/following lists the stories you still follow."
                ).format(title=title),
                "preview": False,
            },
            now=now,
        )
        report.ended += 1


def _remember(follow: StoryFollow, known: dict[str, list[Any]], copies: list[StoryCopy]) -> None:
    """Add what the update told to the follow's snapshot (what it knew stays known)."""
    told = snapshot(copies)
    figures = {str(figure["measure"]): figure for figure in known["figures"]}
    figures.update({str(figure["measure"]): figure for figure in told["figures"]})
    follow.known_outlets = sorted(set(known["outlets"]) | set(told["outlets"]))
    follow.known_figures = list(figures.values())
    follow.known_names = list(dict.fromkeys([*known["names"], *told["names"]]))
