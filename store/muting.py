"""Data access for /mute: a chat's mute rules, and the article texts they are matched against."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from store.database import insert_or_ignore
from store.models import Article, MuteRule


async def add_mute_rule(
    session: AsyncSession, chat_id: int, query: str, *, written: str, now: datetime
) -> tuple[MuteRule, bool]:
    """Add the mute unless the chat has the same one (``query`` canonical); (rule, created)."""
    created = await insert_or_ignore(
        session,
        MuteRule,
        {"chat_id": chat_id, "query": query, "written": written, "created_at": now},
        keys=["chat_id", "query"],
    )
    rule = await session.scalar(
        select(MuteRule).where(MuteRule.chat_id == chat_id, MuteRule.query == query)
    )
    assert rule is not None
    return rule, created


async def mute_rules(session: AsyncSession, chat_id: int) -> list[MuteRule]:
    return list(
        await session.scalars(
            select(MuteRule).where(MuteRule.chat_id == chat_id).order_by(MuteRule.id)
        )
    )


async def remove_mute_rule(session: AsyncSession, chat_id: int, rule_id: int) -> bool:
    result = await session.execute(
        delete(MuteRule).where(MuteRule.chat_id == chat_id, MuteRule.id == rule_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def mutes_of_chats(
    session: AsyncSession, chat_ids: Sequence[int]
) -> list[tuple[int, int, str]]:
    """The mutes of these chats as (rule id, chat id, canonical query), the shape
    :meth:`jobs.alert_matching.AlertIndex.build` takes once parsed."""
    if not chat_ids:
        return []
    rows = await session.execute(
        select(MuteRule.id, MuteRule.chat_id, MuteRule.query)
        .where(MuteRule.chat_id.in_(list(chat_ids)))
        .order_by(MuteRule.id)
    )
    return [(rule_id, chat_id, query) for rule_id, chat_id, query in rows]


async def article_texts(
    session: AsyncSession, article_ids: Sequence[int]
) -> dict[int, list[tuple[str, str]]]:
    """(title, text) of each article: the whole text, which alerts are matched against too."""
    if not article_ids:
        return {}
    rows = await session.execute(
        select(Article.id, Article.title, Article.text).where(Article.id.in_(list(article_ids)))
    )
    return {article_id: [(title, text)] for article_id, title, text in rows}


async def story_texts(
    session: AsyncSession, article_ids: Sequence[int]
) -> dict[int, list[tuple[str, str]]]:
    """Per article, (title, text) of it and of every stored copy of its story (other outlets'
    articles with its story key): a story is muted when any copy of it matches."""
    if not article_ids:
        return {}
    asked = aliased(Article)
    rows = await session.execute(
        select(asked.id, Article.title, Article.text)
        .join(
            Article,
            or_(Article.id == asked.id, Article.story_key == asked.story_key),
        )
        .where(asked.id.in_(list(article_ids)))
        .order_by(asked.id, Article.id)
    )
    texts: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for article_id, title, text in rows:
        texts[article_id].append((title, text))
    return texts
