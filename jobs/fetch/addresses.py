"""Which network addresses a fetch may reach, and how a host name is resolved to them."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Resolves (host, port) to the IP addresses (as text) a connection could go to.
Resolver = Callable[[str, int], Awaitable[list[str]]]

_ALLOW_HINT = "an administrator can exempt it with NEWSDIGEST_FETCH_ALLOW"


async def resolve_with_system(host: str, port: int) -> list[str]:
    """Resolve through the operating system's resolver, without blocking the event loop."""
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    addresses: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        address = str(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def parse_ip(text: str) -> IPAddress | None:
    """The address in ``text`` (brackets and IPv6 zone ids tolerated), or None for a host name."""
    try:
        return ipaddress.ip_address(text.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def why_not_public(address: IPAddress) -> str | None:
    """Describe why ``address`` is not a public internet address, or None when it is."""
    if isinstance(address, ipaddress.IPv6Address):
        # An IPv6 wrapper around an IPv4 address reaches that IPv4 address: judge the inner one.
        inner = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if inner is not None:
            reason = why_not_public(inner)
            return f"wraps the IPv4 address {inner}, which {reason}" if reason else None
    if address.is_unspecified:
        return "is unspecified"
    if address.is_loopback:
        return "is a loopback address (this machine)"
    if address.is_link_local:
        return "is link-local (where cloud metadata services live)"
    if address.is_multicast:
        return "is a multicast address"
    if address.is_private:
        return "is in a private network"
    if address.is_reserved:
        return "is reserved"
    if isinstance(address, ipaddress.IPv6Address) and address.is_site_local:
        return "is in a private network"
    if not address.is_global:
        return "is not a public internet address"
    return None


class AddressGuard:
    """Decides whether a host and its resolved addresses may be connected to.

    Private, loopback, link-local, multicast, reserved and unspecified addresses (IPv4 and IPv6,
    including IPv4 wrapped in IPv6) are refused unless the host or the address is allow-listed.
    """

    def __init__(self, allow: Iterable[str] = ()) -> None:
        self._hosts: set[str] = set()
        self._networks: list[IPNetwork] = []
        for entry in allow:
            entry = entry.strip().lower()
            if not entry:
                continue
            try:
                self._networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                self._hosts.add(entry.rstrip("."))

    def host_is_allowed(self, host: str) -> bool:
        return host.lower().rstrip(".") in self._hosts

    def address_is_allowed(self, address: IPAddress) -> bool:
        # Exactly what is listed: allowing 127.0.0.1 does not allow ::ffff:127.0.0.1 or ::1,
        # so an allow-list entry for a test server or intranet host stays as narrow as written.
        return any(address in net for net in self._networks)

    def refusal(self, host: str, address: str) -> str | None:
        """The user-facing refusal message for connecting to ``address`` for ``host``, or None."""
        ip = parse_ip(address)
        if ip is None:
            return f"refused: {host} resolved to {address!r}, which is not an IP address"
        if self.host_is_allowed(host) or self.address_is_allowed(ip):
            return None
        reason = why_not_public(ip)
        if reason is None:
            return None
        named = f"address {ip}" if parse_ip(host) is not None else f"{host} resolves to {ip}, which"
        return f"refused: {named} {reason}; {_ALLOW_HINT}"
