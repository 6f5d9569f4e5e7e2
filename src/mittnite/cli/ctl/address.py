"""What ``--api-address`` names: a unix socket or an HTTP base URL (pure, no I/O).

As the original: ``unix://PATH`` means HTTP over the unix socket at ``PATH``
(requests carry ``Host: unix``), any other ``scheme://host:port[/prefix]`` is
the HTTP base URL. Ours also accepts what ``mittnite up --api-listen-address``
accepts, so the same value works on both sides: the text after ``unix://`` is
the path even when relative (``unix://run/m.sock``), a bare ``host:port``
means ``http://host:port``, and a bare path (``/run/m.sock``, ``m.sock``:
no scheme and no ``:`` before the first ``/``) means that unix socket (the
original rejected all three).
"""

from __future__ import annotations

from .errors import CtlError

DEFAULT_API_ADDRESS = "unix:///var/run/mittnite.sock"
UNIX_SCHEME = "unix://"


class Endpoint:
    """Where the API is: ``socket_path`` for unix sockets, else ``host``/``port``."""

    __slots__ = ("host", "port", "prefix", "socket_path", "text")

    def __init__(
        self,
        text: str,
        *,
        socket_path: str = "",
        host: str = "",
        port: int = 0,
        prefix: str = "",
    ) -> None:
        self.text = text
        self.socket_path = socket_path
        self.host = host
        self.port = port
        self.prefix = prefix

    @property
    def is_unix(self) -> bool:
        return bool(self.socket_path)

    @property
    def host_header(self) -> str:
        """The ``Host`` header: ``unix`` for sockets (as Go's client sends), else host:port."""
        if self.is_unix:
            return "unix"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def target(self, path: str) -> str:
        """The request target for an API path (``/v1/jobs``), below any URL prefix."""
        return self.prefix + path

    def url(self, path: str, scheme: str = "http") -> str:
        """The URL as the original's messages show it (``http://unix/v1/jobs``)."""
        return f"{scheme}://{self.host_header}{self.target(path)}"

    def __repr__(self) -> str:
        return f"Endpoint({self.text!r})"


def parse_endpoint(text: str) -> Endpoint:
    """Parse ``--api-address``; raises :class:`CtlError` saying what is wrong."""
    if text.startswith(UNIX_SCHEME):
        path = text[len(UNIX_SCHEME) :]
        if not path:
            raise CtlError(f'invalid --api-address "{text}": the unix socket path is empty')
        return Endpoint(text, socket_path=path)
    scheme, sep, rest = text.partition("://")
    if not sep and text and ":" not in text.partition("/")[0]:
        return Endpoint(text, socket_path=text)  # a bare socket path
    if not sep:
        scheme, rest = "http", text
    if scheme.lower() != "http":
        raise CtlError(
            f'invalid --api-address "{text}": scheme "{scheme}" is not supported '
            '(mittnite\'s API speaks plain HTTP; use "unix:///path/to.sock" or "http://host:port")'
        )
    authority, slash, path = rest.partition("/")
    prefix = (slash + path).rstrip("/")
    host, colon, port_text = authority.rpartition(":")
    if not colon or not port_text.isdigit() or int(port_text) > 65535:
        if not colon and sep and authority:
            host, port_text = authority, "80"
        else:
            raise CtlError(
                f'invalid --api-address "{text}": expected "unix:///path/to.sock", '
                '"http://host:port" or "host:port"'
            )
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return Endpoint(text, host=host or "127.0.0.1", port=int(port_text), prefix=prefix)
