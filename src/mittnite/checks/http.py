"""``http = "<url>"``: passes when a GET answers 2xx or 3xx.

Redirects are followed as Go's client follows them (301, 302, 303, 307, 308 with a
``Location``, at most 10); a 3xx that is not followed counts as a pass, as does any
2xx. The body is never read. The HTTP client itself is the probes' (h11 framing,
Go's ``User-Agent``, address-by-address connects with readable errors); this module
only adapts it to the :class:`~mittnite.checks.base.Check` interface, so probes and
job checks behave identically.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..probes.base import ProbeError
from ..probes.http import HttpChecker
from .base import CheckFailed, format_seconds

__all__ = ["HttpCheck"]


class HttpCheck:
    """GET ``url``; ``timeout`` bounds the whole exchange, redirects included."""

    kind = "http"

    def __init__(self, url: str, *, timeout: float = 1.0) -> None:
        scheme = urlsplit(url).scheme
        if scheme not in ("http", "https"):
            raise ValueError(f"http check: {url!r} is not an http:// or https:// URL")
        self.url = url
        self.target = url
        self.timeout = timeout
        self._client = HttpChecker(url, timeout, format_seconds(timeout))

    async def check(self) -> None:
        try:
            await self._client.check()
        except ProbeError as error:
            raise CheckFailed(error.message, unreachable=error.unreachable) from None

    async def aclose(self) -> None:
        await self._client.aclose()
