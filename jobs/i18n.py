"""The reader's language: the gettext translations every user-facing text is looked up in.

Texts are written in English in the code and looked up at the moment they are built for a
chat, so that a digest, an alert and a reply each come out in that chat's language (issue
#13)::

    tr = translation(chat.language)
    tr.gettext("Nothing new since your last digest.")
    tr.ngettext("{count} new story", "{count} new stories", count).format(count=count)

Placeholders are ``str.format`` names, never positional, so a translator may reorder them;
markup (``<b>``) stays outside the message id where it can. ``gettext`` and ``ngettext`` are
Babel's default extraction keywords, so ``pybabel extract`` finds every call as written.

Until the catalogs land every language gets English (``NullTranslations``).
"""

from __future__ import annotations

import gettext

ENGLISH = "en"


def translation(language: str | None) -> gettext.NullTranslations:
    """The translations for ``language`` (a Telegram ``language_code`` or ISO 639-1 code)."""
    return gettext.NullTranslations()
