"""Running the release's ``tplref`` on generated cases (development only, never in CI).

``tplref -batch`` renders many cases per process. A case can still bring the whole batch
down (Go runs out of memory on a template that builds gigabytes, a stack overflow is fatal
in Go, a case can hang), so a failed batch is split in halves until the culprit stands
alone; it is reported as ``None`` and never recorded.
"""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

from .fixtures import ENV, PARAMS, TEMPLATE_NAMES

BATCH = 400
TIMEOUT = 120.0
MEMORY_LIMIT = 4 << 30
"""Address space for tplref: a case that makes Go allocate gigabytes fails alone."""
Answer = tuple[str, str | None] | None


def _request(index: int, case: dict[str, Any]) -> dict[str, Any]:
    request: dict[str, Any] = {
        "name": str(index),
        "template": case["template"],
        "env": ENV,
        "target": TEMPLATE_NAMES[case["name"]],
    }
    params = PARAMS[case["params"]]
    if params is not None:
        request["params_hcl"] = params
    return request


def _run(tplref: str, cases: list[dict[str, Any]], offset: int) -> list[Answer]:
    requests = [_request(offset + index, case) for index, case in enumerate(cases)]
    environment = {"TZ": "UTC", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    try:
        done = subprocess.run(
            [tplref, "-batch"],
            input=json.dumps(requests).encode("utf-8", "surrogateescape"),
            capture_output=True,
            timeout=TIMEOUT,
            env=environment,
            check=False,
            preexec_fn=_limit_memory,
        )
        results = json.loads(done.stdout.decode("utf-8", "surrogateescape"))
        if done.returncode != 0 or len(results) != len(cases):
            raise ValueError("batch failed")
    except (subprocess.TimeoutExpired, ValueError):
        if len(cases) == 1:
            return [None]
        middle = len(cases) // 2
        return _run(tplref, cases[:middle], offset) + _run(tplref, cases[middle:], offset + middle)
    return [(_as_mittnite(result["output"]), _as_mittnite(result["error"])) for result in results]


def _as_mittnite(text: str | None) -> Any:
    """tplref's data root is its own ``*main.tplData``; mittnite's is ``*files.templateData``
    (same fields), which is what users see in ``%T`` and in error messages."""
    if text is None:
        return None
    return text.replace("main.tplData", "files.templateData")


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_tplref(tplref: str, cases: list[dict[str, Any]], repeat: int = 1) -> list[Answer]:
    """Go's ``(output, error)`` for every case; ``None`` where Go crashed, hung, or (with
    ``repeat`` > 1) answered differently between runs."""
    answers: list[Answer] = []
    for start in range(0, len(cases), BATCH):
        chunk = cases[start : start + BATCH]
        first = _run(tplref, chunk, start)
        for _ in range(repeat - 1):
            again = _run(tplref, chunk, start)
            first = [a if a == b else None for a, b in zip(first, again, strict=True)]
        answers.extend(first)
    return answers
