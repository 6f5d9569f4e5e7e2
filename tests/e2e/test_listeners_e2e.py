"""Listeners that keep the client's address, through real ``mittnite up`` runs.

* PROXY protocol towards the upstream (``proxyProtocol = "v1"``/``"v2"``): a Python
  upstream that parses the header with the ``proxy-protocol`` library, and a real nginx
  (started lazily by mittnite) that answers with ``$proxy_protocol_addr``;
* socket activation (``activate = true``): a job that accepts on the descriptors it was
  given and reports the peer address and ``LISTEN_*``; non-lazy (connections queue across
  restarts), lazy (started by the first connection, stopped after the cool-down, started
  again), as PID 1, with ``unix://`` paths.
"""

from __future__ import annotations

import json
import shutil
import socket
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from ..activation.helpers import fixed_port as free_port
from ..runtime.nginx import nginx_binary, nginx_conf
from .conftest import Start
from .harness import processes_with

ROOT = Path(__file__).resolve().parents[1]
PP_UPSTREAM = str(ROOT / "runtime" / "pp_upstream.py")
JOB = str(ROOT / "activation" / "job.py")
PYTHON = sys.executable


def connect(port: int, timeout: float = 30.0) -> socket.socket:
    """Connect, retrying while nothing listens yet (mittnite is still starting)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=timeout)
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def read_line(sock: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def ask(port: int, payload: bytes = b"") -> tuple[dict[str, Any], tuple[str, int]]:
    """One request: returns the one-line JSON answer and our own address."""
    with connect(port) as client:
        me = client.getsockname()
        if payload:
            client.sendall(payload)
        answer: dict[str, Any] = json.loads(read_line(client))
    return answer, me


def reports(text: str) -> list[dict[str, Any]]:
    """The start-up reports ``job.py`` printed (one JSON line per process)."""
    found = []
    for line in text.splitlines():
        if line.startswith('{"pid"'):
            found.append(json.loads(line))
    return found


def test_proxy_protocol_v1_and_v2_carry_the_client_address(
    mittnite: Start, tmp_path: Path
) -> None:
    upstream, front_v1, front_v2 = free_port(), free_port(), free_port()
    run = mittnite(
        {
            "a.hcl": f"""
job "upstream" {{
  command = "{PYTHON}"
  args    = ["{PP_UPSTREAM}", "tcp", "127.0.0.1:{upstream}"]
  listen "127.0.0.1:{front_v1}" {{
    forward       = "127.0.0.1:{upstream}"
    proxyProtocol = "v1"
  }}
  listen "127.0.0.1:{front_v2}" {{
    forward       = "127.0.0.1:{upstream}"
    proxyProtocol = "v2"
  }}
}}
"""
        }
    )
    run.wait_for("listening 127.0.0.1", stream="stdout")
    for front in (front_v1, front_v2):
        report, me = ask(front, b"hello\n")
        assert report["type"] == "IPv4", report
        assert report["source"] == [me[0], me[1]]  # the client, not mittnite
        assert report["dest"] == ["127.0.0.1", front]
        assert report["first"] == "hello\n"  # the client's bytes follow the header
    run.signal()
    assert run.wait() == 0


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_a_lazy_nginx_sees_the_client_address(
    mittnite: Start, tmp_path: Path, version: str
) -> None:
    """The README's one-liner: nginx reads the header with ``listen ... proxy_protocol``."""
    binary = nginx_binary()
    front, back = free_port(), free_port()
    (tmp_path / "nginx.conf").write_text(nginx_conf(str(tmp_path), f"127.0.0.1:{back}"))
    run = mittnite(
        {
            "a.hcl": f"""
job "nginx" {{
  command = "{binary}"
  args    = ["-p", "{tmp_path}", "-c", "{tmp_path}/nginx.conf", "-e", "stderr"]
  lazy {{
    spinUpTimeout = "30s"
  }}
  listen "127.0.0.1:{front}" {{
    forward       = "127.0.0.1:{back}"
    proxyProtocol = "{version}"
  }}
}}
"""
        }
    )
    run.wait_for("holding off starting job nginx until first request")
    with connect(front) as client:
        host, port = client.getsockname()
        client.sendall(b"GET / HTTP/1.0\r\nHost: test\r\n\r\n")
        answer = b""
        while chunk := client.recv(4096):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), answer
    assert body == f"[{host}]:[{port}]".encode()
    run.signal()
    assert run.wait() == 0


@pytest.mark.parametrize("pid1", [False, True], ids=["child", "pid1"])
def test_an_activated_job_accepts_itself_and_sees_the_client(
    mittnite: Start, tmp_path: Path, pid1: bool
) -> None:
    """Two activated blocks, TCP and a ``unix://`` path: descriptors 3 and 4, with
    ``LISTEN_FDS``, ``LISTEN_FDNAMES`` and ``LISTEN_PID`` (the job's own pid)."""
    port = free_port()
    admin = tmp_path / "admin.sock"
    run = mittnite(
        {
            "a.hcl": f"""
job "web" {{
  command = "{PYTHON}"
  args    = ["{JOB}", "--tag", "{port}"]
  listen "127.0.0.1:{port}" {{
    activate = true
  }}
  listen "unix://{admin}" {{
    activate = true
    name     = "admin"
  }}
}}
"""
        },
        pid1=pid1,
    )
    run.wait_for('"LISTEN_FDS"', stream="stdout")
    (report,) = reports(run.stdout)
    assert report["LISTEN_PID"] == str(report["pid"])
    assert (report["LISTEN_FDS"], report["LISTEN_FDNAMES"]) == ("2", "web:admin")
    assert report["fds"] == [0, 1, 2, 3, 4]
    assert [sock["address"] for sock in report["sockets"]] == [["127.0.0.1", port], str(admin)]

    answer, me = ask(port)
    assert answer == {"fd": 3, "name": "web", "peer": list(me)}  # the real client address
    with socket.socket(socket.AF_UNIX) as client:
        client.settimeout(30)
        client.connect(str(admin))
        assert json.loads(read_line(client))["name"] == "admin"
    run.signal()
    assert run.wait() == 0
    assert not admin.exists()  # the socket file is removed with the socket
    assert processes_with(f"--tag {port}") == []


def test_connections_wait_in_the_queue_while_an_activated_job_restarts(
    mittnite: Start, tmp_path: Path
) -> None:
    """The job serves one client and exits; the next client waits in the accept queue
    until the restarted process accepts it: nothing is refused."""
    port = free_port()
    run = mittnite(
        {
            "a.hcl": f"""
job "once" {{
  command     = "{PYTHON}"
  args        = ["{JOB}", "--once", "--tag", "{port}"]
  maxAttempts = -1
  listen "127.0.0.1:{port}" {{
    activate = true
  }}
}}
"""
        }
    )
    run.wait_for('"LISTEN_FDS"', stream="stdout")
    first, me = ask(port)
    assert first["peer"] == list(me)
    second, me = ask(port)  # made while the first process is gone or going
    assert second["peer"] == list(me)
    run.wait_for('msg="starting job" job.name=once(?s:.*)msg="starting job" job.name=once')
    run.wait_for(r'"LISTEN_FDS"(?s:.*)"LISTEN_FDS"', stream="stdout")
    pids = [report["pid"] for report in reports(run.stdout)]
    assert len(pids) >= 2 and len(set(pids)) == len(pids)
    run.signal()
    assert run.wait() == 0
    assert processes_with(f"--tag {port}") == []


def test_a_lazy_activated_job_starts_on_demand_cools_down_and_starts_again(
    mittnite: Start, tmp_path: Path
) -> None:
    port = free_port()
    run = mittnite(
        {
            "a.hcl": f"""
job "web" {{
  command = "{PYTHON}"
  args    = ["{JOB}", "--hold", "--tag", "{port}"]
  lazy {{
    coolDownTimeout = "1s"
  }}
  listen "127.0.0.1:{port}" {{
    activate = true
  }}
}}
"""
        }
    )
    run.wait_for("holding off starting job web until first request")
    run.wait_for('msg="starting TCP listener" address="127.0.0.1:')
    assert processes_with(f"--tag {port}") == []  # nothing runs before the first connection

    with connect(port) as client:  # waits in the queue; the job accepts it once started
        me = client.getsockname()
        assert json.loads(read_line(client))["peer"] == list(me)
        assert len(processes_with(f"--tag {port}")) == 1
        time.sleep(1.5)  # held open past the cool-down: the job is busy, it keeps running
        assert "process terminated" not in run.stderr
    run.wait_for('msg="process terminated" job.name=web', timeout=60)
    assert processes_with(f"--tag {port}") == []

    answer, me = ask(port)  # started again by the next connection
    assert answer["peer"] == list(me)
    run.wait_for(r'"LISTEN_FDS"(?s:.*)"LISTEN_FDS"', stream="stdout")  # output passes through
    first, second = reports(run.stdout)
    assert first["pid"] != second["pid"]
    assert second["LISTEN_PID"] == str(second["pid"])
    assert run.stderr.count('msg="starting job" job.name=web') == 2
    run.signal()
    assert run.wait() == 0
    assert processes_with(f"--tag {port}") == []


def http_get(port: int) -> tuple[str, tuple[str, int]]:
    with connect(port) as client:
        me = client.getsockname()
        client.sendall(b"GET / HTTP/1.0\r\n\r\n")
        answer = b""
        while chunk := client.recv(4096):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 200"), answer
    return body.decode(), me


def test_the_example_and_the_readme_snippet(mittnite: Start, tmp_path: Path) -> None:
    """``examples/activation`` as its README runs it (other ports), and the README's
    ten-line job is the example's ``app.py``."""
    example = ROOT.parent / "examples" / "activation"
    readme = (ROOT.parent / "README.md").read_text()
    app = (example / "app.py").read_text()
    assert f"```python\n{app}```" in readme
    for name in ("app.py", "proxied.py"):
        shutil.copy(example / name, tmp_path / name)
    ports = {port: free_port() for port in (8080, 8090, 8091)}
    config = (example / "mittnite.d" / "activation.hcl").read_text()
    for port, replacement in ports.items():
        config = config.replace(f"127.0.0.1:{port}", f"127.0.0.1:{replacement}")
    run = mittnite({"activation.hcl": config})
    run.wait_for("holding off starting job app until first request")

    body, me = http_get(ports[8080])
    assert body == f"hello {me[0]}:{me[1]}\n"
    body, me = http_get(ports[8090])
    assert body == f"hello {me[0]}:{me[1]}\n"  # the client, not mittnite's address
    run.signal()
    assert run.wait() == 0


def squat(port: int) -> socket.socket:
    """Take ``port`` on 127.0.0.1 (someone else listening there)."""
    squatter = socket.socket()
    squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    squatter.bind(("127.0.0.1", port))
    squatter.listen()
    return squatter


def _echo_upstream(port: int) -> str:
    """A job that answers each connection on ``port`` with one line."""
    return (
        "import socket\n"
        "s = socket.socket()\n"
        "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
        f"s.bind(('127.0.0.1', {port}))\n"
        "s.listen()\n"
        "print('upstream up', flush=True)\n"
        "while True:\n"
        "    c, _ = s.accept()\n"
        "    c.sendall(b'hello from upstream\\n')\n"
        "    c.close()\n"
    )


def test_a_taken_port_of_a_forwarding_block_does_not_stop_a_job_that_is_not_lazy(
    mittnite: Start, tmp_path: Path
) -> None:
    """The original ignores ``listen`` blocks of jobs that are not lazy, so a port that is
    taken must not stop the container: the job runs, the error is logged, and mittnite
    opens the block once the port is free."""
    front, back = free_port(), free_port()
    script = tmp_path / "upstream.py"
    script.write_text(_echo_upstream(back))
    squatter = squat(front)
    try:
        run = mittnite(
            {
                "a.hcl": f'job "web" {{\n command = "{PYTHON}"\n args = ["{script}"]\n'
                f' listen "127.0.0.1:{front}" {{\n  forward = "127.0.0.1:{back}"\n }}\n}}\n'
            }
        )
        run.wait_for("upstream up", stream="stdout")
        run.wait_for(
            rf'level=error msg="listener stopped with error" error="listen tcp 127.0.0.1:{front}: '
            r'bind: address already in use" job.name=web'
        )
    finally:
        squatter.close()
    run.wait_for(rf'msg="starting TCP listener" address="127.0.0.1:{front}" job.name=web.*\n(.|\n)*'
                 rf'msg="starting TCP listener" address="127.0.0.1:{front}"')
    with connect(front) as client:
        assert read_line(client) == b"hello from upstream\n"
    run.signal()
    assert run.wait() == 0
    assert "fatal" not in run.stderr


def test_a_taken_port_of_an_activated_block_still_stops_the_run(
    mittnite: Start, tmp_path: Path
) -> None:
    """With ``activate = true`` the job is handed the socket itself: without it the job
    cannot work, so that stays an error that ends the run."""
    port = free_port()
    squatter = squat(port)
    try:
        run = mittnite(
            {
                "a.hcl": f'job "web" {{\n command = "{PYTHON}"\n args = ["{JOB}"]\n'
                f' listen "127.0.0.1:{port}" {{\n  activate = true\n }}\n}}\n'
            }
        )
        assert run.wait() == 1
    finally:
        squatter.close()
    assert 'level=fatal msg="listener stopped with error"' in run.stderr
