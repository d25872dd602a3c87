"""Pure summarization: article text in, a digest (sentences, entities, figures) out. No I/O."""

from summarizer.cleaning import MAX_INPUT_CHARS, MAX_STORY_CHARS, clean_text
from summarizer.digest import SUMMARIZER_VERSION, Digest, Entity, Figure, summarize
from summarizer.errors import (
    EmptyTextError,
    ModelUnavailableError,
    SummarizerError,
    TextTooShortError,
    UnknownMethodError,
    UnsupportedLanguageError,
)
from summarizer.language import detect_language, is_english
from summarizer.languages import SUPPORTED, language_name
from summarizer.model import english_pipeline
from summarizer.ranking import METHODS

__all__ = [
    "MAX_INPUT_CHARS",
    "MAX_STORY_CHARS",
    "METHODS",
    "SUMMARIZER_VERSION",
    "SUPPORTED",
    "Digest",
    "EmptyTextError",
    "Entity",
    "Figure",
    "ModelUnavailableError",
    "SummarizerError",
    "TextTooShortError",
    "UnknownMethodError",
    "UnsupportedLanguageError",
    "clean_text",
    "detect_language",
    "english_pipeline",
    "is_english",
    "language_name",
    "summarize",
]
