"""Digest schedules: when a chat wants its digest, in its own time zone, and the next such instant.

A schedule is times of day (or every N hours) on chosen days of the week: every day, weekdays,
weekends, one day a week (``weekly mon 08:00``) or a list (``mon,wed,fri 07:30``). The days are
local calendar days in the chat's zone, so a weekly Monday 08:00 stays Monday 08:00 across DST.

The database stores :meth:`Schedule.to_text` and the UTC instant :func:`next_run` returns
(``next_digest_at``), so finding the chats that are due is one indexed query. Daylight-saving
changes follow the rules in :mod:`jobs.local_time`: a daily 02:30 in Berlin comes once on the
spring-forward day (at 03:30 CEST) and once, not twice, on the autumn day.
"""

from __future__ import annotations

import gettext
import itertools
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from typing import Literal

from jobs.i18n import ENGLISH, N_, lazy_gettext, translation
from jobs.local_time import (
    ClockTimeError,
    format_clock_time,
    parse_clock_time,
    resolve_wall_clock,
)
from jobs.user_input import UserInputError, quoted

MAX_TIMES_PER_DAY = 12
_EVERY = re.compile(r"every\s+(\d{1,2})\s*(?:h|hrs?|hours?)", re.IGNORECASE)
_OFF_WORDS = frozenset({"off", "none", "never", "stop"})
_DAILY_PREFIX = re.compile(r"(?:(?:twice\s+)?daily|every\s+day)(?:\s+at)?\s+|at\s+", re.IGNORECASE)
_TIME_SEPARATOR = re.compile(r"\s*(?:,|\band\b|\s)\s*", re.IGNORECASE)
_SPACED_MERIDIEM = re.compile(r"\s+(am|pm)\b", re.IGNORECASE)
# A leading day word or range ("mon", "tuesday", "mon-fri", "weekdays"), then a separator.
_DAY_WORD = re.compile(r"([a-z]+)(?:\s*-\s*([a-z]+))?(?:\s*,\s*|\s+and\s+|\s+|$)", re.IGNORECASE)
_WEEKLY_PREFIX = re.compile(r"(?:weekly|every\s+week|on)(?:\s+on)?(?:\s+|$)", re.IGNORECASE)

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# How :meth:`Schedule.describe` names the days, marked for the catalogs.
_EVERY_DAY_NAMED = (
    N_("every Monday"),
    N_("every Tuesday"),
    N_("every Wednesday"),
    N_("every Thursday"),
    N_("every Friday"),
    N_("every Saturday"),
    N_("every Sunday"),
)
# TRANSLATORS: short weekday names, listed in a schedule: "on Mon, Wed and Fri at 08:00".
_SHORT_DAY_NAMES = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
_DAY_ALIASES = {
    **{name: day for day, name in enumerate(DAY_NAMES)},
    **{name.lower(): day for day, name in enumerate(_FULL_DAY_NAMES)},
    **{"tues": 1, "weds": 2, "thur": 3, "thurs": 3},
}
EVERY_DAY = frozenset(range(7))
WEEKDAYS = frozenset(range(5))
WEEKENDS = frozenset({5, 6})
_DAY_GROUPS = {"weekdays": WEEKDAYS, "weekday": WEEKDAYS, "weekends": WEEKENDS, "weekend": WEEKENDS}


class ScheduleError(UserInputError):
    """A schedule we cannot read; the message shows the accepted forms."""


@dataclass(frozen=True)
class Schedule:
    """Off, at one or more local times, or every N hours of local wall time from midnight, on
    ``days`` of the week (0 is Monday, as :meth:`date.weekday` counts)."""

    kind: Literal["off", "daily", "every"]
    times: tuple[time, ...] = ()
    every_hours: int = 0
    days: frozenset[int] = EVERY_DAY

    def __post_init__(self) -> None:
        if not self.days or not self.days <= EVERY_DAY:
            raise ScheduleError(N_("A schedule runs on at least one day of the week."))
        if self.kind == "daily" and not 1 <= len(self.times) <= MAX_TIMES_PER_DAY:
            raise ScheduleError(
                lazy_gettext("A daily schedule has 1 to {most} times.", most=MAX_TIMES_PER_DAY)
            )
        if self.kind == "every" and not 1 <= self.every_hours <= 24:
            raise ScheduleError(N_("'every N hours' takes N from 1 to 24."))

    @classmethod
    def off(cls) -> Schedule:
        return cls("off")

    @classmethod
    def daily(cls, *times: time, days: frozenset[int] = EVERY_DAY) -> Schedule:
        """At ``times`` (sorted and de-duplicated; seconds dropped) on ``days``."""
        return cls(
            "daily", tuple(sorted({t.replace(second=0, microsecond=0) for t in times})), days=days
        )

    @classmethod
    def weekly(cls, day: int, *times: time) -> Schedule:
        return cls.daily(*times, days=frozenset({day}))

    @classmethod
    def every(cls, hours: int, *, days: frozenset[int] = EVERY_DAY) -> Schedule:
        return cls("every", every_hours=hours, days=days)

    def local_times(self) -> tuple[time, ...]:
        """The wall-clock times of day at which a digest is due."""
        if self.kind == "every":
            # Anchored at local midnight; when N does not divide 24 the last gap of the day
            # is shorter (every 5h: 00, 05, 10, 15, 20, then 00).
            return tuple(time(hour) for hour in range(0, 24, self.every_hours))
        return self.times

    def longest_gap(self) -> timedelta:
        """The longest wall-clock wait between two runs (a weekly digest waits 7 days), so a
        digest can look back at least that far; an hour more covers a daylight-saving shift."""
        if self.kind == "off":
            return timedelta(0)
        starts = sorted(
            timedelta(days=day, hours=at.hour, minutes=at.minute)
            for day in self.days
            for at in self.local_times()
        )
        week = timedelta(days=7)
        gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
        return max([*gaps, starts[0] + week - starts[-1]]) + timedelta(hours=1)

    def to_text(self) -> str:
        """The stored form, read back by :func:`parse_schedule`: ``daily 08:00,18:00``,
        ``weekly mon 08:00``, ``weekdays every 6h``... Every-day forms are those stored before
        days existed, so rows written then read back unchanged."""
        if self.kind == "off":
            return "off"
        if self.kind == "every":
            body = f"every {self.every_hours}h"
        else:
            body = ",".join(map(format_clock_time, self.times))
        if self.days == EVERY_DAY:
            return body if self.kind == "every" else f"daily {body}"
        return f"{_days_text(self.days)} {body}"

    def describe(self, tr: gettext.NullTranslations | None = None) -> str:
        """For people: ``daily at 08:00 and 18:00``, ``every Monday at 08:00``, ``off``."""
        tr = tr or translation(ENGLISH)
        if self.kind == "off":
            return tr.gettext("off")
        if self.kind == "every":
            hours = self.every_hours
            body = (
                tr.gettext("every hour")
                if hours == 1
                else tr.ngettext("every {count} hour", "every {count} hours", hours).format(
                    count=hours
                )
            )
        else:
            times = _and_list(list(map(format_clock_time, self.times)), tr)
            body = tr.gettext("at {times}").format(times=times)
        if self.days == EVERY_DAY:
            if self.kind == "every":
                return body
            return tr.gettext("daily {when}").format(when=body)
        # TRANSLATORS: a schedule: {days} is "on weekdays", "every Monday"...; {when} "at 08:00" or "every 6 hours".
        return tr.gettext("{days} {when}").format(days=_days_description(self.days, tr), when=body)


def _and_list(words: list[str], tr: gettext.NullTranslations) -> str:
    *rest, last = words
    if not rest:
        return last
    # TRANSLATORS: the end of a list: "08:00, 12:00 and 18:00", "3 sources and 2 alerts".
    return tr.gettext("{items} and {last}").format(items=", ".join(rest), last=last)


def _days_text(days: frozenset[int]) -> str:
    if days == WEEKDAYS:
        return "weekdays"
    if days == WEEKENDS:
        return "weekends"
    if len(days) == 1:
        return "weekly " + DAY_NAMES[min(days)]
    return ",".join(DAY_NAMES[day] for day in sorted(days))


def _days_description(days: frozenset[int], tr: gettext.NullTranslations) -> str:
    if days == WEEKDAYS:
        return tr.gettext("on weekdays")
    if days == WEEKENDS:
        return tr.gettext("on weekends")
    if len(days) == 1:
        return tr.gettext(_EVERY_DAY_NAMED[min(days)])
    names = _and_list([tr.gettext(_SHORT_DAY_NAMES[day]) for day in sorted(days)], tr)
    return tr.gettext("on {days}").format(days=names)


def _day_number(word: str) -> int | None:
    return _DAY_ALIASES.get(word.lower())


def _take_days(text: str) -> tuple[frozenset[int] | None, str]:
    """Split leading days off a schedule: ``weekly mon 08:00`` gives ({0}, "08:00").

    Returns ``None`` for the days when the text names none (every day).
    """
    rest = text
    weekly = _WEEKLY_PREFIX.match(rest)
    if weekly is not None:
        rest = rest[weekly.end() :]
    days: set[int] = set()
    while rest:
        found = _DAY_WORD.match(rest)
        if found is None:
            break
        first, last = found[1].lower(), found[2]
        if last is not None:
            start, end = _day_number(first), _day_number(last)
            if start is None or end is None:
                raise ScheduleError(
                    lazy_gettext("{text} is not a range of days.", text=quoted(found[0].strip()))
                )
            # A range may wrap the week's end: fri-mon is Friday to Monday.
            days.update((start + offset) % 7 for offset in range((end - start) % 7 + 1))
        elif first in _DAY_GROUPS:
            days.update(_DAY_GROUPS[first])
        elif (day := _day_number(first)) is not None:
            days.add(day)
        else:
            break
        rest = rest[found.end() :]
    if weekly is not None and not days:
        raise ScheduleError(N_("Which day of the week?"))
    return (frozenset(days) if days else None), rest.strip()


def parse_schedule(text: str) -> Schedule:
    """Read ``off``, ``daily 08:00``, ``08:00, 18:00``, ``twice daily 8am 6pm``, ``every 6h``,
    ``weekly mon 08:00``, ``weekdays 07:30 12:00``, ``mon,wed,fri 8am``, ``sat-sun every 4h``..."""
    stripped = text.strip()
    if stripped.lower() in _OFF_WORDS:
        return Schedule.off()
    named_days, stripped = _take_days(stripped)
    days = named_days or EVERY_DAY
    if not stripped and named_days is not None:
        raise ScheduleError(N_("At what time?"))
    if stripped.lower() == "hourly":
        return Schedule.every(1, days=days)
    every = _EVERY.fullmatch(stripped)
    if every is not None:
        return Schedule.every(int(every[1]), days=days)
    times_text = _SPACED_MERIDIEM.sub(r"\1", _DAILY_PREFIX.sub("", stripped, count=1))
    parts = [part for part in _TIME_SEPARATOR.split(times_text) if part]
    if not parts:
        raise ScheduleError(N_("Say when: a time of day, hours apart, or off."))
    try:
        return Schedule.daily(*map(parse_clock_time, parts), days=days)
    except ClockTimeError as exc:
        raise ScheduleError(exc.text) from exc


def next_run(schedule: Schedule, tz: tzinfo, after: datetime) -> datetime | None:
    """The first due instant strictly after ``after``, in UTC; ``None`` when the schedule is off."""
    if after.tzinfo is None:
        raise ValueError("next_run needs an aware datetime")
    if schedule.kind == "off":
        return None
    today = after.astimezone(tz).date()
    # From yesterday to eight days ahead (a weekly run is up to seven days off): a DST shift can
    # move an instant across midnight, and resolved gap times need not be in wall-clock order,
    # hence min() over all of them. The day is the local calendar day the run is planned for.
    days = [today + timedelta(days=offset) for offset in range(-1, 9)]
    candidates = (
        resolve_wall_clock(day, at, tz)
        for day in days
        if day.weekday() in schedule.days
        for at in schedule.local_times()
    )
    return min(instant for instant in candidates if instant > after)
