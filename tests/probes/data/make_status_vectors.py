"""Record the original's ``/status`` messages for ``status_cases.CASES``.

Needs the original's release binary (``../shared/reference/bin/mittnite-original``
or ``MITTNITE_ORIGINAL``), redis-server, MariaDB on 3306 and RabbitMQ on 5672.
Writes ``status_vectors.json`` next to this file; the test suite only reads it.

    .venv/bin/python tests/probes/data/make_status_vectors.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from tests.probes.status_cases import (  # noqa: E402
    Blackhole,
    Http500,
    config_text,
    free_port,
    normalise,
)

ORIGINAL = os.environ.get(
    "MITTNITE_ORIGINAL",
    str(HERE.parents[3] / "shared" / "reference" / "bin" / "mittnite-original"),
)


def nameserver() -> str:
    for line in Path("/etc/resolv.conf").read_text().splitlines():
        fields = line.split()
        if len(fields) >= 2 and fields[0] == "nameserver":
            return fields[1]
    return "127.0.0.1"


def fetch(port: int) -> dict[str, dict[str, object]]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=60) as answer:
            body = answer.read()
    except urllib.error.HTTPError as error:
        body = error.read()
    document: dict[str, dict[str, dict[str, object]]] = json.loads(body)
    return document["probes"]


def not_ready_errors(log: str) -> dict[str, str]:
    """``err`` of the original's ``not ready yet`` lines, by probe name (last wins)."""
    import re

    found = {}
    for line in log.splitlines():
        if 'msg="not ready yet"' not in line:
            continue
        err = re.search(r' err=("(?:[^"\\]|\\.)*"|\S*)', line)
        name = re.search(r" name=(\S+)", line)
        if err and name:
            value = err.group(1)
            found[name.group(1)] = json.loads(value) if value.startswith('"') else value
    return found


def main() -> None:
    blackhole, http500 = Blackhole(), Http500()
    redis_port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--requirepass", "secretpw"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    ports = {
        "closed": free_port(),
        "redis_pw": redis_port,
        "blackhole": blackhole.port,
        "http500": http500.port,
    }
    status_port = free_port()
    with tempfile.TemporaryDirectory() as workdir:
        Path(workdir, "probes.hcl").write_text(config_text(ports))
        log_path = Path(workdir, "stderr.log")
        original = subprocess.Popen(
            [ORIGINAL, "up", "-k", "-c", workdir, "-p", str(status_port)],
            env={"PATH": "/usr/bin:/bin"},
            stderr=log_path.open("wb"),
        )
        try:
            time.sleep(3)
            first = fetch(status_port)  # waits for the slowest probe (the original's quirk)
            time.sleep(5)  # slow failures (wait = true) have been logged by now
            logged = not_ready_errors(log_path.read_text())
            for name, entry in first.items():
                if entry.get("message") == "timed out" and name in logged:
                    first[name] = {"ok": False, "message": logged[name]}
        finally:
            original.terminate()
            original.wait(20)
            redis.terminate()
            blackhole.close()
            http500.close()
    vectors = {}
    for name, entry in sorted(first.items()):
        message = entry.get("message")
        vectors[name] = {
            "ok": entry["ok"],
            "message": None if message is None else normalise(str(message), ports, nameserver()),
            "keys": list(entry),
        }
    out = HERE / "status_vectors.json"
    out.write_text(json.dumps(vectors, indent=1, sort_keys=True) + "\n")
    print(f"wrote {out} ({len(vectors)} probes)")


if __name__ == "__main__":
    main()
