"""Which addresses the fetch guard refuses, and how the allow-list exempts them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jobs.fetch import AddressGuard, parse_retry_after

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "is a loopback address"),
        ("127.8.9.10", "is a loopback address"),
        ("10.0.0.5", "is in a private network"),
        ("172.16.4.4", "is in a private network"),
        ("192.168.1.1", "is in a private network"),
        ("169.254.169.254", "is link-local"),
        ("0.0.0.0", "is unspecified"),
        ("224.0.0.251", "is a multicast address"),
        ("100.64.0.1", "is not a public internet address"),
        ("240.0.0.1", "is"),
        ("::1", "is a loopback address"),
        ("::", "is unspecified"),
        ("fe80::1", "is link-local"),
        ("fd12:3456::1", "is in a private network"),
        ("ff02::1", "is a multicast address"),
        ("::ffff:10.0.0.5", "wraps the IPv4 address 10.0.0.5, which is in a private network"),
        ("::ffff:169.254.169.254", "wraps the IPv4 address 169.254.169.254, which is link-local"),
        ("2002:a00:5::1", "wraps the IPv4 address 10.0.0.5"),
    ],
)
def test_internal_addresses_are_refused(address: str, reason: str) -> None:
    refusal = AddressGuard().refusal(address, address)

    assert refusal is not None
    assert refusal.startswith("refused: address ")
    assert reason in refusal


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert AddressGuard().refusal(address, address) is None


def test_refusal_for_a_name_says_what_it_resolved_to() -> None:
    refusal = AddressGuard().refusal("intranet.example", "10.1.2.3")

    assert refusal is not None
    assert refusal.startswith("refused: intranet.example resolves to 10.1.2.3, which is in a")


def test_allow_list_ranges_hosts_and_addresses() -> None:
    guard = AddressGuard(["10.0.0.0/8", "Wiki.Intranet.", "127.0.0.1", "  "])

    assert guard.refusal("feeds.corp", "10.200.0.9") is None
    assert guard.refusal("wiki.intranet", "192.168.5.5") is None
    assert guard.refusal("127.0.0.1", "127.0.0.1") is None
    # Exactly what is listed, nothing next to it.
    assert guard.refusal("127.0.0.2", "127.0.0.2") is not None
    assert guard.refusal("::1", "::1") is not None
    assert guard.refusal("other.intranet", "192.168.5.5") is not None


def test_a_resolver_answer_that_is_not_an_address_is_refused() -> None:
    assert "not an IP address" in (AddressGuard().refusal("x.test", "not-an-ip") or "")


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Fri, 27 Nov 2026 12:05:00 GMT", 300.0),
        ("Fri, 27 Nov 2026 11:00:00 GMT", 0.0),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_as_seconds_or_http_date(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == seconds
