"""Which route a request names: the original's gorilla/mux table, as a pure function.

* ``GET /v1/jobs``
* ``GET /v1/job/{job}/status``
* ``POST /v1/job/{job}/start`` / ``restart`` / ``stop``
* ``GET /v1/job/{job}/logs``

``{job}`` is one path segment of the decoded path. A known path with another
method is ``405`` (empty body), anything else ``404 page not found``. A path
that is not clean (``//v1/jobs``, ``/v1/./jobs``) is redirected with ``301``
to its clean form, as mux does.
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote

ACTIONS = {"status": "GET", "start": "POST", "restart": "POST", "stop": "POST", "logs": "GET"}


class Match:
    """A request resolved to ``action`` (``list`` or one of :data:`ACTIONS`) on ``job``."""

    __slots__ = ("action", "job")

    def __init__(self, action: str, job: str = "") -> None:
        self.action = action
        self.job = job

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Match) and (self.action, self.job) == (other.action, other.job)

    def __repr__(self) -> str:
        return f"Match({self.action!r}, {self.job!r})"


class NoMatch:
    """Why no route answers: ``status`` 404, 405, or 301 with ``location``."""

    __slots__ = ("location", "status")

    def __init__(self, status: int, location: str = "") -> None:
        self.status = status
        self.location = location

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NoMatch) and (self.status, self.location) == (
            other.status,
            other.location,
        )

    def __repr__(self) -> str:
        return f"NoMatch({self.status}, {self.location!r})"


def split_target(target: str) -> tuple[str, str]:
    """A request target into (decoded path, raw query)."""
    path, _, query = target.partition("?")
    return unquote(path), query


def clean_path(path: str) -> str:
    """Go's ``path.Clean`` for a request path (keeps a trailing slash, as mux does)."""
    if not path:
        return "/"
    if not path.startswith("/"):
        path = "/" + path
    cleaned = posixpath.normpath(path)
    if cleaned.startswith("//"):
        cleaned = "/" + cleaned.lstrip("/")
    if path.endswith("/") and cleaned != "/":
        cleaned += "/"
    return cleaned


def route(method: str, path: str) -> Match | NoMatch:
    """The route for ``method`` on the decoded ``path``."""
    cleaned = clean_path(path)
    if cleaned != path:
        return NoMatch(301, cleaned)
    if path == "/v1/jobs":
        return Match("list") if method == "GET" else NoMatch(405)
    parts = path.split("/")
    # "", "v1", "job", name, action
    if len(parts) == 5 and parts[1] == "v1" and parts[2] == "job" and parts[3]:
        wanted = ACTIONS.get(parts[4])
        if wanted is not None:
            return Match(parts[4], parts[3]) if method == wanted else NoMatch(405)
    return NoMatch(404)
