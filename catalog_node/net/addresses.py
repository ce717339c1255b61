"""Which network addresses the node may connect to, and the name resolution that finds them.

Outbound requests go to public addresses only: every address a host name resolves to must be
globally routable, otherwise the request is refused before any connection is made.
"""

from __future__ import annotations

import ipaddress
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_CGNAT = ipaddress.ip_network("100.64.0.0/10")


def refusal_reason(address: IPAddress) -> str | None:
    """Why a connection to ``address`` is refused, or None when it is a public address."""
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            inner = refusal_reason(mapped)
            return f"IPv4-mapped {inner}" if inner else None
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("carrier-grade NAT (100.64.0.0/10)", address in _CGNAT),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
    )
    for name, hit in checks:
        if hit:
            return f"{name} address {address}"
    if not address.is_global:
        return f"non-public address {address}"
    return None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to for a TCP connection, in resolver order, no repeats.

    Raises ``OSError`` (``socket.gaierror``) when the name does not resolve.
    """
    found: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM
    ):
        text = str(sockaddr[0]).split("%", 1)[0]  # drop an IPv6 zone index
        address = ipaddress.ip_address(text)
        if address not in found:
            found.append(address)
    return found
