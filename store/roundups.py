"""Data access for daily alert round-ups: the matches a chat is owed, recorded and taken."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.chats import alert_rule
from store.database import insert_or_ignore
from store.models import AlertMode, AlertRule, RoundupMatch


async def record_match(
    session: AsyncSession,
    *,
    chat_id: int,
    rule_id: int,
    article_id: int,
    item_key: str,
    title: str,
    url: str,
    source: str,
    now: datetime,
) -> bool:
    """Owe the chat this story in its next round-up; False if it is owed already (a copy)."""
    return await insert_or_ignore(
        session,
        RoundupMatch,
        {
            "chat_id": chat_id,
            "rule_id": rule_id,
            "article_id": article_id,
            "item_key": item_key,
            "title": title,
            "url": url,
            "source": source,
            "matched_at": now,
        },
        keys=["chat_id", "item_key"],
    )


async def take_matches(
    session: AsyncSession, chat_ids: Sequence[int]
) -> dict[int, list[RoundupMatch]]:
    """The matches owed to these chats, oldest first, deleted in the caller's transaction.

    Deleted by id, not by chat: a match recorded after the read waits for the next round-up.
    """
    if not chat_ids:
        return {}
    rows = list(
        await session.scalars(
            select(RoundupMatch)
            .where(RoundupMatch.chat_id.in_(list(chat_ids)))
            .order_by(RoundupMatch.matched_at, RoundupMatch.id)
        )
    )
    if rows:
        await session.execute(
            delete(RoundupMatch)
            .where(RoundupMatch.id.in_([row.id for row in rows]))
            .execution_options(synchronize_session=False)
        )
    taken: dict[int, list[RoundupMatch]] = defaultdict(list)
    for row in rows:
        taken[row.chat_id].append(row)
    return taken


async def set_rule_mode(
    session: AsyncSession, chat_id: int, rule_id: int, mode: AlertMode
) -> AlertRule | None:
    """Switch one of the chat's rules between instant alerts and the daily round-up."""
    rule = await alert_rule(session, chat_id, rule_id)
    if rule is not None:
        rule.mode = mode
        await session.flush()
    return rule


def story_payload(match: RoundupMatch) -> dict[str, Any]:
    """The match in the shape of a queued alert's payload, which story lists are built from."""
    return {
        "title": match.title,
        "url": match.url,
        "source": match.source,
        "article_id": match.article_id,
    }
