"""Wall-clock times of day: parsing "08:30" or "8pm", and mapping a local date and time to UTC.

Daylight-saving rules for a planned event (:func:`resolve_wall_clock`, used by digests):

- a wall time that does not exist (the spring-forward gap, 02:30 in Berlin on the last Sunday of
  March) is taken as PEP 495 ``fold=0`` reads it, with the offset from before the change, which
  lands as far past the gap's start as asked: 02:30 becomes 03:30 CEST. This is what ``zoneinfo``
  and dateutil's ``resolve_imaginary`` do, and it happens once;
- a wall time that occurs twice (the autumn 02:30) is its first occurrence (``fold=0``), once.

The end of a window (quiet hours) is instead the moment the wall clock first reaches it
(:func:`first_instant_at_or_after`): 03:00 CEST for a 02:30 that is skipped, so that "is the wall
clock inside the window" and "when does the window end" never disagree.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo

from jobs.i18n import lazy_gettext
from jobs.user_input import UserInputError, quoted

_CLOCK_TIME = re.compile(r"(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?", re.IGNORECASE)


class ClockTimeError(UserInputError):
    """A time of day we cannot read."""


def parse_clock_time(text: str) -> time:
    """Read a time of day: ``8``, ``08:30``, ``8.30``, ``20h15``, ``8pm``, ``12:30am``."""
    found = _CLOCK_TIME.fullmatch(text.strip())
    if found is None:
        raise ClockTimeError(
            lazy_gettext(
                "{text} is not a time of day; write it like 08:30 or 8pm.", text=quoted(text)
            )
        )
    hour, minute = int(found[1]), int(found[2] or 0)
    if found[3]:
        if not 1 <= hour <= 12:
            raise ClockTimeError(
                lazy_gettext("{text}: with am/pm the hour is 1 to 12.", text=quoted(text))
            )
        hour = hour % 12 + (12 if found[3].lower() == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ClockTimeError(
            lazy_gettext(
                "{text} is not a time of day; hours go 0-23, minutes 0-59.", text=quoted(text)
            )
        )
    return time(hour, minute)


def format_clock_time(value: time) -> str:
    """The ``HH:MM`` form used for storage and display."""
    return f"{value.hour:02d}:{value.minute:02d}"


def wall_clock_instants(day: date, at: time, tz: tzinfo) -> list[datetime]:
    """Every UTC instant at which clocks in ``tz`` show ``day`` ``at``: none, one or two."""
    instants = []
    for fold in (0, 1):
        local = datetime.combine(day, at, tzinfo=tz).replace(fold=fold)
        instant = local.astimezone(UTC)
        # A wall time in a gap does not survive the round trip; a repeated one does, per fold.
        if instant.astimezone(tz).replace(tzinfo=None) == local.replace(tzinfo=None):
            instants.append(instant)
    return sorted(set(instants))


def resolve_wall_clock(day: date, at: time, tz: tzinfo) -> datetime:
    """The one UTC instant a planned ``day`` ``at`` in ``tz`` happens, by the rules above."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def first_instant_at_or_after(day: date, at: time, tz: tzinfo) -> datetime:
    """The first UTC instant at which clocks in ``tz`` show ``day`` ``at`` or later.

    The same as the first of :func:`wall_clock_instants` except in a spring-forward gap, where
    it is the moment the clocks jump (03:00 CEST for a Berlin 02:30), which zoneinfo does not
    expose; it is found by bisection over whole seconds, at which offsets change.
    """
    instants = wall_clock_instants(day, at, tz)
    if instants:
        return instants[0]
    local = datetime.combine(day, at, tzinfo=tz)
    # In a gap, fold=1 reads the wall time with the later offset, landing before the jump, and
    # fold=0 with the earlier one, landing after it.
    before = int(local.replace(fold=1).timestamp())
    after = int(local.timestamp())
    offset_after = datetime.fromtimestamp(after, tz).utcoffset()
    while after - before > 1:
        middle = (before + after) // 2
        if datetime.fromtimestamp(middle, tz).utcoffset() == offset_after:
            after = middle
        else:
            before = middle
    return datetime.fromtimestamp(after, UTC)
