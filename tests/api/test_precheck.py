"""Whether the API can listen, asked before ``up`` renders anything."""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Iterator

import pytest

from mittnite.api.precheck import api_unavailable, os_error_text


@pytest.fixture
def short_dir() -> Iterator[str]:
    directory = tempfile.mkdtemp(prefix="mnpre")
    yield directory
    for name in os.listdir(directory):
        os.unlink(os.path.join(directory, name))
    os.rmdir(directory)


def test_free_and_stale_unix_sockets_are_usable(short_dir: str) -> None:
    path = os.path.join(short_dir, "api.sock")
    assert api_unavailable(f"unix://{path}") is None
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(path)  # bound, never listening: what a crashed run leaves behind
    stale.close()
    assert api_unavailable(f"unix://{path}") is None
    assert os.path.exists(path)  # the check removes nothing


def test_a_live_socket_and_a_plain_file_are_refused(short_dir: str) -> None:
    path = os.path.join(short_dir, "api.sock")
    live = socket.socket(socket.AF_UNIX)
    live.bind(path)
    live.listen(1)
    try:
        problem = api_unavailable(f"unix://{path}")
    finally:
        live.close()
    assert problem == (
        f"{path} is in use by another running process (is another mittnite serving its API "
        "there?); stop it or choose another --api-listen-address"
    )
    os.unlink(path)
    with open(path, "w") as handle:
        handle.write("not a socket")
    assert "exists and is not a socket" in str(api_unavailable(f"unix://{path}"))


def test_a_tcp_port_in_use_is_refused_in_gos_words() -> None:
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    try:
        assert api_unavailable(f"127.0.0.1:{port}") == (
            f"listen tcp 127.0.0.1:{port}: bind: address already in use"
        )
    finally:
        busy.close()
    assert api_unavailable(f"127.0.0.1:{port}") is None
    assert api_unavailable("127.0.0.1:0") is None


def test_remote_and_malformed_addresses() -> None:
    assert "--api-allow-remote" in str(api_unavailable("0.0.0.0:0"))
    assert api_unavailable("0.0.0.0:0", allow_remote=True) is None
    assert api_unavailable("nonsense") == "listen tcp nonsense: address nonsense: missing port in address"


def test_os_errors_read_without_python_errno() -> None:
    assert os_error_text(OSError(98, "listen tcp :1: bind: address already in use")) == (
        "listen tcp :1: bind: address already in use"
    )
    assert os_error_text(ValueError("bad address")) == "bad address"
