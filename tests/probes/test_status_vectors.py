"""``/status`` messages compared with the original's release build, situation by situation.

``data/status_vectors.json`` holds what the original answered (made by
``data/make_status_vectors.py``); here our probes meet the same servers and
must produce the same ``message`` - dashboards and alerts match these texts.
Deliberate difference: a password is never shown (the original printed the
AMQP URL with it).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from mittnite.config.load import load
from mittnite.logs.logger import MASK
from mittnite.probes.build import build_probes, close_probes
from mittnite.probes.gotext import nameserver
from mittnite.probes.status import status_body

from .conftest import LogCapture, RedisServer, free_port, port_open, require_binary
from .status_cases import CASES, Blackhole, Http500, config_text

VECTORS = json.loads((Path(__file__).parent / "data" / "status_vectors.json").read_text())
PASSWORDS = ("wrongpw", "wrong", "secretpw")


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, int]]:
    """The throw-away servers the cases need (a missing redis-server: those cases skip)."""
    blackhole, http500 = Blackhole(), Http500()
    ports = {"closed": free_port(), "blackhole": blackhole.port, "http500": http500.port}
    redis: RedisServer | None = None
    try:
        require_binary("redis-server")
    except pytest.skip.Exception:
        pass
    else:
        redis = RedisServer(free_port(), "secretpw")
        redis.start_and_wait()
        ports["redis_pw"] = redis.port
    yield ports
    if redis is not None:
        redis.stop()
    blackhole.close()
    http500.close()


def _available(needs: tuple[str, ...], ports: dict[str, int]) -> str | None:
    for need in needs:
        if need == "mysql" and not port_open(3306):
            return "MariaDB is not listening on 3306"
        if need == "amqp" and not port_open(5672):
            return "RabbitMQ is not listening on 5672"
        if need == "redis_pw" and "redis_pw" not in ports:
            return "redis-server is not installed"
    return None


def expected(name: str, ports: dict[str, int]) -> dict[str, object]:
    vector = dict(VECTORS[name])
    message = vector["message"]
    if isinstance(message, str):
        for key, port in ports.items():
            message = message.replace("{" + key + "}", str(port))
        message = message.replace("{ns}:53", nameserver())
        message = message.replace("guest:wrongpw@", f"guest:{MASK}@")  # never a password
        vector["message"] = message
    return vector


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_status_message_is_the_originals(
    case: object, servers: dict[str, int], tmp_path: Path
) -> None:
    from .status_cases import Case

    assert isinstance(case, Case)
    reason = _available(case.needs, servers)
    if reason is not None:
        pytest.skip(reason)
    (tmp_path / "probe.hcl").write_text(
        config_text({key: servers.get(key, 0) for key in ("closed", "redis_pw", "blackhole", "http500")})
    )
    ignition, _ = load(str(tmp_path))
    configs = [probe for probe in ignition.probes if probe.name == case.name]
    logs = LogCapture()
    probes = build_probes(configs, environ={}, logger=logs.logger)

    async def attempt() -> str | None:
        try:
            # the slow ones (a broker delaying its refusal) get longer than /status' 1 s
            return await asyncio.wait_for(probes[case.name].status_text(), 15)
        finally:
            await close_probes(probes)

    message = asyncio.run(attempt())
    want = expected(case.name, servers)
    assert message == want["message"]
    # the entry's shape: ok first, message only when there is one
    entry = json.loads(status_body({case.name: message}))["probes"][case.name]
    assert list(entry) == want["keys"]
    assert entry["ok"] is want["ok"]
    for password in PASSWORDS:
        if message is not None and case.name != "redis_wrongpass":
            assert password not in message
