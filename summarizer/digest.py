"""The digest of one article and the ``summarize`` entry point."""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from typing import Any

from summarizer.cleaning import clean_paragraphs, split_title
from summarizer.entities import Mention, rank_entities
from summarizer.errors import EmptyTextError, TextTooShortError, UnsupportedLanguageError
from summarizer.figures import rank_figures
from summarizer.language import detect_language
from summarizer.model import call_lock, english_pipeline
from summarizer.ranking import build_article, select_sentences

# Bump when the same text would give a different digest (cleaning, ranking or model change).
SUMMARIZER_VERSION = "1.4.0"
MIN_WORDS = 40
WORDS_PER_MINUTE = 230
MAX_ENTITIES = 25
# A digest item shows a story's few key figures, not every number in it (issue #14).
MAX_FIGURES = 3


@dataclass(frozen=True, slots=True)
class Entity:
    """A named thing the article is about.

    ``kind`` is person, organisation, place, group (nationality or group), product or event.
    """

    text: str
    kind: str
    mentions: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "kind": self.kind, "mentions": self.mentions}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        return cls(str(data["text"]), str(data["kind"]), int(data["mentions"]))


@dataclass(frozen=True, slots=True)
class Figure:
    """A number that matters: ``text`` as written, ``value`` normalised.

    ``unit`` is an ISO currency code, "%", a unit word ("metres") or None for a count;
    ``kind`` is money, percent, quantity or count; ``about`` says what it measures; ``high`` is
    the high end of a range ("between 5 and 7 percent": value 5, high 7); ``direction`` is "up"
    or "down" for a change ("up 3%", "from 51 million to 60 million").
    """

    text: str
    value: float
    unit: str | None
    kind: str
    about: str
    high: float | None = None
    direction: str | None = None

    def shown(self) -> str:
        """The figure as a reader sees it: a change's direction before a bare number ("up 3%")."""
        if self.direction and not self.text.lower().startswith(("from ", "up ", "down ")):
            return f"{self.direction} {self.text}"
        return self.text

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "value": self.value,
            "unit": self.unit,
            "kind": self.kind,
            "about": self.about,
            "high": self.high,
            "direction": self.direction,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Figure:
        unit = data.get("unit")
        high = data.get("high")  # absent in digests stored before 1.4.0
        direction = data.get("direction")
        return cls(
            str(data["text"]),
            float(data["value"]),
            None if unit is None else str(unit),
            str(data["kind"]),
            str(data["about"]),
            None if high is None else float(high),
            None if direction is None else str(direction),
        )


@dataclass(frozen=True, slots=True)
class Digest:
    """What the bot shows for one article."""

    title: str | None
    sentences: tuple[str, ...]
    entities: tuple[Entity, ...]
    figures: tuple[Figure, ...]
    language: str
    word_count: int
    reading_minutes: int
    method: str
    version: str = SUMMARIZER_VERSION

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data; ``Digest.from_dict`` rebuilds the digest from it."""
        return {
            "title": self.title,
            "sentences": list(self.sentences),
            "entities": [e.to_dict() for e in self.entities],
            "figures": [f.to_dict() for f in self.figures],
            "language": self.language,
            "word_count": self.word_count,
            "reading_minutes": self.reading_minutes,
            "method": self.method,
            "version": self.version,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Digest:
        title = data.get("title")
        return cls(
            title=None if title is None else str(title),
            sentences=tuple(str(s) for s in data["sentences"]),
            entities=tuple(Entity.from_dict(e) for e in data.get("entities", ())),
            figures=tuple(Figure.from_dict(f) for f in data.get("figures", ())),
            language=str(data.get("language", "english")),
            word_count=int(data.get("word_count", 0)),
            reading_minutes=int(data.get("reading_minutes", 0)),
            method=str(data["method"]),
            version=str(data.get("version", SUMMARIZER_VERSION)),
        )


def summarize(
    text: str,
    *,
    title: str | None = None,
    max_sentences: int = 3,
    max_chars: int | None = None,
    method: str = "news",
    extract: bool = True,
) -> Digest:
    """Summarize one article.

    Input past ``cleaning.MAX_INPUT_CHARS`` (1,000,000) characters is ignored, and the story is
    cut at ``cleaning.MAX_STORY_CHARS`` (60,000) characters after cleaning, so time is bounded.
    With ``extract=False`` the entities and figures are skipped (and the spaCy model never loads).

    Raises:
        EmptyTextError, TextTooShortError, UnsupportedLanguageError, UnknownMethodError,
        ModelUnavailableError: all ``SummarizerError``.
    """
    if max_sentences < 1:
        raise ValueError(f"max_sentences must be at least 1, got {max_sentences}")
    if not text.strip():
        raise EmptyTextError()
    paragraphs = clean_paragraphs(text)
    if title is None:
        title, paragraphs = split_title(paragraphs)
    elif paragraphs and paragraphs[0].strip() == title.strip():
        paragraphs = paragraphs[1:]
    if not paragraphs:
        raise EmptyTextError()
    body = "\n\n".join(paragraphs)
    word_count = len(body.split())
    if word_count < MIN_WORDS:
        raise TextTooShortError(word_count, MIN_WORDS)
    language = detect_language(body)
    if language != "english":
        raise UnsupportedLanguageError(language)

    article = build_article(paragraphs)
    chosen = select_sentences(
        article, method=method, max_sentences=max_sentences, max_chars=max_chars, title=title
    )
    sentences = tuple(article.sentences[i] for i in chosen)
    if max_chars is not None and sum(len(s) + 1 for s in sentences) - 1 > max_chars:
        sentences = (textwrap.shorten(sentences[0], width=max_chars, placeholder=" …"),)
    entities: tuple[Entity, ...] = ()
    figures: tuple[Figure, ...] = ()
    if extract:
        mentions = _named_spans(body)
        entities = tuple(
            Entity(e.text, e.kind, e.mentions)
            for e in rank_entities(
                mentions, text=body, title=title, summary=sentences, limit=MAX_ENTITIES
            )
        )
        figures = tuple(
            Figure(f.text, f.value, f.unit, f.kind, f.about, f.high, f.direction)
            for f in rank_figures(
                mentions,
                text=body,
                sentence_spans=article.spans,
                summary_indices=chosen,
                limit=MAX_FIGURES,
                title=title,
            )
        )
    return Digest(
        title=title,
        sentences=sentences,
        entities=entities,
        figures=figures,
        language=language,
        word_count=word_count,
        reading_minutes=max(1, math.ceil(word_count / WORDS_PER_MINUTE)),
        method=method,
    )


def _named_spans(text: str) -> list[Mention]:
    nlp = english_pipeline()
    with call_lock:
        doc = nlp(text)
    return [Mention(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents]
