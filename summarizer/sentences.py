"""Sentence and word splitting for English news, and the adapter that gives it to sumy."""

from __future__ import annotations

import re
import threading

import pysbd

# pysbd keeps per-call state on the Segmenter, so each thread of the digest pool gets its own.
_local = threading.local()

# sumy keeps only tokens that are letters with inner apostrophes or hyphens (its
# Tokenizer._WORD_PATTERN); a regex yielding exactly that class is equivalent to running NLTK's
# word tokenizer and filtering, without NLTK's punkt data and at a fraction of the cost.
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# pysbd's blind spots with quoted speech, found on British news pages. A quote that closes a
# sentence and is followed by the next one ("... over. ' The council ...") is one piece to pysbd;
# split after the closing quote. A closing quote after terminal punctuation, then space, then a
# capital or an opening quote: an apostrophe never follows a full stop that way.
# An opening quote right after a sentence's full stop ("... she said. 'The food ...") starts one.
_AFTER_CLOSING_QUOTE = re.compile(
    r"(?<=[.!?])\s?['’\"”](?=\s+[‘'\"“]?[A-Z])|(?<=[.!?])\s+(?=[‘'\"“][A-Z])"
)
# A quote ending in a comma ("..., '") continues into its attribution ("Merson put on Twitter."),
# which pysbd cuts off when the quote held a question mark: join them again.
_OPEN_ATTRIBUTION = re.compile(r",\s?['’\"”]$")
# How a sentence ends: terminal punctuation, then any closing quotes or brackets.
# With the full-width stops of Chinese and Japanese (。！？) and the Arabic question mark (؟).
SENTENCE_END = re.compile(r"""[.!?…。！？؟]["'”’)\]」』]*$""")
# Picture captions carry no full stop, so on pages flattened to text (Daily Mail's above all) a
# caption runs into the sentence after it: "... has denied four counts of assault A senior
# doctor facing ...". A capitalised article, pronoun or conjunction followed by a lower-case
# word does not occur inside a sentence (titles such as "The Great Escape" go on in capitals), so
# it starts a new one when it follows a lower-case word, a figure or a closing bracket or quote.
# Measured: 3 cuts in cnn_train's 32,600 sentences, 8 in BBC dev's 18,800, 187 in CNN/DM dev's
# 5,200 (Daily Mail pages). A caption also ends in a name or a day ("... manager on Friday The
# club ..."); after a capitalised word only openers that are no part of a name or title count
# ("Serie A titles", "Faking It and", "How We do", the surname "Her" are), which cuts once more
# in BBC dev ("... analyst Vadim Mitroshin The dispute ..."), never in cnn_train, and 36 times
# more in CNN/DM dev. Four words before the cut keep datelines whole ("Washington The vote").
_CAPTION_RUN = re.compile(
    r"(?:\b[a-z][a-z'’-]+|[0-9%)]|[A-Za-z][’'”\"])(\s+)"
    r"(?=(?:The|A|An|It|He|She|They|We|His|Her|Their|Its|This|These|Those|There|But|And)"
    r"\s+[a-z])"
    r"|\b[A-Z][a-z'’-]+(\s+)(?=(?:The|An|He|She|They|His|Their|Its|This|These|Those)\s+[a-z])"
)


def _segmenter(language: str = "en") -> pysbd.Segmenter:
    segmenters: dict[str, pysbd.Segmenter] | None = getattr(_local, "segmenters", None)
    if segmenters is None:
        segmenters = _local.segmenters = {}
    segmenter = segmenters.get(language)
    if segmenter is None:
        segmenter = segmenters[language] = pysbd.Segmenter(language=language, clean=False)
    return segmenter


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph into sentences; abbreviations, decimals and quotes stay whole."""
    return [paragraph[start:end] for start, end in sentence_spans(paragraph)]


def sentence_spans(paragraph: str, language: str = "en") -> list[tuple[int, int]]:
    """Where each sentence of ``paragraph`` starts and ends, in order, without outer spaces.

    ``language`` is a pysbd rule set (languages.LanguageProfile.pysbd).
    """
    # Segmenter.segment() would also locate every sentence in the text again with one fresh regex
    # each (about 40 % of its time); without pysbd's cleaning the processor's sentences are
    # already verbatim substrings, found here in order.
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in _segmenter(language).processor(paragraph).process():
        piece = piece.strip()
        if not piece:
            continue
        start = paragraph.find(piece, cursor)
        start = cursor if start < 0 else start
        cursor = start + len(piece)
        spans.extend(_split_after_closing_quotes(paragraph, start, cursor))
    joined = _join_cut_attributions(paragraph, spans)
    return [
        _strip(paragraph, a, b) for s, e in joined for a, b in _split_caption_runs(paragraph, s, e)
    ]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    return start + lead, start + len(piece.rstrip())


def _split_after_closing_quotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    for match in _AFTER_CLOSING_QUOTE.finditer(text, start, end):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, end))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _split_caption_runs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    # Both sides must be readable-sized, so a cut never leaves a fragment ("hepatitis A each year").
    spans = []
    for match in _CAPTION_RUN.finditer(text, start, end):
        cut, resume = match.span(1) if match.group(1) is not None else match.span(2)
        if (
            len(text[start:cut].split()) >= MIN_READABLE_WORDS
            and len(text[resume:end].split()) >= MIN_READABLE_WORDS
        ):
            spans.append((start, cut))
            start = resume
    spans.append((start, end))
    return spans


def _join_cut_attributions(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and _OPEN_ATTRIBUTION.search(text[joined[-1][0] : joined[-1][1]].rstrip()):
            joined[-1] = (joined[-1][0], end)  # the previous piece is a quote awaiting its speaker
        else:
            joined.append((start, end))
    return joined


def split_words(sentence: str) -> list[str]:
    """Return the words of ``sentence`` (letters, inner apostrophes and hyphens; no numbers)."""
    return _WORD.findall(sentence)


class SumyTokenizer:
    """sumy's ``Tokenizer`` interface over pysbd, which ships its rules in the package."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(split_words(sentence))


# Longer than this is not a sentence a reader takes in at a glance but, in news pages, picture
# captions without full stops merged with the story (on cnn_train 1 % of sentences are longer,
# and the oracle summaries pick half as many of them as chance would).
MAX_READABLE_WORDS = 55
MIN_READABLE_WORDS = 4


def is_readable(sentence: str) -> bool:
    """False for what a summary must not show: fragments and merged runs.

    A fragment starts in lower case, has under four words, is a quote still waiting for its
    speaker ("..., '") or has no closing punctuation (a picture caption split off the sentence it
    ran into); a merged run is longer than MAX_READABLE_WORDS.
    """
    words = len(sentence.split())
    return (
        MIN_READABLE_WORDS <= words <= MAX_READABLE_WORDS
        and not sentence[:1].islower()
        and not _OPEN_ATTRIBUTION.search(sentence)
        and bool(SENTENCE_END.search(sentence))
    )
