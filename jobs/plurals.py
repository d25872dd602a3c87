"""Counted nouns ("1 story", "2 stories") by the language's plural rules, through gettext.

Every message that shows a count goes through :func:`counted`: pass the chat's translations
(``jobs.i18n.translation(chat.language)``) and ``ngettext`` picks the form by the catalog's
``Plural-Forms``, which Babel writes from CLDR's rules. Without them English is chosen by
Babel's CLDR rule for ``en`` rather than a hand-written ``n == 1``. For extraction, the
keyword is ``counted:2,3`` (singular and plural are the second and third arguments).
"""

from __future__ import annotations

import gettext

from babel import Locale
from babel.numbers import format_decimal

_ENGLISH = Locale("en")


def counted(
    count: int,
    singular: str,
    plural: str,
    *,
    translations: gettext.NullTranslations | None = None,
) -> str:
    """``count`` and the noun in the form the count takes: ``counted(1, "story", "stories")``."""
    if translations is not None:
        noun = translations.ngettext(singular, plural, count)
    else:
        noun = singular if _ENGLISH.plural_form(count) == "one" else plural
    # The digits as the reader's locale groups them ("1,234", "1.234", "1 234"): a catalog
    # names its language in its header; English has no catalog.
    language = (translations.info().get("language") if translations is not None else None) or "en"
    return f"{format_decimal(count, locale=language)} {noun}"
