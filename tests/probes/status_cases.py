"""The ``/status`` situations compared with the original: probe blocks and their servers.

Shared by the generator (``data/make_status_vectors.py``, which runs the
original's release binary against them) and the test
(``test_status_vectors.py``, which runs our probes against the same servers).
Placeholders in the blocks are filled at run time:

* ``{closed}``: a port nobody listens on;
* ``{redis_pw}``: a throw-away redis-server with ``requirepass secretpw``;
* ``{blackhole}``: accepts connections and never answers;
* ``{http500}``: an HTTP server answering every GET with 500;
* MariaDB on 3306 (root, empty password) and RabbitMQ on 5672 (guest/guest)
  are the machine's services.

Messages are stored with the variable parts replaced: the ports by their
placeholder, the resolver Go names by ``{ns}``.
"""

from __future__ import annotations

import http.server
import socket
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    name: str
    block: str
    needs: tuple[str, ...] = ()
    wait: bool = False
    """A slow failure (longer than ``/status``' 1 s): the generator reads the original's
    ``not ready yet`` log line for it, which carries the same text."""


def _host(port: str, hostname: str = "127.0.0.1") -> str:
    return f'host {{\n hostname = "{hostname}"\n port = "{port}"\n}}'


BAD_HOST = "nosuchhost.invalid"

CASES = [
    Case("redis_closed", f"redis {{\n{_host('{closed}')}\n}}"),
    Case("redis_dns", f"redis {{\n{_host('6379', BAD_HOST)}\n}}"),
    Case("redis_wrongpass", f'redis {{\n{_host("{redis_pw}")}\n password = "wrong"\n}}', ("redis_pw",)),
    Case("redis_noauth", f"redis {{\n{_host('{redis_pw}')}\n}}", ("redis_pw",)),
    Case(
        "redis_ok", f'redis {{\n{_host("{redis_pw}")}\n password = "secretpw"\n}}', ("redis_pw",)
    ),
    Case(
        "mysql_closed",
        f'mysql {{\n{_host("{closed}")}\n credentials {{\n user = "root"\n }}\n}}',
    ),
    Case(
        "mysql_dns",
        f'mysql {{\n{_host("3306", BAD_HOST)}\n credentials {{\n user = "root"\n }}\n}}',
    ),
    Case(
        "mysql_wrongpass",
        f'mysql {{\n{_host("3306")}\n allowNativePassword = "true"\n'
        ' credentials {\n user = "root"\n password = "wrongpw"\n }\n}',
        ("mysql",),
    ),
    Case(
        "mysql_native_refused",
        f'mysql {{\n{_host("3306")}\n credentials {{\n user = "root"\n password = "wrongpw"\n }}\n}}',
        ("mysql",),
    ),
    Case(
        "mysql_ok",
        f'mysql {{\n{_host("3306")}\n allowNativePassword = "true"\n'
        ' credentials {\n user = "root"\n }\n}',
        ("mysql",),
    ),
    Case("amqp_closed", f"amqp {{\n{_host('{closed}')}\n}}"),
    Case("amqp_dns", f"amqp {{\n{_host('5672', BAD_HOST)}\n}}"),
    Case(
        "amqp_wrongpass",
        f'amqp {{\n{_host("5672")}\n credentials {{\n user = "guest"\n password = "wrongpw"\n }}\n}}',
        ("amqp",),
        wait=True,
    ),
    Case("amqp_ok", f"amqp {{\n{_host('5672')}\n}}", ("amqp",)),
    Case("http_closed", f"http {{\n{_host('{closed}')}\n}}"),
    Case("http_dns", f'http {{\n host {{\n hostname = "{BAD_HOST}"\n }}\n}}'),
    Case("http_500", f'http {{\n{_host("{http500}")}\n path = "/a<b>&c"\n}}', ("http500",)),
    Case(
        "http_timeout",
        f'http {{\n{_host("{blackhole}")}\n timeout = "300ms"\n}}',
        ("blackhole",),
    ),
    Case("smtp_closed", f"smtp {{\n{_host('{closed}')}\n}}"),
    Case("smtp_dns", f"smtp {{\n{_host('25', BAD_HOST)}\n}}"),
    Case("fs_missing", 'filesystem = "/nonexistent/mittnite-probe-dir"'),
    Case("fs_not_a_directory", 'filesystem = "/etc/hostname"'),
    Case("fs_ok", 'filesystem = "/"'),
]


def config_text(ports: dict[str, int]) -> str:
    """Every case as a ``probe`` block, placeholders filled."""
    blocks = []
    for case in CASES:
        body = case.block
        for key, port in ports.items():
            body = body.replace("{" + key + "}", str(port))
        wait = " wait = true\n" if case.wait else ""
        blocks.append(f'probe "{case.name}" {{\n{wait}{body}\n}}\n')
    return "".join(blocks)


def normalise(message: str, ports: dict[str, int], nameserver: str) -> str:
    """A message with the run's ports and resolver replaced by placeholders."""
    for key, port in sorted(ports.items(), key=lambda item: -len(str(item[1]))):
        message = message.replace(f":{port}", ":{" + key + "}")
    return message.replace(f" on {nameserver}:", " on {ns}:")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Blackhole:
    """Accepts connections and never answers (a hung service)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = int(self.sock.getsockname()[1])

    def close(self) -> None:
        self.sock.close()


class Http500:
    """Answers every GET with 500 (in a thread)."""

    def __init__(self) -> None:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(500)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
