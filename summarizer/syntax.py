"""Dependency parses of single sentences, from the parser the NER-only pipeline keeps disabled."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from summarizer.model import SYNTAX_PIPES, call_lock, english_pipeline


def parse_sentences(sentences: Sequence[str]) -> list[Any]:
    """Return a tagged and parsed spaCy ``Doc`` per sentence.

    Only the sentences given are parsed: running the parser over whole articles would cost
    more than NER itself, and figures need the syntax of the sentences that hold them alone.
    """
    nlp = english_pipeline()
    with call_lock:
        docs = [nlp.make_doc(sentence) for sentence in sentences]
        for name in SYNTAX_PIPES:
            docs = list(nlp.get_pipe(name).pipe(docs))
    return docs
