"""The reader's language: the gettext translations every user-facing text is looked up in.

Texts are written in English in the code and looked up at the moment they are built for a
chat, so that a digest, an alert and a reply each come out in that chat's language (issue
#13)::

    tr = translation(chat.language)
    tr.gettext("Nothing new since your last digest.")
    tr.ngettext("{count} new story", "{count} new stories", count).format(count=count)

Placeholders are ``str.format`` names, never positional, so a translator may reorder them;
markup (``<b>``) stays outside the message id where it can. ``gettext`` and ``ngettext`` are
Babel's default extraction keywords, so ``pybabel extract`` finds every call as written; the
others this module adds are in :data:`EXTRACT_KEYWORDS`.

A text made where the chat is not known (an exception's message, a constant) is marked with
:func:`N_`, or built as a :class:`LazyText` with :func:`lazy_gettext` / :func:`lazy_ngettext`,
and translated where it is shown.

The catalogs are ``jobs/locale/<lang>/LC_MESSAGES/messages.po`` (English is the source: the
message ids themselves). They are read at run time with Babel's ``read_po``, not compiled to
``.mo``: there is no build step to forget, so a catalog edited or merged is what the bot says
on its next start, never a stale compiled copy; reading one costs milliseconds, once per
language per process.
"""

from __future__ import annotations

import functools
import gettext
import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

log = logging.getLogger(__name__)

ENGLISH = "en"
LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "messages"
# Keywords beyond Babel's defaults (gettext, ngettext, N_...): ``counted(n, "story",
# "stories")`` names singular and plural as its 2nd and 3rd arguments.
EXTRACT_KEYWORDS: Mapping[str, tuple[int, ...] | None] = {
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "counted": (2, 3),
}


def _catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _shipped() -> tuple[str, ...]:
    """English, then every language that has a catalog, in code order."""
    found = sorted(
        entry.name
        for entry in (LOCALE_DIR.iterdir() if LOCALE_DIR.is_dir() else ())
        if _catalog_path(entry.name).is_file()
    )
    return (ENGLISH, *(code for code in found if code != ENGLISH))


# The languages a reader can get; a catalog added to jobs/locale/ is shipped by being there.
SHIPPED_LANGUAGES: tuple[str, ...] = _shipped()


def shipped_language(code: str | None) -> str:
    """The shipped language for a Telegram ``language_code`` ("de", "pt-br", "zh-hans"), or English.

    Telegram sends IETF tags; a catalog is per language, so the region or script is dropped
    ("pt-br" reads Portuguese, "zh-hant" the one Chinese catalog, written in simplified
    characters, which is better than English for a Chinese reader).
    """
    if not code:
        return ENGLISH
    primary = code.strip().lower().replace("_", "-").split("-", 1)[0]
    return primary if primary in SHIPPED_LANGUAGES else ENGLISH


def translation(language: str | None) -> gettext.NullTranslations:
    """The translations for ``language`` (a Telegram ``language_code`` or ISO 639-1 code)."""
    return _load(shipped_language(language))


@functools.cache
def _load(language: str) -> gettext.NullTranslations:
    if language == ENGLISH:
        return gettext.NullTranslations()
    path = _catalog_path(language)
    with path.open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    # GNUTranslations reads the .mo form, and so gets the catalog's Plural-Forms; Babel leaves
    # fuzzy and untranslated entries out, so they fall back to the English message id.
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    log.debug("loaded %s catalog (%d messages)", language, len(catalog))
    return gettext.GNUTranslations(compiled)


def N_(message: str) -> str:
    """Mark ``message`` for extraction only; it is translated where it is shown."""
    return message


@dataclass(frozen=True, slots=True)
class LazyText:
    """A message made before the reader's language is known, translated when shown.

    ``str()`` gives English, so logs and the operator's CLI read as before.
    """

    singular: str
    plural: str | None = None
    count: int = 1
    params: Mapping[str, object] = field(default_factory=dict)

    def translated(self, translations: gettext.NullTranslations) -> str:
        if self.plural is None:
            template = translations.gettext(self.singular)
        else:
            template = translations.ngettext(self.singular, self.plural, self.count)
        if not self.params:
            return template  # no placeholders: braces in a text from outside stay as written
        values = {
            name: value.translated(translations) if isinstance(value, LazyText) else value
            for name, value in self.params.items()
        }
        return template.format(**values)

    def __str__(self) -> str:
        return self.translated(_load(ENGLISH))


def lazy_gettext(message: str, **params: object) -> LazyText:
    """``message`` with its ``{placeholders}``, translated when shown."""
    return LazyText(message, params=params)


def lazy_ngettext(singular: str, plural: str, count: int, **params: object) -> LazyText:
    """A counted message; ``{count}`` is filled with ``count`` unless given."""
    return LazyText(singular, plural, count, {"count": count, **params})


class ReaderError(Exception):
    """An error whose message is for the reader: :meth:`translated` words it in their language.

    ``str(exc)`` is English (logs, the CLI). A plain ``str`` message is looked up as it is, so
    one that is not a catalog entry stays English.
    """

    def __init__(self, message: LazyText | str) -> None:
        self.text = message if isinstance(message, LazyText) else LazyText(message)
        super().__init__(str(self.text))

    def translated(self, translations: gettext.NullTranslations) -> str:
        return self.text.translated(translations)
