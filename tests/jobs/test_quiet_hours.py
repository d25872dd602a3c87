"""Quiet hours: reading them, and when alerts held by them may go out."""

from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest

from jobs.quiet_hours import QuietHours, QuietHoursError, parse_quiet_hours, quiet_until

BERLIN = ZoneInfo("Europe/Berlin")
NIGHT = QuietHours(time(22), time(7))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "stored"),
    [("22-07", "22:00-07:00"), ("22:30-06:45", "22:30-06:45"), ("10pm – 7am", "22:00-07:00"),
     ("12-14", "12:00-14:00")],
)  # fmt: skip
def test_quiet_hours_read_and_store(text: str, stored: str) -> None:
    quiet = parse_quiet_hours(text)
    assert quiet is not None
    assert quiet.to_text() == stored
    assert parse_quiet_hours(stored) == quiet


def test_off_means_no_quiet_hours() -> None:
    assert parse_quiet_hours("off") is None
    assert quiet_until(None, BERLIN, utc(2026, 1, 1, 1)) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [("22", "start-end"), ("22-", "start-end"), ("25-07", "hours go 0-23"),
     ("07-07", "different start and end")],
)  # fmt: skip
def test_unreadable_quiet_hours_are_refused(text: str, message: str) -> None:
    with pytest.raises(QuietHoursError, match=message):
        parse_quiet_hours(text)


@pytest.mark.parametrize(
    ("now", "end"),
    [
        ((10, 21, 59), None),
        ((10, 22, 0), (11, 7)),  # the start is inside
        ((10, 23, 30), (11, 7)),  # before midnight
        ((11, 0, 30), (11, 7)),  # after midnight
        ((11, 6, 59), (11, 7)),
        ((11, 7, 0), None),  # the end is not
        ((11, 12, 0), None),
    ],
)
def test_quiet_hours_across_midnight(
    now: tuple[int, int, int], end: tuple[int, int] | None
) -> None:
    """Local January days and times in Berlin: (day, hour, minute) -> (day, hour) or None."""
    local_now = datetime(2026, 1, *now, tzinfo=BERLIN)
    expected = None if end is None else datetime(2026, 1, *end, tzinfo=BERLIN).astimezone(UTC)
    assert quiet_until(NIGHT, BERLIN, local_now) == expected


def test_quiet_hours_within_one_day() -> None:
    lunch = QuietHours(time(12), time(14))
    offset = timezone(timedelta(hours=5, minutes=45))
    assert quiet_until(lunch, offset, datetime(2026, 5, 1, 13, tzinfo=offset)) == utc(
        2026, 5, 1, 8, 15
    )
    assert quiet_until(lunch, offset, datetime(2026, 5, 1, 23, tzinfo=offset)) is None


def test_quiet_hours_ending_in_the_spring_gap_end_when_clocks_jump() -> None:
    # 02:30 does not exist on 29 March 2026 in Berlin; at 03:00 CEST the window is over.
    quiet = QuietHours(time(22), time(2, 30))
    assert quiet_until(quiet, BERLIN, utc(2026, 3, 29, 0, 59)) == utc(2026, 3, 29, 1)


def test_quiet_hours_during_the_repeated_autumn_hour() -> None:
    quiet = QuietHours(time(22), time(2, 30))
    # First pass through 02:10 (CEST): ends at the first 02:30.
    assert quiet_until(quiet, BERLIN, utc(2026, 10, 25, 0, 10)) == utc(2026, 10, 25, 0, 30)
    # Second pass through 02:10 (CET): the wall clock is inside again, until the second 02:30.
    assert quiet_until(quiet, BERLIN, utc(2026, 10, 25, 1, 10)) == utc(2026, 10, 25, 1, 30)


@pytest.mark.parametrize(
    ("zone", "day"),
    [("Europe/Berlin", date(2026, 3, 29)), ("Europe/Berlin", date(2026, 10, 25)),
     ("Australia/Lord_Howe", date(2026, 10, 4)), ("Australia/Lord_Howe", date(2026, 4, 5)),
     ("Pacific/Chatham", date(2026, 9, 27))],
)  # fmt: skip
@pytest.mark.parametrize("end", [time(2), time(2, 15), time(2, 30), time(3), time(7)])
def test_quiet_until_agrees_with_the_wall_clock_minute_by_minute(
    zone: str, day: date, end: time
) -> None:
    tz: tzinfo = ZoneInfo(zone)
    quiet = QuietHours(time(22), end)
    start = datetime.combine(day - timedelta(days=1), time(12), tzinfo=tz).astimezone(UTC)
    for minute in range(0, 36 * 60, 5):
        now = start + timedelta(minutes=minute)
        until = quiet_until(quiet, tz, now)
        assert (until is not None) == quiet.covers(now.astimezone(tz).time())
        if until is not None:
            # Quiet right up to the end, and not at it.
            assert quiet.covers((until - timedelta(seconds=1)).astimezone(tz).time())
            assert not quiet.covers(until.astimezone(tz).time())
            assert until - now <= timedelta(hours=10)
