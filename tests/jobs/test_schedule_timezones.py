"""Reading time zones from IANA names, offsets and city names."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jobs.timezones import TimezoneError, parse_timezone, timezone_key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("  new york ", "America/New_York"),
        ("New_York", "America/New_York"),
        ("Kathmandu", "Asia/Kathmandu"),
        ("Mumbai", "Asia/Kolkata"),
        ("Delhi", "Asia/Kolkata"),
        ("Sao Paulo", "America/Sao_Paulo"),
        ("São Paulo", "America/Sao_Paulo"),
        ("SÃO PAULO", "America/Sao_Paulo"),
        ("Buenos Aires", "America/Buenos_Aires"),
        ("Katmandu", "Asia/Katmandu"),  # an old spelling IANA keeps as a link
        ("Lord Howe", "Australia/Lord_Howe"),
        ("Port-au-Prince", "America/Port-au-Prince"),
        ("Washington", "America/New_York"),
        ("utc", "UTC"),
        ("UTC+0", "UTC"),
        ("+05:30", "UTC+05:30"),
        ("+0530", "UTC+05:30"),
        ("UTC+5:45", "UTC+05:45"),
        ("-3", "UTC-03:00"),
        ("GMT-03:00", "UTC-03:00"),
        ("UTC −4", "UTC-04:00"),
        ("+14", "UTC+14:00"),
    ],
)
def test_time_zones_are_read_from_names_cities_and_offsets(text: str, key: str) -> None:
    tz = parse_timezone(text)
    assert timezone_key(tz) == key
    assert timezone_key(parse_timezone(key)) == key  # the stored form reads back


def test_gmt_offsets_mean_what_people_mean_not_the_etc_zones() -> None:
    # IANA's Etc/GMT-3 is three hours *ahead* of UTC; a person writing GMT-3 means behind.
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_timezone("GMT-3").utcoffset(moment) == timedelta(hours=-3)
    assert parse_timezone("Etc/GMT-3").utcoffset(moment) == timedelta(hours=3)


def test_city_names_give_real_zones_with_daylight_saving() -> None:
    tz = parse_timezone("berlin")
    assert isinstance(tz, ZoneInfo)
    assert tz.utcoffset(datetime(2026, 7, 1)) == timedelta(hours=2)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Berlinn", "unknown time zone 'Berlinn'; did you mean Europe/Berlin?"),
        ("Nwe York", "did you mean America/New_York?"),
        ("Kathmandoo", "did you mean Asia/Kathmandu?"),
        ("Qwertyuiop", "send a city such as Berlin"),
        ("", "send a city such as Berlin"),
        ("+15", "-12:00 to \\+14:00"),
        ("-13", "-12:00 to \\+14:00"),
        ("+05:75", "-12:00 to \\+14:00"),
    ],
)
def test_unknown_time_zones_get_a_helpful_message(text: str, message: str) -> None:
    with pytest.raises(TimezoneError, match=f"(?i){message}"):
        parse_timezone(text)
