"""/pause and /resume: no digests and no alerts for a while, then one "while you were away".

While a chat is paused its due digests are skipped (jobs.digests moves the schedule on without
composing) and its alerts wait in the outbox, which does not send alerts or digests to a paused
chat (store.pausing.not_held). Ending the pause, by /resume or when ``paused_until`` passes, is
one transaction: the held alerts are marked dropped, one message listing at most
:data:`AWAY_LISTED` of their stories is queued under a key naming the pause, digests queued
before it are dropped, and the pause is cleared. A crash before the commit leaves the pause in
place for the next tick; after it, the outbox sends the one message once. The list also
takes the daily round-up matches owed (round-ups are skipped with the digests), less any story
a /mute added meanwhile hides.
"""

from __future__ import annotations

import gettext
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.i18n import ENGLISH, lazy_gettext, translation
from jobs.messages import escape, link, truncate_visible
from jobs.mutes import without_muted
from jobs.plaintext import html_to_text
from jobs.quiet_hours import stored_hold
from jobs.user_input import UserInputError, quoted
from store import deliveries, roundups
from store import pausing as pause_store
from store.models import Chat, DeliveryKind

log = logging.getLogger(__name__)

AWAY_LISTED = 10
MAX_PAUSE = timedelta(days=365)
# A listed title is cut here so ten of them always fit one message.
_TITLE_CHARS = 160
_SOURCE_CHARS = 60
_DURATION = re.compile(
    r"(\d{1,4})\s*(minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w)\b", re.IGNORECASE
)
_UNIT = {
    "m": timedelta(minutes=1),
    "h": timedelta(hours=1),
    "d": timedelta(days=1),
    "w": timedelta(weeks=1),
}
_FOREVER_WORDS = frozenset({"", "until resumed", "forever", "indefinitely", "until /resume"})


class PauseError(UserInputError):
    """A pause duration we cannot read."""


def parse_pause_duration(text: str) -> timedelta | None:
    """Read ``3d``, ``12h``, ``90 minutes``, ``2w``, ``1d 12h``; ``None`` (nothing) pauses until /resume."""
    stripped = text.strip()
    if stripped.lower() in _FOREVER_WORDS:
        return None
    total = timedelta(0)
    position = 0
    for found in _DURATION.finditer(stripped):
        if stripped[position : found.start()].strip(" ,"):
            break
        total += int(found[1]) * _UNIT[found[2][0].lower()]
        position = found.end()
    if position == 0 or stripped[position:].strip(" ,"):
        raise PauseError(
            lazy_gettext(
                "{text} is not a duration. Write it like 3d, 12h or 90m, "
                "or nothing to pause until /resume.",
                text=quoted(text),
            )
        )
    if not timedelta(minutes=1) <= total <= MAX_PAUSE:
        raise PauseError(
            lazy_gettext("A pause lasts from a minute to {days} days.", days=MAX_PAUSE.days)
        )
    return total


async def pause_chat(
    session: AsyncSession, chat_id: int, *, now: datetime, duration: timedelta | None
) -> Chat:
    """Pause the chat (or change how long an ongoing pause lasts: its held alerts stay held)."""
    chat = await pause_store.locked_chat(session, chat_id)
    if chat is None:
        raise LookupError(f"chat {chat_id} is not known")
    if chat.paused_at is None:
        chat.paused_at = now
    chat.paused_until = now + duration if duration is not None else None
    await session.flush()
    return chat


@dataclass(frozen=True, slots=True)
class ResumeReport:
    was_paused: bool
    held_alerts: int = 0
    skipped_digests: int = 0


async def resume_chat(session: AsyncSession, chat_id: int, *, now: datetime) -> ResumeReport:
    """End the chat's pause in the caller's transaction, folding what it held (see above)."""
    chat = await pause_store.locked_chat(session, chat_id)
    if chat is None or chat.paused_at is None:
        return ResumeReport(was_paused=False)
    return await _end_pause(session, chat, now=now)


async def resume_expired_pauses(
    sessionmaker: async_sessionmaker[AsyncSession], *, now: datetime, batch: int = 100
) -> int:
    """End every pause whose time is up, a batch per transaction; returns how many ended."""
    ended = 0
    while True:
        async with sessionmaker() as session, session.begin():
            chats = await pause_store.expired_pauses(session, now=now, limit=batch)
            for chat in chats:
                await _end_pause(session, chat, now=now)
        ended += len(chats)
        if len(chats) < batch:
            return ended


async def _end_pause(session: AsyncSession, chat: Chat, *, now: datetime) -> ResumeReport:
    paused_at = chat.paused_at
    assert paused_at is not None
    # A digest queued before the pause, or while it still counted (until paused_until), was due
    # while paused: skipped. One the digest job queued after an expiry not yet handled is kept.
    ended_at = min(now, chat.paused_until) if chat.paused_until is not None else now
    digests = await pause_store.pending_of_kind(
        session, chat.id, DeliveryKind.DIGEST, created_before=ended_at
    )
    await pause_store.drop_deliveries(
        session, [row.id for row in digests], reason="skipped: due while the chat was paused"
    )
    alerts = await pause_store.pending_of_kind(session, chat.id, DeliveryKind.ALERT)
    # Round-ups due during the pause were skipped with the digests: their matches join the list.
    owed = (await roundups.take_matches(session, [chat.id])).get(chat.id, [])
    stories = await without_muted(
        session,
        chat.id,
        [row.payload for row in alerts] + [roundups.story_payload(match) for match in owed],
    )
    if alerts:
        await pause_store.drop_deliveries(
            session,
            [row.id for row in alerts],
            reason="folded into the 'while you were away' message",
        )
    if stories:
        await deliveries.enqueue(
            session,
            chat_id=chat.id,
            kind=DeliveryKind.NOTICE,
            item_key=f"away:{paused_at:%Y%m%dT%H%M%S.%f}",
            payload={
                "text": render_away(stories, tr=translation(chat.language)),
                "preview": False,
            },
            now=now,
            not_before=stored_hold(chat.quiet_hours, chat.timezone, now),
        )
    chat.paused_at = None
    chat.paused_until = None
    await session.flush()
    log.info(
        "chat %s resumed: %d stories listed, %d digests skipped",
        chat.id,
        len(stories),
        len(digests),
    )
    return ResumeReport(True, len(stories), len(digests))


def render_away(alerts: list[dict[str, Any]], *, tr: gettext.NullTranslations | None = None) -> str:
    """One message for the alerts held during a pause: the newest stories first, at most
    :data:`AWAY_LISTED`, then how many more."""
    tr = tr or translation(ENGLISH)
    newest = list(reversed(alerts))
    count = len(newest)
    head = tr.ngettext(
        "{away}: {count} story matched your alerts.",
        "{away}: {count} stories matched your alerts.",
        count,
    ).format(away="<b>" + tr.gettext("While you were away") + "</b>", count=count)
    return render_story_list(f"👋 {head}", newest, tr=tr)


def render_story_list(
    heading: str, stories: list[dict[str, Any]], *, tr: gettext.NullTranslations
) -> str:
    """``heading``, then at most :data:`AWAY_LISTED` of ``stories`` (alert payloads: title,
    link, source) as numbered lines, then how many more: the away list and the round-up."""
    lines = [heading]
    for number, payload in enumerate(stories[:AWAY_LISTED], start=1):
        title, url = _title_and_url(payload)
        line = f"{number}. " + (link(url, title) if url else escape(title))
        if payload.get("source"):
            line += f" — <i>{escape(truncate_visible(str(payload['source']), _SOURCE_CHARS))}</i>"
        lines.append(line)
    if len(stories) > AWAY_LISTED:
        more = len(stories) - AWAY_LISTED
        lines.append(
            tr.ngettext("…and {count} more.", "…and {count} more.", more).format(count=more)
        )
    return "\n".join(lines)


def _title_and_url(payload: dict[str, Any]) -> tuple[str, str]:
    """The alert's title and link; alerts queued before they were stored show their first line."""
    url = str(payload.get("url") or "")
    title = str(payload.get("title") or "")
    if not title:
        lines = html_to_text(str(payload.get("text", ""))).splitlines()
        title = lines[1] if len(lines) > 1 else (lines[0] if lines else "")
    return truncate_visible(title, _TITLE_CHARS) or url, url
