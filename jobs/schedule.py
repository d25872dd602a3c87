"""Digest schedules: when a chat wants its digest, in its own time zone, and the next such instant.

The database stores :meth:`Schedule.to_text` and the UTC instant :func:`next_run` returns
(``next_digest_at``), so finding the chats that are due is one indexed query. Daylight-saving
changes follow the rules in :mod:`jobs.local_time`: a daily 02:30 in Berlin comes once on the
spring-forward day (at 03:30 CEST) and once, not twice, on the autumn day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from typing import Literal

from jobs.local_time import (
    ClockTimeError,
    format_clock_time,
    parse_clock_time,
    resolve_wall_clock,
)
from jobs.user_input import UserInputError

MAX_TIMES_PER_DAY = 12
_EVERY = re.compile(r"every\s+(\d{1,2})\s*(?:h|hrs?|hours?)", re.IGNORECASE)
_OFF_WORDS = frozenset({"off", "none", "never", "stop"})
_DAILY_PREFIX = re.compile(r"(?:(?:twice\s+)?daily|every\s+day)(?:\s+at)?\s+|at\s+", re.IGNORECASE)
_TIME_SEPARATOR = re.compile(r"\s*(?:,|\band\b|\s)\s*", re.IGNORECASE)
_SPACED_MERIDIEM = re.compile(r"\s+(am|pm)\b", re.IGNORECASE)


class ScheduleError(UserInputError):
    """A schedule we cannot read; the message shows the accepted forms."""


@dataclass(frozen=True)
class Schedule:
    """Off, daily at one or more local times, or every N hours of local wall time from midnight."""

    kind: Literal["off", "daily", "every"]
    times: tuple[time, ...] = ()
    every_hours: int = 0

    def __post_init__(self) -> None:
        if self.kind == "daily" and not 1 <= len(self.times) <= MAX_TIMES_PER_DAY:
            raise ScheduleError(f"A daily schedule has 1 to {MAX_TIMES_PER_DAY} times.")
        if self.kind == "every" and not 1 <= self.every_hours <= 24:
            raise ScheduleError("'every N hours' takes N from 1 to 24.")

    @classmethod
    def off(cls) -> Schedule:
        return cls("off")

    @classmethod
    def daily(cls, *times: time) -> Schedule:
        """Daily at ``times`` (sorted and de-duplicated; seconds dropped)."""
        return cls("daily", tuple(sorted({t.replace(second=0, microsecond=0) for t in times})))

    @classmethod
    def every(cls, hours: int) -> Schedule:
        return cls("every", every_hours=hours)

    def local_times(self) -> tuple[time, ...]:
        """The wall-clock times of day at which a digest is due."""
        if self.kind == "every":
            # Anchored at local midnight; when N does not divide 24 the last gap of the day
            # is shorter (every 5h: 00, 05, 10, 15, 20, then 00).
            return tuple(time(hour) for hour in range(0, 24, self.every_hours))
        return self.times

    def to_text(self) -> str:
        """The stored form, read back by :func:`parse_schedule`: ``daily 08:00,18:00`` etc."""
        if self.kind == "every":
            return f"every {self.every_hours}h"
        if self.kind == "daily":
            return "daily " + ",".join(map(format_clock_time, self.times))
        return "off"

    def describe(self) -> str:
        """For people: ``daily at 08:00 and 18:00``, ``every 6 hours``, ``off``."""
        if self.kind == "every":
            return "every hour" if self.every_hours == 1 else f"every {self.every_hours} hours"
        if self.kind == "daily":
            *rest, last = map(format_clock_time, self.times)
            return "daily at " + (f"{', '.join(rest)} and {last}" if rest else last)
        return "off"


def parse_schedule(text: str) -> Schedule:
    """Read ``off``, ``daily 08:00``, ``08:00, 18:00``, ``twice daily 8am 6pm``, ``every 6h``..."""
    stripped = text.strip()
    if stripped.lower() in _OFF_WORDS:
        return Schedule.off()
    if stripped.lower() == "hourly":
        return Schedule.every(1)
    every = _EVERY.fullmatch(stripped)
    if every is not None:
        return Schedule.every(int(every[1]))
    times_text = _SPACED_MERIDIEM.sub(r"\1", _DAILY_PREFIX.sub("", stripped, count=1))
    parts = [part for part in _TIME_SEPARATOR.split(times_text) if part]
    if not parts:
        raise ScheduleError("Say when: a time of day, hours apart, or off.")
    try:
        return Schedule.daily(*map(parse_clock_time, parts))
    except ClockTimeError as exc:
        raise ScheduleError(str(exc)) from exc


def next_run(schedule: Schedule, tz: tzinfo, after: datetime) -> datetime | None:
    """The first due instant strictly after ``after``, in UTC; ``None`` when the schedule is off."""
    if after.tzinfo is None:
        raise ValueError("next_run needs an aware datetime")
    if schedule.kind == "off":
        return None
    today = after.astimezone(tz).date()
    # From yesterday to two days ahead: a DST shift can move an instant across midnight, and
    # resolved gap times need not be in wall-clock order, hence min() over all of them.
    candidates = (
        resolve_wall_clock(today + timedelta(days=offset), at, tz)
        for offset in range(-1, 3)
        for at in schedule.local_times()
    )
    return min(instant for instant in candidates if instant > after)
