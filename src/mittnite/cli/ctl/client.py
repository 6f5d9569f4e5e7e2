"""The control API as Python calls: list, status, start/stop/restart, logs.

Each call returns data or raises :class:`CtlError` with the message a person
needs: the server's own text for refusals (``job "x" not found or is not
controllable``), the transport's advice for connection problems, prefixed
with what was being attempted as the original prints it.
"""

from __future__ import annotations

from .errors import CtlError
from .http import request

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .address import Endpoint
    from .http import Reply
    from .status import JobStatus
    from .websocket import LogStream

NOT_CONTROLLABLE_HINT = (
    'Only jobs with "controllable = true" can be controlled; "mittnitectl job list" shows them.'
)


SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")


def _job_path(name: str, action: str) -> str:
    """The route for ``name``, percent-encoded only when needed (saves importing urllib)."""
    if not set(name) <= SAFE:
        from urllib.parse import quote

        name = quote(name, safe="")
    return f"/v1/job/{name}/{action}"


def _refusal(reply: Reply) -> str:
    """What the server said when it refused (Go ``http.Error`` text bodies)."""
    text = reply.text or f"HTTP status {reply.status}"
    if reply.status == 404 and "not controllable" in text:
        text += f"\n{NOT_CONTROLLABLE_HINT}"
    return text


def _json(reply: Reply) -> object:
    if not reply.content_type.startswith("application/json"):
        raise CtlError(f"unknown content type {reply.content_type}")
    import json

    try:
        return json.loads(reply.body)
    except ValueError as exc:
        raise CtlError(f"the API sent invalid JSON: {exc}") from None


class ApiClient:
    """Talks to one API endpoint; every method is one request (or one log session)."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint

    def list_jobs(self) -> list[str]:
        """Names of the controllable jobs (``[]`` also when a server answers ``null``)."""
        try:
            reply = request(self.endpoint, "GET", "/v1/jobs")
            if reply.status >= 400:
                raise CtlError(_refusal(reply))
            data = _json(reply)
        except CtlError as exc:
            raise CtlError(f"failed to list jobs: {exc}") from None
        if data is None:
            return []
        if not isinstance(data, list) or not all(isinstance(n, str) for n in data):
            raise CtlError("failed to list jobs: expected a JSON list of job names")
        return data

    def status(self, name: str) -> JobStatus:
        from .status import JobStatus

        try:
            reply = request(self.endpoint, "GET", _job_path(name, "status"))
            if reply.status >= 400:
                raise CtlError(_refusal(reply))
            return JobStatus.from_json(name, _json(reply))
        except CtlError as exc:
            raise CtlError(f"failed to get status of job {name}: {exc}") from None

    def action(self, verb: str, name: str) -> None:
        """``POST /v1/job/{name}/{verb}``; the server answers at once, before the change."""
        try:
            reply = request(self.endpoint, "POST", _job_path(name, verb))
            if reply.status >= 400:
                raise CtlError(_refusal(reply))
        except CtlError as exc:
            raise CtlError(f"failed to {verb} job {name}: {exc}") from None

    def metrics(self) -> str:
        """``GET /v1/metrics``: the run's metrics, OpenMetrics text."""
        try:
            reply = request(self.endpoint, "GET", "/v1/metrics")
            if reply.status == 404 or reply.status == 405:
                raise CtlError(
                    "this mittnite has no metrics endpoint (an older version, or the original)"
                )
            if reply.status >= 400:
                raise CtlError(_refusal(reply))
        except CtlError as exc:
            raise CtlError(f"failed to get metrics: {exc}") from None
        return reply.body.decode("utf-8", "replace")

    def logs(self, name: str, follow: bool, tail: int) -> LogStream:
        """The log session (iterate it); ``taillen`` always sent, ``follow`` only if true."""
        from .websocket import LogStream

        query = f"follow=true&taillen={tail}" if follow else f"taillen={tail}"
        return LogStream(self.endpoint, f"{_job_path(name, 'logs')}?{query}")
