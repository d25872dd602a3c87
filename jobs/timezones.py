"""Reading a chat's time zone from what people type: IANA names, UTC offsets and city names."""

from __future__ import annotations

import difflib
import re
from datetime import timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from jobs.i18n import LazyText, lazy_gettext
from jobs.normalization import normalize_text
from jobs.user_input import UserInputError, quoted

# A sign before a digit (Etc/GMT+3) is meaning that normalising would drop.
_SIGNED = re.compile(r"[+\-−]\s*\d")
_OFFSET = re.compile(r"(?:utc|gmt)?\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)
# Real offsets run from -12:00 (Baker Island) to +14:00 (Kiribati).
_LARGEST_OFFSET = {"+": timedelta(hours=14), "-": timedelta(hours=12)}
# Zone names under these areas name a city in their last part (Europe/Berlin, America/Sao_Paulo);
# others are countries, legacy aliases or Etc/GMT+3, whose sign is the reverse of what people mean.
_CITY_AREAS = frozenset(
    [
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    ]
)
# IANA names a zone after one city per region, usually its largest when the zone was made, so
# famous cities, capitals among them, are missing: people type these, so they are listed here.
_CITY_ALIASES = {
    "Mumbai": "Asia/Kolkata",
    "Delhi": "Asia/Kolkata",
    "New Delhi": "Asia/Kolkata",
    "Bangalore": "Asia/Kolkata",
    "Bengaluru": "Asia/Kolkata",
    "Chennai": "Asia/Kolkata",
    "Beijing": "Asia/Shanghai",
    "Shenzhen": "Asia/Shanghai",
    "Guangzhou": "Asia/Shanghai",
    "Osaka": "Asia/Tokyo",
    "Kyoto": "Asia/Tokyo",
    "Hanoi": "Asia/Bangkok",
    "Abu Dhabi": "Asia/Dubai",
    "Washington": "America/New_York",
    "Boston": "America/New_York",
    "Miami": "America/New_York",
    "Philadelphia": "America/New_York",
    "Atlanta": "America/New_York",
    "Montreal": "America/Toronto",
    "Ottawa": "America/Toronto",
    "Houston": "America/Chicago",
    "Dallas": "America/Chicago",
    "Austin": "America/Chicago",
    "San Francisco": "America/Los_Angeles",
    "Seattle": "America/Los_Angeles",
    "San Diego": "America/Los_Angeles",
    "Las Vegas": "America/Los_Angeles",
    "Rio de Janeiro": "America/Sao_Paulo",
    "Munich": "Europe/Berlin",
    "Frankfurt": "Europe/Berlin",
    "Hamburg": "Europe/Berlin",
    "Barcelona": "Europe/Madrid",
    "Milan": "Europe/Rome",
    "Geneva": "Europe/Zurich",
    "Manchester": "Europe/London",
    "Edinburgh": "Europe/London",
    "Saint Petersburg": "Europe/Moscow",
    "St Petersburg": "Europe/Moscow",
    "Canberra": "Australia/Sydney",
    "Wellington": "Pacific/Auckland",
}


class TimezoneError(UserInputError):
    """A time zone we cannot recognise; the message suggests the nearest we know."""


def parse_timezone(text: str) -> tzinfo:
    """Read a time zone: ``Europe/Berlin``, ``berlin``, ``São Paulo``, ``+05:30``, ``UTC-3``.

    Offsets give a fixed-offset zone named like ``UTC+05:30``; everything else a ``ZoneInfo``.
    :func:`timezone_key` turns either into the string to store, which this reads back.
    """
    stripped = text.strip()
    offset = _OFFSET.fullmatch(stripped)
    if offset is not None:
        return _fixed_offset(stripped, offset)
    # Exact names first: normalising drops the sign that tells Etc/GMT+3 from Etc/GMT-3, so a
    # signed name is only ever taken exactly (Etc/GMT+13 does not exist; Etc/GMT-13 is not it).
    key = _keys_by_casefold().get(stripped.casefold())
    if key is None and not _SIGNED.search(stripped):
        key = _known_names().get(normalize_text(stripped))
    if key is not None:
        return ZoneInfo(key)
    raise TimezoneError(_unknown_message(stripped))


def timezone_key(tz: tzinfo) -> str:
    """The canonical string for ``tz``: its IANA name, or ``UTC+HH:MM`` for a fixed offset."""
    if isinstance(tz, ZoneInfo):
        return tz.key
    return str(tz.tzname(None))


def _fixed_offset(text: str, found: re.Match[str]) -> tzinfo:
    sign = "-" if found[1] in "-−" else "+"
    hours, minutes = int(found[2]), int(found[3] or 0)
    size = timedelta(hours=hours, minutes=minutes)
    if minutes > 59 or size > _LARGEST_OFFSET[sign]:
        raise TimezoneError(
            lazy_gettext(
                "{text} is not a UTC offset in use; they run from -12:00 to +14:00.",
                text=quoted(text),
            )
        )
    if not size:
        return ZoneInfo("UTC")
    name = f"UTC{sign}{hours:02d}:{minutes:02d}"
    return timezone(size if sign == "+" else -size, name)


@cache
def _keys_by_casefold() -> dict[str, str]:
    return {key.casefold(): key for key in available_timezones()}


@cache
def _known_names() -> dict[str, str]:
    """Normalised name → IANA key, for full zone names, their cities and the aliases above."""
    keys = sorted(available_timezones(), key=lambda key: (key.count("/"), len(key), key))
    names: dict[str, str] = {}
    # Shortest keys first and setdefault: where links share a city (America/Buenos_Aires and
    # America/Argentina/Buenos_Aires, the same clock), the simpler key wins.
    for key in keys:
        if _SIGNED.search(key):
            continue  # Etc/GMT+3 and Etc/GMT-3 normalise alike: only their exact names count
        names.setdefault(normalize_text(key), key)
        if key.split("/")[0] in _CITY_AREAS:
            names.setdefault(normalize_text(key.rsplit("/", 1)[1]), key)
    for city, key in _CITY_ALIASES.items():
        names.setdefault(normalize_text(city), key)
    return names


def _unknown_message(text: str) -> LazyText:
    names = _known_names()
    close = difflib.get_close_matches(normalize_text(text), names, n=1, cutoff=0.75)
    if close:
        return lazy_gettext(
            "Unknown time zone {text}; did you mean {zone}?",
            text=quoted(text),
            zone=names[close[0]],
        )
    return lazy_gettext(
        "Unknown time zone {text}; send a city such as Berlin, a zone such as "
        "Europe/Berlin, or an offset such as +05:30.",
        text=quoted(text),
    )
