"""The probe port is taken (two containers of one pod both on 9102): mittnite runs on.

The original logs the error and runs the jobs without a probe server. We log it too, run
the jobs, and keep trying to listen, so the probe server appears once the port is free.
"""

from __future__ import annotations

import signal
import socket
import time

from .conftest import Start


def test_jobs_run_and_the_probe_server_comes_when_the_port_is_free(mittnite: Start) -> None:
    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    holder.bind(("0.0.0.0", 0))
    holder.listen(1)
    port = holder.getsockname()[1]
    config = {
        "a.hcl": 'job "s" {\n command = "/bin/sh"\n args = ["-c", "echo up; exec sleep 1050"]\n}\n'
    }
    run = mittnite(config, "-p", str(port))
    run.wait_for(
        rf'level=error msg="probe server stopped with error: listen tcp :{port}: bind: address already in use"'
    )
    run.wait_for("up", stream="stdout")  # the job runs
    assert run.process.poll() is None
    holder.close()
    run.wait_for(rf"probeServer listens on port {port}", timeout=60)
    deadline = time.monotonic() + 30
    while True:
        try:
            client = socket.create_connection(("127.0.0.1", port), timeout=10)
            break
        except OSError:
            assert time.monotonic() < deadline
            time.sleep(0.1)
    client.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert client.recv(4096).startswith(b"HTTP/1.1 200 OK")
    client.close()
    run.signal(signal.SIGTERM)
    assert run.wait(60) == 0
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr


def test_stopping_while_the_port_is_still_taken(mittnite: Start) -> None:
    holder = socket.socket()
    holder.bind(("0.0.0.0", 0))
    holder.listen(1)
    port = holder.getsockname()[1]
    run = mittnite(
        {"a.hcl": 'job "s" {\n command = "sleep"\n args = ["1051"]\n}\n'}, "-p", str(port)
    )
    run.wait_for("probe server stopped with error")
    run.wait_for('msg="starting job" job.name=s')
    run.signal(signal.SIGTERM)
    assert run.wait(60) == 0
    holder.close()
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
