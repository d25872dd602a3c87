"""The reader's language beyond its texts: which ones we ship, their names, and its locale's
dates, times and numbers (issue #13).

A chat's ``language`` is what Telegram's ``language_code`` said or what /language chose: a tag
like "de", "pt-br" or "zh-hans", or None for a chat that never said. Everything here accepts
any of those and falls back to English, so a stored tag Babel does not know formats as English
rather than failing a digest.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime, format_skeleton, match_skeleton
from babel.numbers import format_decimal

from jobs.i18n import ENGLISH, translation
from jobs.i18n import SHIPPED_LANGUAGES as I18N_SHIPPED
from summarizer.languages import language_name as english_language_name
from summarizer.languages import primary_code

# The languages the bot speaks are its catalogs (English first): /language offers them all,
# and one is offered by being translated, not by being listed here too.
SHIPPED_LANGUAGES = I18N_SHIPPED
# Not a language: what language identification answers when it cannot tell.
UNDETERMINED = "und"

# English keeps the day-month order and the 24-hour clock the bot has always written ("Mon 7
# Dec, 07:30"); CLDR's plain "en" is American ("Mon, Dec 7, 7:30 AM"). Other locales use CLDR's
# own patterns for the same fields.
_ENGLISH_DAY = "EEEE, d MMMM"
_ENGLISH_MOMENT = "EEE d MMM, HH:mm"
_ENGLISH_SHORT_DAY = "d MMM"


def chat_language(tag: str | None) -> str:
    """The ISO 639-1 code of a chat's stored language; English when it has none Babel knows."""
    code = primary_code(tag)
    return code if code is not None and _locale(code).language == code else ENGLISH


def offered_language(tag: str | None) -> str | None:
    """The shipped language ``tag`` asks for ("pt-br" is "pt"), or None when /language offers
    none for it (unlike jobs.i18n, which falls back to English for a text)."""
    code = primary_code(tag)
    return code if code in SHIPPED_LANGUAGES else None


@functools.cache
def _locale(code: str) -> Locale:
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(ENGLISH)


def chat_locale(tag: str | None) -> Locale:
    """The Babel locale that formats for a chat (its language's CLDR data)."""
    return _locale(chat_language(tag))


@functools.cache
def own_name(code: str) -> str:
    """A language in its own words, as a menu of languages shows it: "Deutsch", "中文"."""
    locale = _locale(code)
    name = locale.get_display_name(locale) or code
    return name[:1].upper() + name[1:]


def language_name(code: str, *, reader: str | None) -> str:
    """The name of language ``code`` in the reader's language ("German", "Deutsch", "allemand")."""
    names = chat_locale(reader).languages
    return str(names.get(code) or english_language_name(code))


def source_language_note(article_language: str | None, *, reader: str | None) -> str:
    """ "in German" for a story written in a language other than the reader's; "" otherwise.

    Nothing is said of a story whose language could not be told: a guess would mislead.
    """
    code = primary_code(article_language) if article_language != UNDETERMINED else None
    if code is None or code == chat_language(reader):
        return ""
    tr = translation(reader)
    return tr.gettext("in {language}").format(language=language_name(code, reader=reader))


def format_day(moment: datetime, *, reader: str | None) -> str:
    """A digest's date in the reader's locale: "Thursday, 3 December", "Donnerstag, 3. Dezember"."""
    code = chat_language(reader)
    if code == ENGLISH:
        return format_datetime(moment, _ENGLISH_DAY, tzinfo=moment.tzinfo, locale="en")
    return format_datetime(
        moment, _full_weekday_pattern(code), tzinfo=moment.tzinfo, locale=_locale(code)
    )


@functools.cache
def _full_weekday_pattern(code: str) -> str:
    """CLDR's day-and-month pattern with the weekday written out ("EEEE, d. MMMM"): CLDR lists
    day-month skeletons with the short weekday only, and Babel does not widen fields as ICU does."""
    locale = _locale(code)
    skeleton = match_skeleton("MMMMEd", locale.datetime_skeletons) or "MMMMEd"
    pattern = str(locale.datetime_skeletons[skeleton].pattern)
    # Outside quoted literals only (pt: "E, d 'de' MMMM").
    parts = pattern.split("'")
    parts[::2] = [re.sub(r"E+", "EEEE", part) for part in parts[::2]]
    return "'".join(parts)


def format_moment(moment: datetime, *, reader: str | None) -> str:
    """A wall-clock moment in the reader's locale, with its weekday: "Mon 7 Dec, 07:30"."""
    code = chat_language(reader)
    if code == ENGLISH:
        return format_datetime(moment, _ENGLISH_MOMENT, tzinfo=moment.tzinfo, locale="en")
    locale = _locale(code)
    day = format_skeleton("MMMEd", moment, tzinfo=moment.tzinfo, locale=locale)
    time = format_skeleton("Hm", moment, tzinfo=moment.tzinfo, locale=locale)
    # CLDR's way of joining a date and a time ("{1}, {0}" in English, "{1} {0}" elsewhere).
    joined = str(locale.datetime_formats.get("short", "{1}, {0}"))
    return joined.replace("{1}", day).replace("{0}", time)


def format_short_day(moment: datetime, *, reader: str | None) -> str:
    """A day and month, short, in the reader's locale (search results): "7 Dec", "7. Dez."."""
    code = chat_language(reader)
    if code == ENGLISH:
        return format_datetime(moment, _ENGLISH_SHORT_DAY, tzinfo=moment.tzinfo, locale="en")
    return format_skeleton("MMMd", moment, tzinfo=moment.tzinfo, locale=_locale(code))


def format_number(number: float, *, reader: str | None) -> str:
    """A count or figure with the reader's digit grouping and decimal mark: "1,000", "1.000"."""
    return format_decimal(number, locale=chat_locale(reader))
