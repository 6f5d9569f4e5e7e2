"""An activated job, as a user would write one: it accepts on the descriptors it was given.

Usage: python job.py [--hold | --once] [--own HOST:PORT] [--tag TEXT]

Prints one JSON line describing what it received (``LISTEN_*``, its pid and process
group, its open descriptors, each socket's address and blocking mode, its signal mask and
ignored signals), then serves every socket: each client gets one JSON line
``{"fd": n, "name": ..., "peer": ...}``. With ``--hold`` the connection stays open until
the client closes it (a long request); without, it is closed at once. With ``--once``
the job exits (status 0) after its first client. ``--own`` makes it listen on one more
address of its own (not activated), where each client gets ``{"own": true, ...}``: the
upstream of a forwarded ``listen`` block of the same job. ``--tag`` is ignored: it marks
the command line, so a test can find its own processes.
"""

from __future__ import annotations

import json
import os
import selectors
import socket
import sys
import threading


def status_mask(field: str) -> str:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return line.split()[1]
    return ""


def open_descriptors() -> list[int]:
    found = []
    for name in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue  # the listing's own descriptor, closed already
        if not target.startswith("/proc/"):
            found.append(int(name))
    return sorted(found)


def raw_environment() -> list[str]:
    """The entries as the kernel passed them (``os.environ`` drops those without ``=``)."""
    with open("/proc/self/environ", "rb") as handle:
        entries = handle.read().split(b"\0")[:-1]
    wanted = (b"TEST", b"=TEST", b"LISTEN_")
    return [entry.decode() for entry in entries if entry.startswith(wanted)]


def peer_text(peer: object) -> object:
    if isinstance(peer, tuple):
        return [peer[0], peer[1]]
    if isinstance(peer, bytes):
        return peer.decode(errors="replace")
    return peer


def main() -> None:
    hold = "--hold" in sys.argv
    once = "--once" in sys.argv
    count = int(os.environ.get("LISTEN_FDS", "0"))
    names = os.environ.get("LISTEN_FDNAMES", "").split(":")
    sockets = [socket.socket(fileno=3 + index) for index in range(count)]
    own = None
    if "--own" in sys.argv:
        host, _, port = sys.argv[sys.argv.index("--own") + 1].rpartition(":")
        own = socket.create_server((host, int(port)))
    report = {
        "pid": os.getpid(),
        "pgid": os.getpgid(0),
        "LISTEN_PID": os.environ.get("LISTEN_PID"),
        "LISTEN_FDS": os.environ.get("LISTEN_FDS"),
        "LISTEN_FDNAMES": os.environ.get("LISTEN_FDNAMES"),
        "env": {k: v for k, v in os.environ.items() if k.startswith("TEST_")},
        "raw_env": raw_environment(),
        "fds": open_descriptors(),
        "sockets": [
            {
                "family": int(sock.family),
                "address": peer_text(sock.getsockname()),
                "blocking": os.get_blocking(sock.fileno()),
                "listening": sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) == 1,
            }
            for sock in sockets
        ],
        "SigBlk": status_mask("SigBlk"),
        "SigIgn": status_mask("SigIgn"),
    }
    print(json.dumps(report), flush=True)
    selector = selectors.DefaultSelector()
    for index, sock in enumerate(sockets):
        selector.register(sock, selectors.EVENT_READ, index)
    if own is not None:
        selector.register(own, selectors.EVENT_READ, -1)
    while True:
        for key, _ in selector.select():
            index = key.data
            if index < 0:
                assert own is not None
                client, peer = own.accept()
                answer: dict[str, object] = {"own": True, "peer": peer_text(peer)}
            else:
                client, peer = sockets[index].accept()  # blocking, as systemd passes them
                answer = {"fd": 3 + index, "name": names[index], "peer": peer_text(peer)}
            client.sendall(json.dumps(answer).encode() + b"\n")
            if hold:
                threading.Thread(target=drain_then_close, args=(client,), daemon=True).start()
            else:
                client.close()
            if once:
                return


def drain_then_close(client: socket.socket) -> None:
    with client:
        while client.recv(4096):
            pass


if __name__ == "__main__":
    main()
