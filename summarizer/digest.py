"""The digest of one article and the ``summarize`` entry point."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from summarizer.cleaning import clean_paragraphs, split_title
from summarizer.entities import Mention, rank_entities
from summarizer.errors import EmptyTextError, TextTooShortError, UnsupportedLanguageError
from summarizer.figures import rank_figures
from summarizer.language_id import UNKNOWN, identify_language
from summarizer.languages import primary_code, profile_for
from summarizer.model import article_zone, call_lock, english_pipeline
from summarizer.multilingual import digest_foreign
from summarizer.multilingual_text import length_unit, text_length
from summarizer.ranking import build_article, select_sentences

# Bump when the same text would give a different digest (cleaning, ranking or model change).
SUMMARIZER_VERSION = "1.11.0"
MIN_WORDS = 40
# Chinese and Japanese are counted in characters: 80 say about what 40 English words do.
MIN_CJK_CHARS = 80
MAX_ENTITIES = 25
# A digest item shows a story's few key figures, not every number in it (issue #14).
MAX_FIGURES = 3


@dataclass(frozen=True, slots=True)
class Entity:
    """A named thing the article is about.

    ``kind`` is person, organisation, place, group (nationality or group), product, event or
    work (the title of a book, film, album, play).
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
    language: str  # ISO 639-1
    word_count: int  # for Chinese and Japanese: characters
    reading_minutes: int
    method: str
    version: str = SUMMARIZER_VERSION
    # Where the entities came from: a spaCy package name, or "rules" for the documented
    # fallback of multilingual_entities (kinds "place" and "name" only); "" without entities.
    entity_source: str = ""

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
            "entity_source": self.entity_source,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Digest:
        title = data.get("title")
        return cls(
            title=None if title is None else str(title),
            sentences=tuple(str(s) for s in data["sentences"]),
            entities=tuple(Entity.from_dict(e) for e in data.get("entities", ())),
            figures=tuple(Figure.from_dict(f) for f in data.get("figures", ())),
            # Digests stored before 1.4.0 were English only and said "english".
            language=primary_code(str(data.get("language", "en"))) or "und",
            word_count=int(data.get("word_count", 0)),
            reading_minutes=int(data.get("reading_minutes", 0)),
            method=str(data["method"]),
            version=str(data.get("version", SUMMARIZER_VERSION)),
            entity_source=str(data.get("entity_source", "")),
        )


def summarize(
    text: str,
    *,
    title: str | None = None,
    max_sentences: int = 3,
    max_chars: int | None = None,
    method: str = "news",
    extract: bool = True,
    language: str | None = None,
    hints: Sequence[str | None] = (),
) -> Digest:
    """Summarize one article.

    Input past ``cleaning.MAX_INPUT_CHARS`` (1,000,000) characters is ignored, and the story is
    cut at ``cleaning.MAX_STORY_CHARS`` (60,000) characters after cleaning, so time is bounded.
    With ``extract=False`` the entities and figures are skipped (and the spaCy model never loads).
    ``language`` (ISO 639-1) overrides identification; otherwise ``hints``, the feed's and the
    page's language tags, tip close calls (language_id.identify_language).

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
    # The language first: how the text is counted depends on it (Chinese has no spaces).
    if language is not None:
        language = primary_code(language) or language
    else:
        language = identify_language(body, hints)
    profile = profile_for(language)
    if profile is None:
        if language == UNKNOWN and len(body.split()) < MIN_WORDS:
            # A text too short to tell its language is, above all, too short: say that.
            raise TextTooShortError(len(body.split()), MIN_WORDS)
        raise UnsupportedLanguageError(language)
    word_count = text_length(body, profile)
    minimum = MIN_WORDS if profile.spaced else MIN_CJK_CHARS
    if word_count < minimum:
        raise TextTooShortError(word_count, minimum, length_unit(profile))
    reading_minutes = max(1, math.ceil(word_count / profile.per_minute))
    if language == "en":
        sentences, entities, figures = _english_parts(
            paragraphs, body, title, max_sentences, max_chars, method, extract
        )
        meta = english_pipeline().meta if extract else {}
        source = f"{meta['lang']}_{meta['name']}" if extract else ""
    else:
        foreign = digest_foreign(
            paragraphs,
            profile,
            title=title,
            max_sentences=max_sentences,
            max_chars=max_chars,
            method=method,
            extract=extract,
            max_entities=MAX_ENTITIES,
            max_figures=MAX_FIGURES,
        )
        sentences, source = foreign.sentences, foreign.entity_source
        entities = tuple(Entity(e.text, e.kind, e.mentions) for e in foreign.entities)
        figures = tuple(Figure(f.text, f.value, f.unit, f.kind, "") for f in foreign.figures)
    return Digest(
        title=title,
        sentences=sentences,
        entities=entities,
        figures=figures,
        language=language,
        word_count=word_count,
        reading_minutes=reading_minutes,
        method=method,
        entity_source=source,
    )


def _english_parts(
    paragraphs: list[str],
    body: str,
    title: str | None,
    max_sentences: int,
    max_chars: int | None,
    method: str,
    extract: bool,
) -> tuple[tuple[str, ...], tuple[Entity, ...], tuple[Figure, ...]]:
    """Summary, entities and figures of an English story (the learned news method, spaCy)."""
    article = build_article(paragraphs)
    chosen = select_sentences(
        article, method=method, max_sentences=max_sentences, max_chars=max_chars, title=title
    )
    sentences = tuple(article.sentences[i] for i in chosen)
    if max_chars is not None and sum(len(s) + 1 for s in sentences) - 1 > max_chars:
        sentences = (textwrap.shorten(sentences[0], width=max_chars, placeholder=" …"),)
    if not extract:
        return sentences, (), ()
    # spaCy's words for this article are forgotten once its entities and figures are out.
    with article_zone():
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
    return sentences, entities, figures


def _named_spans(text: str) -> list[Mention]:
    nlp = english_pipeline()
    with call_lock:
        doc = nlp(text)
    return [Mention(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents]
