"""Turn a dirty article (HTML, wire furniture, odd whitespace) into plain story paragraphs."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from summarizer.sentences import SENTENCE_END

# A news story is a few thousand words; anything past this is a paste accident, and every later
# stage (sentence splitting, the sentence graph, NER) grows with length: cut to bound time.
MAX_INPUT_CHARS = 1_000_000
MAX_STORY_CHARS = 60_000

_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)
_SKIP_TAGS = frozenset(["script", "style", "noscript", "template", "svg", "iframe", "head"])
_LOOKS_LIKE_HTML = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*)(?:\s[^<>]*)?/?>|</[a-zA-Z][a-zA-Z0-9]*>")


class _TextExtractor(HTMLParser):
    # The stdlib parser is enough for the fragments feeds carry; full pages go through
    # trafilatura in ingestion before they reach us.
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def strip_html(text: str) -> str:
    """Return the text of an HTML fragment with block elements as paragraph breaks."""
    extractor = _TextExtractor()
    extractor.feed(text)
    extractor.close()
    return "".join(extractor.parts)


# Whole paragraphs that are page furniture, not story.
_FURNITURE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        # Xinhua: "Source: Xinhua| 2017-05-09 ...|Editor: Mengjie"
        r"source\s*:.{0,80}(?:\||editor\s*:).*",
        r"editor\s*:\s*\S.{0,40}",
        r"(?:video\s*player\s*close|advertisement|share this article|play video|watch video"
        r"|click here.{0,60}|read more.{0,60}|related articles?|explore \w+)",
        r"key\s*words?\s*:.*",
        r"tags?\s*:.{0,120}",
        # Bylines: "by Xinhua writers Liu Chang, Li Rong", "By Jane Doe, Reuters".
        r"by\s+[^.!?]{2,80}",
        r"(?:published|updated|last updated)\s*:?.{0,60}\d.{0,40}",
        r"(?:photo|image|picture)\s*(?:credit)?\s*:.{0,80}",
        r"[\W\d_]{6,}",  # tracking numbers and rules of punctuation
    )
]
# Furniture that runs into the story's sentences rather than standing as a paragraph: video
# players and teasers ("Scroll down for video", BBC's "Media playback is not supported on this
# device"), which would otherwise be summary sentences or glue onto the next one.
_INLINE_FURNITURE = re.compile(
    r"\bVideo\s*Player\s*Close\b|\bScroll down for (?:video|more)\b\.?"
    r"|\bMedia playback is (?:not |un)?supported on (?:this|your) device\b\.?",
    re.IGNORECASE,
)
# Picture credits ("Photograph: Matt Dunham/AP", "Photo: Getty Images") carry no full stop, so the
# splitter glues them to the sentence after; the agency is one capitalised name (case matters).
_PHOTO_CREDIT = re.compile(
    r"\b(?:Photograph|Photo|Picture|Image)s?\s*:\s*(?:"
    r"[^.\n/:]{0,80}/\s*[A-Z][\w&-]*(?: (?:Images|Photos|Pictures|Features|Press|Shutterstock))?"
    r"|(?:Getty Images|Reuters|AFP|EPA|AP|PA|Alamy|Shutterstock|Rex Features)\b)"
)
# Daily Mail's page header, which runs into the story when a page is flattened to one paragraph:
# "By . Daily Mail Reporter . PUBLISHED: . 07:41 EST, 10 January 2014 . | . UPDATED: . 09:06
# EST, 10 January 2014 ." (the dots stand where the page had line breaks; a page read as text has
# none), or "By . Sam Webb . Last updated at 5:33 PM on 11th November 2011 .". Lead-3 and the
# scorer alike would take it for the first sentence. A byline goes only with a time stamp.
_TIME_STAMP = (
    r"(?:PUBLISHED|UPDATED|Last updated)\s*:?\s*\.?\s*(?:at\s+)?\d{1,2}:\d{2}\s*(?:[A-Z]{2,3}\b)?"
    r",?\s*(?:on\s+)?\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4}\s*\.?\s*(?:\|\s*\.?\s*)?"
)
_PAGE_HEADER = re.compile(
    r"^(?:By\s*\.?\s+(?:(?:and\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}\s*\.?\s*){1,3})?"
    rf"(?:{_TIME_STAMP})+"
)
# "BEIJING, May 9 (Xinhua) --", "LONDON (Reuters) -", "(CNN)", "WASHINGTON —".
_DATELINE = re.compile(
    r"""^(?:
        (?:[A-Z][A-Za-z.'-]*[ ]?){0,3}[A-Z]{2,}[A-Za-z.'-]*   # place, mostly upper case
        (?:,[ ]?[A-Z][A-Za-z.]*(?:[ ][A-Za-z.]+)?)?           # optional ", May 9" / ", Calif."
        (?:[ ]\d{1,2})?
        [ ]?(?:\([A-Za-z. ]{2,30}\))?[ ]?(?:--|—|–|-)[ ]?     # "(Xinhua) --"
      | \((?:CNN|AP|AFP|Reuters|Xinhua|dpa|UPI)\)[ ]?(?:--|—|–|-)?[ ]?
    )""",
    re.VERBOSE,
)
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_BLANK_LINES = re.compile(r"\n\s*\n")


def _paragraphs(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    if _BLANK_LINES.search(text):
        # Blank lines separate paragraphs; single newlines inside one are soft wraps.
        blocks = _BLANK_LINES.split(text)
        return [" ".join(line.strip() for line in b.split("\n")) for b in blocks]
    return text.split("\n")


def _without_inline_furniture(text: str) -> str:
    return _PHOTO_CREDIT.sub(" ", _INLINE_FURNITURE.sub(" ", text))


def _is_heading(paragraph: str) -> bool:
    # str.isupper() is true when every cased character is upper case and there is at least one.
    return len(paragraph) <= 120 and paragraph.isupper() and len(paragraph.split()) <= 12


def _is_furniture(paragraph: str) -> bool:
    if len(paragraph) > 200 or (SENTENCE_END.search(paragraph) and len(paragraph.split()) > 12):
        return False
    return any(p.fullmatch(paragraph) for p in _FURNITURE)


def clean_paragraphs(text: str) -> list[str]:
    """Return the story's paragraphs: HTML, furniture, headings and datelines removed."""
    text = text[:MAX_INPUT_CHARS]
    if _LOOKS_LIKE_HTML.search(text):
        text = strip_html(text)
    kept: list[str] = []
    for raw in _paragraphs(text):
        paragraph = _SPACES.sub(" ", _without_inline_furniture(raw)).strip()
        if not paragraph or _is_heading(paragraph) or _is_furniture(paragraph):
            continue
        if not kept:
            paragraph = _DATELINE.sub("", _PAGE_HEADER.sub("", paragraph, count=1), count=1)
        elif len(kept) == 1 and _is_title_like(kept[0]):
            # The dateline opens the first story paragraph, which follows the headline.
            paragraph = _DATELINE.sub("", paragraph, count=1)
        kept.append(paragraph)
    # Footers ("EXPLORE XINHUANET", "Follow us") trail the story without closing punctuation.
    while (
        kept and len(kept) > 1 and not SENTENCE_END.search(kept[-1]) and len(kept[-1].split()) <= 8
    ):
        kept.pop()
    return _cap(kept)


def _cap(paragraphs: list[str]) -> list[str]:
    total = 0
    for i, paragraph in enumerate(paragraphs):
        total += len(paragraph) + 2
        if total > MAX_STORY_CHARS:
            return paragraphs[: max(i, 1)] if i else [paragraph[:MAX_STORY_CHARS]]
    return paragraphs


def _is_title_like(paragraph: str) -> bool:
    return not SENTENCE_END.search(paragraph) and 2 <= len(paragraph.split()) <= 25


def split_title(paragraphs: list[str]) -> tuple[str | None, list[str]]:
    """Take a leading headline (one short line without closing punctuation) off the paragraphs."""
    if len(paragraphs) > 1 and _is_title_like(paragraphs[0]):
        return paragraphs[0], paragraphs[1:]
    return None, paragraphs


def clean_text(text: str) -> str:
    """Return the story text of ``text``, paragraphs separated by blank lines."""
    return "\n\n".join(clean_paragraphs(text))
