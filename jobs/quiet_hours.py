"""Quiet hours: a daily wall-clock window, possibly across midnight, during which alerts wait."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from jobs.i18n import N_
from jobs.local_time import (
    ClockTimeError,
    first_instant_at_or_after,
    format_clock_time,
    parse_clock_time,
    wall_clock_instants,
)
from jobs.timezones import TimezoneError, parse_timezone
from jobs.user_input import UserInputError

log = logging.getLogger(__name__)

_RANGE = re.compile(r"(.+?)\s*[-–—]\s*(.+)")


class QuietHoursError(UserInputError):
    """Quiet hours we cannot read."""


@dataclass(frozen=True)
class QuietHours:
    """Alerts wait from ``start`` (inclusive) to ``end`` (exclusive), local wall time, daily."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start == self.end:
            raise QuietHoursError(N_("Quiet hours need different start and end times."))

    def to_text(self) -> str:
        """The stored form, read back by :func:`parse_quiet_hours`: ``22:00-07:00``."""
        return f"{format_clock_time(self.start)}-{format_clock_time(self.end)}"

    def covers(self, wall_time: time) -> bool:
        """Whether a local wall-clock time falls inside the window."""
        if self.start < self.end:
            return self.start <= wall_time < self.end
        return wall_time >= self.start or wall_time < self.end  # across midnight


def parse_quiet_hours(text: str) -> QuietHours | None:
    """Read ``22-07``, ``22:30-06:45`` or ``10pm-7am``; ``off`` gives ``None``."""
    stripped = text.strip()
    if stripped.lower() in {"off", "none"}:
        return None
    found = _RANGE.fullmatch(stripped)
    if found is None:
        raise QuietHoursError(
            N_("Write quiet hours as start-end, like 22-07 or 22:30-06:45, or off.")
        )
    try:
        return QuietHours(parse_clock_time(found[1]), parse_clock_time(found[2]))
    except ClockTimeError as exc:
        raise QuietHoursError(exc.text) from exc


def quiet_until(quiet: QuietHours | None, tz: tzinfo, now: datetime) -> datetime | None:
    """When ``now`` is inside quiet hours, the UTC instant they end; otherwise ``None``."""
    if now.tzinfo is None:
        raise ValueError("quiet_until needs an aware datetime")
    local = now.astimezone(tz)
    if quiet is None or not quiet.covers(local.time()):
        return None
    # The end is the next time the wall clock reaches it: on the autumn night possibly the
    # second pass through a repeated hour, and in the spring gap the moment clocks jump past it,
    # so that quiet_until and QuietHours.covers agree at every instant.
    candidates = []
    for day in (local.date(), local.date() + timedelta(days=1)):
        candidates += wall_clock_instants(day, quiet.end, tz)
        candidates.append(first_instant_at_or_after(day, quiet.end, tz))
    return min(instant for instant in candidates if instant > now)


def stored_hold(quiet_text: str | None, zone_text: str, now: datetime) -> datetime | None:
    """Until when an alert for a chat with these stored settings waits, or None to send now.

    The stored values were checked when set; one unusable since (a zone database change) must
    not hold alerts forever, so it counts as no quiet hours.
    """
    if not quiet_text:
        return None
    try:
        return quiet_until(parse_quiet_hours(quiet_text), parse_timezone(zone_text), now)
    except (QuietHoursError, TimezoneError) as exc:
        log.warning("stored quiet hours %r (%s) unusable: %s", quiet_text, zone_text, exc)
        return None
