"""Daily alert round-ups: the stories a chat's round-up rules matched, in one message a day.

Alert matching records a round-up rule's matches as rows (store.roundups), one per story. The
digest job, in the transaction that queues a chat's digest, takes the chat's rows and queues
one round-up message right after the digest under the same slot's key: a crash before the
commit leaves the rows for the next try, and the outbox sends the message once. A paused chat's
round-ups are skipped with its digests; their rows join the "while you were away" list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from jobs.i18n import translation
from jobs.mutes import without_muted
from jobs.pause import render_story_list
from store import roundups
from store.models import Chat


def roundup_item_key(slot: str) -> str:
    """The outbox key of the round-up sent with the digest of ``slot``."""
    return f"roundup:{slot}"


async def take_roundups(session: AsyncSession, chats: Sequence[Chat]) -> dict[int, str]:
    """Per chat owed one, its round-up message; the matches it lists are deleted with the
    caller's transaction, which must queue the messages."""
    owed = await roundups.take_matches(session, [chat.id for chat in chats])
    messages: dict[int, str] = {}
    for chat in chats:
        matches = owed.get(chat.id)
        if not matches:
            continue
        stories = await without_muted(
            session, chat.id, [roundups.story_payload(match) for match in matches]
        )
        if stories:
            messages[chat.id] = render_roundup(stories, language=chat.language)
    return messages


def render_roundup(stories: list[dict[str, Any]], *, language: str | None) -> str:
    """The round-up: newest stories first, at most as many as the away list shows."""
    tr = translation(language)
    count = len(stories)
    heading = tr.ngettext(
        "🗞 <b>Alert round-up</b>: {count} story matched your daily alerts.",
        "🗞 <b>Alert round-up</b>: {count} stories matched your daily alerts.",
        count,
    ).format(count=count)
    return render_story_list(heading, list(reversed(stories)))
