"""/mute: queries in the alert syntax whose matching stories a chat never sees.

Mutes are matched with the alerts' one-pass matcher (:class:`jobs.alert_matching.AlertIndex`),
against the same title and whole text: a story that would fire ``/alert X`` is the story that
``/mute X`` hides. They are checked where a story reaches a chat: alert matching (a muted
chat is not alerted), digest selection and round-ups (a story any copy of which is muted is
left out, with a count in the digest footer), and the "while you were away" list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from jobs.alert_matching import AlertIndex
from jobs.alert_query import AlertQuery, AlertQueryError, check_specific, parse_alert_query
from jobs.i18n import translation
from store import muting


class MuteError(AlertQueryError):
    """A mute we refuse; the message says what to change."""


def parse_mute(text: str, *, max_chars: int, language: str | None = None) -> AlertQuery:
    """Parse what follows ``/mute``, refusing what would hide nearly every story."""
    query = parse_alert_query(text, max_chars=max_chars)
    try:
        check_specific(query, text)
    except AlertQueryError as exc:
        # check_specific words its refusal for alerts; the reason is the same for a mute.
        tr = translation(language)
        raise MuteError(
            tr.gettext(
                "That mute would hide nearly every story: words like 'the' or 'and' are in "
                "all of them. Mute words that name the topic, as in: /mute football"
            )
        ) from exc
    return query


def compile_mutes(rules: Iterable[tuple[int, int, str]]) -> AlertIndex:
    """One index over (rule id, chat id, canonical query) mutes."""
    return AlertIndex.from_stored(rules, kind="mute")


def hidden_articles(
    index: AlertIndex, texts: Mapping[int, Sequence[tuple[str, str]]]
) -> dict[int, set[int]]:
    """Per chat, which of these articles its mutes hide: ``texts`` gives each article's
    (title, text), and any copies of its story, one of which matching is enough."""
    hidden: dict[int, set[int]] = defaultdict(set)
    if not len(index):
        return hidden
    for article_id, copies in texts.items():
        for title, text in copies:
            for chat_id in index.match(title, text):
                hidden[chat_id].add(article_id)
    return hidden


async def muted_articles(
    session: AsyncSession, chat_ids: Sequence[int], article_ids: Sequence[int]
) -> dict[int, set[int]]:
    """Per chat of ``chat_ids``, which of ``article_ids`` its mutes hide, as stories: an
    article is hidden when any stored copy of its story matches. Reads nothing more when the
    chats have no mutes."""
    rules = await muting.mutes_of_chats(session, chat_ids)
    if not rules or not article_ids:
        return {}
    return hidden_articles(compile_mutes(rules), await muting.story_texts(session, article_ids))


async def without_muted(
    session: AsyncSession, chat_id: int, stories: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The stories (alert payloads) the chat's mutes let through; payloads queued before they
    named their article cannot be checked and are kept."""
    ids = [story["article_id"] for story in stories if isinstance(story.get("article_id"), int)]
    hidden = (await muted_articles(session, [chat_id], ids)).get(chat_id, set())
    return [story for story in stories if story.get("article_id") not in hidden]
