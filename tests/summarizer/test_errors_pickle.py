"""Summarizer errors survive the trip back from a worker process (pickling) unchanged."""

from __future__ import annotations

import pickle

import pytest

from summarizer import (
    EmptyTextError,
    ModelUnavailableError,
    SummarizerError,
    TextTooShortError,
    UnknownMethodError,
    UnsupportedLanguageError,
)


@pytest.mark.parametrize(
    "error",
    [
        EmptyTextError(),
        TextTooShortError(12, 40),
        UnsupportedLanguageError("german"),
        UnknownMethodError("magic", ("news", "lead")),
        ModelUnavailableError(("en_core_web_sm",)),
    ],
)
def test_round_trip_keeps_type_and_message(error: SummarizerError) -> None:
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 -- our own bytes, as a worker sends them
    assert type(copy) is type(error)
    assert str(copy) == str(error)
