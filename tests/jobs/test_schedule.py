"""Digest schedules: parsing and storage form, and next runs across daylight-saving changes."""

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest

from jobs.local_time import ClockTimeError, parse_clock_time
from jobs.schedule import Schedule, ScheduleError, next_run, parse_schedule

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def runs(schedule: Schedule, tz: tzinfo, start: datetime, end: datetime) -> list[datetime]:
    """Every run from ``start`` (exclusive) to ``end``, by chaining next_run as the job will."""
    found = []
    current = next_run(schedule, tz, start)
    while current is not None and current < end:
        found.append(current)
        current = next_run(schedule, tz, current)
    return found


def runs_per_local_day(
    schedule: Schedule, tz: tzinfo, first: date, last: date
) -> dict[date, list[datetime]]:
    start = datetime.combine(first, time(0), tzinfo=tz) - timedelta(seconds=1)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz)
    per_day: dict[date, list[datetime]] = {}
    for run in runs(schedule, tz, start, end):
        per_day.setdefault(run.astimezone(tz).date(), []).append(run)
    return per_day


@pytest.mark.parametrize(
    ("text", "stored", "described"),
    [
        ("off", "off", "off"),
        ("daily 08:00", "daily 08:00", "daily at 08:00"),
        ("Daily at 8", "daily 08:00", "daily at 08:00"),
        ("18:00, 08:00", "daily 08:00,18:00", "daily at 08:00 and 18:00"),
        ("twice daily 8am and 6 pm", "daily 08:00,18:00", "daily at 08:00 and 18:00"),
        ("daily 7:30 12.00 20h15", "daily 07:30,12:00,20:15", "daily at 07:30, 12:00 and 20:15"),
        ("every 6h", "every 6h", "every 6 hours"),
        ("every 12 hours", "every 12h", "every 12 hours"),
        ("hourly", "every 1h", "every hour"),
        ("weekly mon 08:00", "weekly mon 08:00", "every Monday at 08:00"),
        ("weekly on Monday at 8am", "weekly mon 08:00", "every Monday at 08:00"),
        ("tuesday 18:00", "weekly tue 18:00", "every Tuesday at 18:00"),
        ("weekdays 7:30, 12:00", "weekdays 07:30,12:00", "on weekdays at 07:30 and 12:00"),
        ("mon-fri 07:30", "weekdays 07:30", "on weekdays at 07:30"),
        ("sat and sun 9", "weekends 09:00", "on weekends at 09:00"),
        (
            "mon,wed,fri 8am 6pm",
            "mon,wed,fri 08:00,18:00",
            "on Mon, Wed and Fri at 08:00 and 18:00",
        ),
        ("fri-mon 09:00", "mon,fri,sat,sun 09:00", "on Mon, Fri, Sat and Sun at 09:00"),
        ("weekdays every 6h", "weekdays every 6h", "on weekdays every 6 hours"),
        ("mon-sun 08:00", "daily 08:00", "daily at 08:00"),
    ],
)
def test_schedules_read_store_and_describe(text: str, stored: str, described: str) -> None:
    schedule = parse_schedule(text)
    assert schedule.to_text() == stored
    assert schedule.describe() == described
    assert parse_schedule(stored) == schedule


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("daily", "not a time of day"),
        ("daily 25:00", "hours go 0-23"),
        ("at noon", "not a time of day"),
        ("every 0h", "N from 1 to 24"),
        ("every 25 hours", "N from 1 to 24"),
        (" ".join(f"{hour}:00" for hour in range(13)), "1 to 12 times"),
    ],
)
def test_unreadable_schedules_are_refused(text: str, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        parse_schedule(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0", time(0)), ("23:59", time(23, 59)), ("12am", time(0)), ("12pm", time(12)),
     ("7 PM", time(19)), ("9h05", time(9, 5))],
)  # fmt: skip
def test_clock_times(text: str, expected: time) -> None:
    assert parse_clock_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "7:60", "13pm", "0am", "noon", "7:5"])
def test_impossible_clock_times_are_refused(text: str) -> None:
    with pytest.raises(ClockTimeError):
        parse_clock_time(text)


def test_off_never_runs_and_naive_datetimes_are_refused() -> None:
    assert next_run(Schedule.off(), BERLIN, utc(2026, 1, 1)) is None
    with pytest.raises(ValueError, match="aware"):
        next_run(Schedule.daily(time(8)), BERLIN, datetime(2026, 1, 1))  # noqa: DTZ001


def test_next_run_is_strictly_after() -> None:
    schedule = Schedule.daily(time(8))
    first = next_run(schedule, BERLIN, utc(2026, 1, 10, 6, 59))
    assert first == utc(2026, 1, 10, 7)
    assert next_run(schedule, BERLIN, first) == utc(2026, 1, 11, 7)


def test_berlin_spring_forward_gap_time_runs_once_after_the_jump() -> None:
    per_day = runs_per_local_day(
        Schedule.daily(time(2, 30)), BERLIN, date(2026, 3, 28), date(2026, 3, 30)
    )
    assert per_day == {
        date(2026, 3, 28): [utc(2026, 3, 28, 1, 30)],
        # 02:30 does not exist that day: read with the winter offset, it is 03:30 CEST.
        date(2026, 3, 29): [utc(2026, 3, 29, 1, 30)],
        date(2026, 3, 30): [utc(2026, 3, 30, 0, 30)],
    }


def test_berlin_autumn_repeated_time_runs_once_at_its_first_occurrence() -> None:
    per_day = runs_per_local_day(
        Schedule.daily(time(2, 30)), BERLIN, date(2026, 10, 24), date(2026, 10, 26)
    )
    assert per_day == {
        date(2026, 10, 24): [utc(2026, 10, 24, 0, 30)],
        date(2026, 10, 25): [utc(2026, 10, 25, 0, 30)],  # 02:30 CEST, not 02:30 CET
        date(2026, 10, 26): [utc(2026, 10, 26, 1, 30)],
    }


@pytest.mark.parametrize(
    ("day", "expected_runs"),
    [(date(2026, 3, 28), 24), (date(2026, 3, 29), 23), (date(2026, 10, 25), 24)],
)
def test_hourly_follows_the_wall_clock_on_short_and_long_days(
    day: date, expected_runs: int
) -> None:
    per_day = runs_per_local_day(Schedule.every(1), BERLIN, day, day)
    local_hours = [run.astimezone(BERLIN).hour for run in per_day[day]]
    assert len(local_hours) == expected_runs
    assert local_hours == sorted(set(local_hours))  # no hour twice, in order


def test_every_n_hours_is_anchored_at_local_midnight() -> None:
    day_runs = runs_per_local_day(Schedule.every(5), BERLIN, date(2026, 6, 1), date(2026, 6, 1))
    assert [run.astimezone(BERLIN).hour for run in day_runs[date(2026, 6, 1)]] == [0, 5, 10, 15, 20]


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        (timezone(timedelta(hours=5, minutes=30)), utc(2026, 7, 1, 2, 30)),
        (timezone(timedelta(hours=5, minutes=45)), utc(2026, 7, 1, 2, 15)),
        (ZoneInfo("Asia/Kathmandu"), utc(2026, 7, 1, 2, 15)),
        (ZoneInfo("Asia/Kolkata"), utc(2026, 7, 1, 2, 30)),
        (timezone(timedelta(hours=-3)), utc(2026, 7, 1, 11)),
    ],
)
def test_fractional_and_fixed_offsets(tz: tzinfo, expected: datetime) -> None:
    # From the previous local evening, so the run is on 1 July local time in every zone.
    after = datetime(2026, 6, 30, 20, tzinfo=tz)
    assert next_run(Schedule.daily(time(8)), tz, after) == expected


def test_new_york_moves_with_daylight_saving() -> None:
    per_day = runs_per_local_day(
        Schedule.daily(time(2, 30), time(8)), NEW_YORK, date(2026, 3, 7), date(2026, 3, 8)
    )
    assert per_day == {
        date(2026, 3, 7): [utc(2026, 3, 7, 7, 30), utc(2026, 3, 7, 13)],
        date(2026, 3, 8): [utc(2026, 3, 8, 7, 30), utc(2026, 3, 8, 12)],  # 03:30 EDT; 08:00 EDT
    }


def test_chatham_islands_quarter_hour_offsets_and_gap() -> None:
    # +12:45 in winter, +13:45 in summer; clocks go 02:45 -> 03:45 on 27 September 2026.
    chatham = ZoneInfo("Pacific/Chatham")
    per_day = runs_per_local_day(
        Schedule.daily(time(3)), chatham, date(2026, 9, 26), date(2026, 9, 28)
    )
    assert per_day == {
        date(2026, 9, 26): [utc(2026, 9, 25, 14, 15)],
        date(2026, 9, 27): [utc(2026, 9, 26, 14, 15)],  # 04:00 +13:45
        date(2026, 9, 28): [utc(2026, 9, 27, 13, 15)],
    }


def test_lord_howe_half_hour_daylight_saving() -> None:
    lord_howe = ZoneInfo("Australia/Lord_Howe")
    # Spring: 02:00 -> 02:30 on 4 October 2026, so 02:15 comes at 02:45 (+11:00).
    spring = next_run(Schedule.daily(time(2, 15)), lord_howe, utc(2026, 10, 3, 12))
    assert spring == utc(2026, 10, 3, 15, 45)
    # Autumn: 02:00 -> 01:30 on 5 April 2026, so 01:45 happens twice; it runs at the first.
    per_day = runs_per_local_day(
        Schedule.daily(time(1, 45)), lord_howe, date(2026, 4, 4), date(2026, 4, 6)
    )
    assert per_day[date(2026, 4, 5)] == [utc(2026, 4, 4, 14, 45)]
    assert [len(day_runs) for day_runs in per_day.values()] == [1, 1, 1]


@pytest.mark.parametrize(
    "zone",
    ["Europe/Berlin", "America/New_York", "Pacific/Chatham", "Australia/Lord_Howe",
     "America/Santiago", "America/Havana", "Asia/Kathmandu", "Africa/Casablanca"],
)  # fmt: skip
@pytest.mark.parametrize("at", [time(0), time(0, 30), time(1, 45), time(2, 30), time(23, 30)])
def test_a_daily_time_runs_exactly_once_on_every_local_day_of_a_year(zone: str, at: time) -> None:
    tz = ZoneInfo(zone)
    per_day = runs_per_local_day(Schedule.daily(at), tz, date(2026, 1, 1), date(2026, 12, 31))
    counts = Counter(len(day_runs) for day_runs in per_day.values())
    assert counts == {1: 365}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("weekly 08:00", "Which day"),
        ("weekly mon", "At what time"),
        ("mon-someday 08:00", "not a range of days"),
        ("weekdays teatime", "not a time of day"),
    ],
)
def test_unreadable_days_are_refused_with_a_reason(text: str, message: str) -> None:
    # The reason alone: /settings adds its examples once, after it.
    with pytest.raises(ScheduleError, match=message) as caught:
        parse_schedule(text)
    assert "Examples" not in str(caught.value)


def test_rows_stored_before_days_existed_read_back_as_every_day() -> None:
    # The forms 0.x stored in chats.digest_schedule; they must keep their meaning unchanged.
    for stored in ("daily 08:00", "daily 07:30,12:00,20:15", "every 6h", "every 1h", "off"):
        schedule = parse_schedule(stored)
        assert schedule.to_text() == stored
        assert schedule.kind == "off" or schedule.days == frozenset(range(7))


def test_the_longest_stored_form_fits_its_column() -> None:
    from store.models import Chat

    longest = Schedule.daily(*(time(hour) for hour in range(12)), days=frozenset(range(6)))
    column = Chat.__table__.c.digest_schedule.type
    assert len(longest.to_text()) <= column.length  # type: ignore[attr-defined]


def test_weekly_runs_on_its_day_in_local_time_across_daylight_saving() -> None:
    # Berlin: summer time ends Sunday 25 October 2026; Monday 08:00 moves from 06:00 to 07:00 UTC.
    found = runs(Schedule.weekly(0, time(8)), BERLIN, utc(2026, 10, 13), utc(2026, 11, 3))
    assert found == [utc(2026, 10, 19, 6), utc(2026, 10, 26, 7), utc(2026, 11, 2, 7)]
    assert all(run.astimezone(BERLIN).weekday() == 0 for run in found)


def test_weekly_in_the_spring_gap_runs_once_after_the_jump() -> None:
    # Sunday 29 March 2026, 02:30 does not exist in Berlin: it runs at 03:30 CEST, once.
    found = runs(Schedule.weekly(6, time(2, 30)), BERLIN, utc(2026, 3, 21), utc(2026, 4, 6))
    assert found == [utc(2026, 3, 22, 1, 30), utc(2026, 3, 29, 1, 30), utc(2026, 4, 5, 0, 30)]


def test_the_local_day_decides_not_the_utc_day() -> None:
    # Monday 07:00 in Tokyo is Sunday 22:00 UTC.
    tokyo = ZoneInfo("Asia/Tokyo")
    assert next_run(Schedule.weekly(0, time(7)), tokyo, utc(2026, 6, 1)) == utc(2026, 6, 7, 22)


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/Santiago", "Australia/Lord_Howe"])
def test_weekdays_run_once_on_each_weekday_of_a_year_and_never_at_weekends(zone: str) -> None:
    tz = ZoneInfo(zone)
    schedule = parse_schedule("weekdays 02:30")
    per_day = runs_per_local_day(schedule, tz, date(2026, 1, 1), date(2026, 12, 31))
    assert all(day.weekday() < 5 for day in per_day)
    assert Counter(len(day_runs) for day_runs in per_day.values()) == {1: 261}


def test_longest_gap_is_what_a_digest_must_look_back() -> None:
    assert Schedule.weekly(0, time(8)).longest_gap() == timedelta(days=7, hours=1)
    # Friday 18:00 to Monday 07:30.
    assert parse_schedule("weekdays 07:30 18:00").longest_gap() == timedelta(
        days=2, hours=14, minutes=30
    )
    assert Schedule.daily(time(8)).longest_gap() == timedelta(days=1, hours=1)
