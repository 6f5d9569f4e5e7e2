"""Which route a request names: the original's gorilla/mux table, as a pure function.

* ``GET /v1/jobs``
* ``GET /v1/metrics`` (ours: the probe server's ``/metrics``, for ``mittnitectl metrics``)
* ``GET /v1/job/{job}/status``
* ``POST /v1/job/{job}/start`` / ``restart`` / ``stop``
* ``GET /v1/job/{job}/logs``

Wrong methods are answered as the original's router answers them (checked
against its release build): ``/v1/jobs`` with another method is ``405`` with
an empty body; a job route with the wrong method (``GET .../start``) is
``404 page not found`` (the job routes live on a mux sub-router, which does
not report method mismatches). Anything else is ``404 page not found``. A
path that is not clean (``//v1/jobs``, ``/v1/./jobs``) is redirected with
``301`` to its clean form, as mux does.

``{job}`` is one segment of the path *as sent*, percent-decoded on its own,
so a job whose name contains ``/`` is reachable as ``/v1/job/a%2Fb/status``
(the original decodes the whole path first, so such a job was unreachable,
and ``/v1/job/web%2Fstatus`` meant ``/v1/job/web/status``).
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
    """A request target into (path as sent, still percent-encoded; raw query)."""
    path, _, query = target.partition("?")
    return path, query


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
    """The route for ``method`` on ``path`` (as sent, percent-encoded)."""
    cleaned = clean_path(path)
    if cleaned != path:
        return NoMatch(301, cleaned)
    parts = [unquote(part) for part in path.split("/")]
    if parts == ["", "v1", "jobs"]:
        return Match("list") if method == "GET" else NoMatch(405)
    if parts == ["", "v1", "metrics"]:
        return Match("metrics") if method == "GET" else NoMatch(405)
    # "", "v1", "job", name, action
    if len(parts) == 5 and parts[1] == "v1" and parts[2] == "job" and parts[3]:
        wanted = ACTIONS.get(parts[4])
        if wanted is not None and method == wanted:
            return Match(parts[4], parts[3])
    return NoMatch(404)
