"""Listen addresses and the unix socket: modes, stale sockets, live sockets, remote rule."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from mittnite.api.address import AddressError, parse_address
from mittnite.api.listener import SocketInUse, open_listener
from mittnite.api.server import ApiServer, RemoteNotAllowed


def test_parse_addresses() -> None:
    unix = parse_address("unix:///var/run/mittnite.sock")
    assert unix.is_unix and unix.path == "/var/run/mittnite.sock"
    tcp = parse_address("127.0.0.1:8080")
    assert (tcp.host, tcp.port, tcp.is_loopback) == ("127.0.0.1", 8080, True)
    assert parse_address("[::1]:1").is_loopback
    assert parse_address("localhost:1").is_loopback
    assert not parse_address(":8080").is_loopback
    assert not parse_address("0.0.0.0:8080").is_loopback
    with pytest.raises(AddressError):
        parse_address("8080")


def test_remote_address_needs_the_flag() -> None:
    with pytest.raises(RemoteNotAllowed, match="--api-allow-remote"):
        ApiServer(":0", jobs=None)  # type: ignore[arg-type]
    ApiServer(":0", jobs=None, allow_remote=True)  # type: ignore[arg-type]


def test_socket_and_created_directory_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "new" / "api.sock"
    sock = open_listener(parse_address(f"unix://{path}"))
    try:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    finally:
        sock.close()


def test_stale_socket_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "api.sock"
    old = socket.socket(socket.AF_UNIX)
    old.bind(str(path))
    old.close()  # the file stays, nobody listens: what a crashed run leaves
    sock = open_listener(parse_address(f"unix://{path}"))
    sock.close()


def test_live_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "api.sock"
    live = socket.socket(socket.AF_UNIX)
    live.bind(str(path))
    live.listen()
    try:
        with pytest.raises(SocketInUse, match="in use by another running process"):
            open_listener(parse_address(f"unix://{path}"))
    finally:
        live.close()


def test_a_regular_file_is_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "api.sock"
    path.write_text("keep me")
    with pytest.raises(SocketInUse, match="not a socket"):
        open_listener(parse_address(f"unix://{path}"))
    assert path.read_text() == "keep me"
