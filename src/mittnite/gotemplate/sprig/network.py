"""sprig's network function: ``getHostByName``.

Templates use it to put a peer's address into a configuration at start-up.
Like the Go original it returns one of the name's addresses chosen at random,
and a name that does not resolve makes the template fail (sprig indexes an
empty address list, which panics inside ``rand.Intn``).
"""

from __future__ import annotations

from mittnite.gotemplate.errors import GoPanic
from mittnite.gotemplate.funcs import FuncMap, gofunc

__all__ = ["FUNCS", "lookup_host"]


def lookup_host(name: str) -> list[str]:
    """Go's ``net.LookupHost``: the name's IPv4 and IPv6 addresses (empty on failure)."""
    import socket

    if name == "":
        return []
    try:
        infos = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []
    addresses: list[str] = []
    for family, _, _, _, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        address = str(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


@gofunc("string", result="string")
def get_host_by_name(name: str) -> str:
    import random

    addresses = lookup_host(name)
    if not addresses:
        raise GoPanic("invalid argument to Intn")
    return random.choice(addresses)


FUNCS: FuncMap = {"getHostByName": get_host_by_name}
