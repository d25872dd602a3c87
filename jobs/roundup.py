"""Daily alert round-ups: the stories a chat's round-up rules matched, in one message a day.

Alert matching records a round-up rule's matches as rows (store.roundups), one per story. The
digest job, in the transaction that queues a chat's digest, takes the chat's rows and queues
one round-up message right after the digest (see :func:`roundup_item_key`): a crash before
the commit leaves the rows for the next try, and the outbox sends the message once. A paused chat's
round-ups are skipped with its digests; their rows join the "while you were away" list.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from jobs.i18n import translation
from jobs.mutes import without_muted
from jobs.pause import render_story_list
from store import roundups
from store.models import Chat, RoundupMatch


@dataclass(frozen=True, slots=True)
class Roundup:
    """A chat's round-up message, and the outbox key it goes under."""

    item_key: str
    text: str


def roundup_item_key(slot: str, matches: Sequence[RoundupMatch]) -> str:
    """The outbox key of a round-up: its digest's slot, and a digest of the matches it lists.

    The same matches always make the same key (a retried batch queues nothing twice), and other
    matches another key (a slot run twice, after a schedule change, loses none). Not the rows'
    ids: SQLite hands a deleted row's id to the next one.
    """
    listed = sorted(f"{m.item_key}@{m.matched_at.isoformat()}" for m in matches)
    return f"roundup:{slot}:{hashlib.sha256(chr(10).join(listed).encode()).hexdigest()[:16]}"


async def take_roundups(
    session: AsyncSession, chats: Sequence[Chat], *, slots: Mapping[int, str]
) -> dict[int, Roundup]:
    """Per chat owed one, its round-up for the digest of ``slots[chat id]``; the matches it
    lists are deleted with the caller's transaction, which must queue the messages."""
    owed = await roundups.take_matches(session, [chat.id for chat in chats])
    messages: dict[int, Roundup] = {}
    for chat in chats:
        matches = owed.get(chat.id)
        if not matches:
            continue
        stories = await without_muted(
            session, chat.id, [roundups.story_payload(match) for match in matches]
        )
        if stories:
            key = roundup_item_key(slots[chat.id], matches)
            messages[chat.id] = Roundup(key, render_roundup(stories, language=chat.language))
    return messages


def render_roundup(stories: list[dict[str, Any]], *, language: str | None) -> str:
    """The round-up: newest stories first, at most as many as the away list shows."""
    tr = translation(language)
    count = len(stories)
    heading = (
        "🗞 <b>"
        + tr.gettext("Alert round-up")
        + "</b>: "
        + tr.ngettext(
            "{count} story matched your daily alerts.",
            "{count} stories matched your daily alerts.",
            count,
        ).format(count=count)
    )
    return render_story_list(heading, list(reversed(stories)), tr=tr)
