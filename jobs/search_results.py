"""/search results folded by story: one result per story, newest first, in pages."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from store.search import FoundArticle

PAGE_SIZE = 5


@dataclass(frozen=True, slots=True)
class FoundStory:
    """One story among the hits: the copy that speaks for it, and the other outlets."""

    shown: FoundArticle
    also: tuple[str, ...]


def fold_by_story(hits: Sequence[FoundArticle]) -> list[FoundStory]:
    """One result per story, ordered by its newest copy (``hits`` come newest first).

    The copy with a summary speaks for the story (the newest such), else the newest copy; the
    other outlets are named once each.
    """
    copies: dict[str, list[FoundArticle]] = {}
    for hit in hits:
        copies.setdefault(hit.story_key, []).append(hit)
    stories = []
    for same in copies.values():
        shown = next((hit for hit in same if hit.sentences), same[0])
        sources = dict.fromkeys(hit.source for hit in same if hit.source)
        stories.append(
            FoundStory(shown, tuple(source for source in sources if source != shown.source))
        )
    return stories


def page_count(stories: Sequence[FoundStory]) -> int:
    return max(1, math.ceil(len(stories) / PAGE_SIZE))


def page_of(stories: Sequence[FoundStory], page: int) -> list[FoundStory]:
    return list(stories[page * PAGE_SIZE : (page + 1) * PAGE_SIZE])
