"""sprig's path, URL and OS functions: Go's ``path``, ``path/filepath``, ``net/url`` and
``os.ExpandEnv`` semantics.

Python's ``posixpath`` and ``urllib.parse`` disagree with Go on many inputs
(``base ""`` is ``.`` in Go, ``clean`` folds ``/..`` to ``/``, Go's URL parser
rejects control characters and percent-escapes exactly per RFC 3986 with its
own exceptions), and the rendered configuration must be byte-identical, so
the algorithms are written out here following Go's documented behaviour.
On Linux ``filepath`` behaves exactly like ``path``, so the ``os*`` variants
share the implementations.
"""

from __future__ import annotations

from typing import Any

from mittnite.gotemplate.errors import GoPanic
from mittnite.gotemplate.funcs import FuncMap, gofunc

__all__ = ["FUNCS", "URL", "URLError", "base", "clean", "dirname", "expand_env", "ext", "is_abs"]


# -- path ---------------------------------------------------------------------------------


def clean(path: str) -> str:
    """Go's ``path.Clean``: the shortest equivalent path, purely lexically."""
    if path == "":
        return "."
    rooted = path[0] == "/"
    parts: list[str] = []
    for element in path.split("/"):
        if element in ("", "."):
            continue
        if element == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(element)
    result = "/".join(parts)
    if rooted:
        return "/" + result
    return result or "."


def base(path: str) -> str:
    """Go's ``path.Base``: the last element; ``""`` is ``.``, all slashes is ``/``."""
    if path == "":
        return "."
    path = path.rstrip("/")
    if path == "":
        return "/"
    return path[path.rfind("/") + 1 :]


def dirname(path: str) -> str:
    """Go's ``path.Dir``: everything but the last element, cleaned."""
    return clean(path[: path.rfind("/") + 1])


def ext(path: str) -> str:
    """Go's ``path.Ext``: the suffix from the last dot of the last element."""
    for index in range(len(path) - 1, -1, -1):
        if path[index] == "/":
            break
        if path[index] == ".":
            return path[index:]
    return ""


def is_abs(path: str) -> bool:
    return path.startswith("/")


@gofunc("string", result="string")
def base_(path: str) -> str:
    return base(path)


@gofunc("string", result="string")
def dir_(path: str) -> str:
    return dirname(path)


@gofunc("string", result="string")
def clean_(path: str) -> str:
    return clean(path)


@gofunc("string", result="string")
def ext_(path: str) -> str:
    return ext(path)


@gofunc("string", result="bool")
def is_abs_(path: str) -> bool:
    return is_abs(path)


# -- os.ExpandEnv ----------------------------------------------------------------------------

_SPECIAL = frozenset("*#$@!?-0123456789")


def _is_name_char(char: str) -> bool:
    return char == "_" or ("0" <= char <= "9") or ("a" <= char <= "z") or ("A" <= char <= "Z")


def _shell_name(text: str) -> tuple[str, int]:
    """The variable name at the start of ``text`` (after a ``$``) and its width."""
    if text[0] == "{":
        if len(text) > 2 and text[1] in _SPECIAL and text[2] == "}":
            return text[1], 3
        end = text.find("}", 1)
        if end == 1:
            return "", 2  # "${}" is bad syntax: it is dropped
        if end < 0:
            return "", 1  # unterminated "${": the "${" is dropped
        return text[1:end], end + 1
    if text[0] in _SPECIAL:
        return text[0], 1
    width = 0
    while width < len(text) and _is_name_char(text[width]):
        width += 1
    return text[:width], width


def expand_env(text: str) -> str:
    """Go's ``os.ExpandEnv``: ``$VAR`` and ``${VAR}`` from the process environment.

    Unset variables expand to nothing; a ``$`` not followed by a name stays;
    malformed ``${`` forms are dropped, as in Go.
    """
    import os

    out: list[str] = []
    start = 0
    index = 0
    while index < len(text):
        if text[index] == "$" and index + 1 < len(text):
            out.append(text[start:index])
            name, width = _shell_name(text[index + 1 :])
            if name:
                out.append(os.environ.get(name, ""))
            elif width == 0:
                out.append("$")
            index += width
            start = index + 1
        index += 1
    if not out:
        return text
    return "".join(out) + text[start:]


@gofunc("string", result="string")
def expandenv(text: str) -> str:
    return expand_env(text)


# -- net/url -----------------------------------------------------------------------------------

_PATH, _PATH_SEGMENT, _HOST, _ZONE, _USER_PASSWORD, _QUERY_COMPONENT, _FRAGMENT = range(1, 8)
_HOST_OK = frozenset("!$&'()*+,;=:[]<>\"")
_RESERVED = frozenset("$&+,/:;=?@")
_UPPER_HEX = "0123456789ABCDEF"


class URLError(ValueError):
    """An error of Go's ``net/url`` (``str()`` is Go's message)."""


def _quote(text: str) -> str:
    from mittnite.gotemplate.gofmt import quote

    return quote(text)


def _should_escape(byte: int, mode: int) -> bool:
    char = chr(byte)
    if char.isascii() and char.isalnum():
        return False
    if mode in (_HOST, _ZONE) and char in _HOST_OK:
        return False
    if char in "-_.~":
        return False
    if char in _RESERVED:
        if mode == _PATH:
            return char == "?"
        if mode == _PATH_SEGMENT:
            return char in "/;,?"
        if mode == _USER_PASSWORD:
            return char in "@/?:"
        if mode == _QUERY_COMPONENT:
            return True
        if mode == _FRAGMENT:
            return False
    return not (mode == _FRAGMENT and char in "!()*")


def _is_hex(byte: int) -> bool:
    return chr(byte) in "0123456789abcdefABCDEF"


def _unescape(text: str, mode: int) -> str:
    """Go's ``unescape``: decode ``%XX`` (and ``+`` in query components)."""
    data = text.encode("utf-8", "surrogateescape")
    out = bytearray()
    index = 0
    while index < len(data):
        byte = data[index]
        if byte == 0x25:  # %
            if (
                index + 2 >= len(data)
                or not _is_hex(data[index + 1])
                or not _is_hex(data[index + 2])
            ):
                bad = data[index : index + 3].decode("utf-8", "surrogateescape")
                raise URLError(f"invalid URL escape {_quote(bad)}")
            piece = data[index : index + 3]
            value = int(piece[1:], 16)
            if mode == _HOST and int(chr(piece[1]), 16) < 8 and piece != b"%25":
                raise URLError(f"invalid URL escape {_quote(piece.decode())}")
            if mode == _ZONE and piece != b"%25" and value != 0x20 and _should_escape(value, _HOST):
                raise URLError(f"invalid URL escape {_quote(piece.decode())}")
            out.append(value)
            index += 3
            continue
        if byte == 0x2B and mode == _QUERY_COMPONENT:
            out.append(0x20)
        else:
            if mode in (_HOST, _ZONE) and byte < 0x80 and _should_escape(byte, mode):
                raise URLError(f"invalid character {_quote(chr(byte))} in host name")
            out.append(byte)
        index += 1
    return out.decode("utf-8", "surrogateescape")


def _escape(text: str, mode: int) -> str:
    out: list[str] = []
    for byte in text.encode("utf-8", "surrogateescape"):
        if byte == 0x20 and mode == _QUERY_COMPONENT:
            out.append("+")
        elif _should_escape(byte, mode):
            out.append("%" + _UPPER_HEX[byte >> 4] + _UPPER_HEX[byte & 15])
        else:
            out.append(chr(byte))
    return "".join(out).encode("latin-1").decode("utf-8", "surrogateescape")


def _valid_encoded(text: str, mode: int) -> bool:
    for byte in text.encode("utf-8", "surrogateescape"):
        if chr(byte) in "!$&'()*+,;=:@[]%":
            continue
        if _should_escape(byte, mode):
            return False
    return True


def _valid_port(port: str) -> bool:
    if port == "":
        return True
    return port[0] == ":" and all("0" <= char <= "9" for char in port[1:])


def _valid_userinfo(text: str) -> bool:
    allowed = "-._:~!$&'()*+,;=%@"
    return all((char.isascii() and char.isalnum()) or char in allowed for char in text)


class UserInfo:
    """Go's ``url.Userinfo``: a user name and an optional password."""

    __slots__ = ("password", "password_set", "username")

    def __init__(self, username: str, password: str = "", password_set: bool = False) -> None:
        self.username = username
        self.password = password
        self.password_set = password_set

    def __str__(self) -> str:
        text = _escape(self.username, _USER_PASSWORD)
        if self.password_set:
            text += ":" + _escape(self.password, _USER_PASSWORD)
        return text


class URL:
    """The fields of Go's ``url.URL`` with its parser and ``String()``."""

    def __init__(self) -> None:
        self.scheme = ""
        self.opaque = ""
        self.user: UserInfo | None = None
        self.host = ""
        self.path = ""
        self.raw_path = ""
        self.omit_host = False
        self.force_query = False
        self.raw_query = ""
        self.fragment = ""
        self.raw_fragment = ""

    @classmethod
    def parse(cls, raw: str) -> URL:
        """Go's ``url.Parse`` (errors read ``parse "RAW": REASON``)."""
        head, hash_mark, fragment = raw.partition("#")
        try:
            url = cls._parse(head)
        except URLError as error:
            raise URLError(f"parse {_quote(head)}: {error}") from None
        if not hash_mark or fragment == "":
            return url
        try:
            url._set_fragment(fragment)
        except URLError as error:
            raise URLError(f"parse {_quote(raw)}: {error}") from None
        return url

    @classmethod
    def _parse(cls, raw: str) -> URL:
        if any(ord(char) < 0x20 or ord(char) == 0x7F for char in raw):
            raise URLError("net/url: invalid control character in URL")
        url = cls()
        if raw == "*":
            url.path = "*"
            return url
        url.scheme, rest = _split_scheme(raw)
        url.scheme = url.scheme.lower()
        if rest.endswith("?") and rest.count("?") == 1:
            url.force_query = True
            rest = rest[:-1]
        else:
            rest, _, url.raw_query = rest.partition("?")
        if not rest.startswith("/"):
            if url.scheme:
                url.opaque = rest
                return url
            if ":" in rest.partition("/")[0]:
                raise URLError("first path segment in URL cannot contain colon")
        if (url.scheme or not rest.startswith("///")) and rest.startswith("//"):
            authority, slash, path = rest[2:].partition("/")
            rest = slash + path
            url.user, url.host = _parse_authority(authority)
        elif url.scheme and rest.startswith("/"):
            url.omit_host = True
        url._set_path(rest)
        return url

    def _set_path(self, escaped: str) -> None:
        self.path = _unescape(escaped, _PATH)
        self.raw_path = "" if _escape(self.path, _PATH) == escaped else escaped

    def _set_fragment(self, escaped: str) -> None:
        self.fragment = _unescape(escaped, _FRAGMENT)
        self.raw_fragment = "" if _escape(self.fragment, _FRAGMENT) == escaped else escaped

    def escaped_path(self) -> str:
        if self.raw_path and _valid_encoded(self.raw_path, _PATH):
            try:
                if _unescape(self.raw_path, _PATH) == self.path:
                    return self.raw_path
            except URLError:
                pass
        if self.path == "*":
            return "*"
        return _escape(self.path, _PATH)

    def escaped_fragment(self) -> str:
        if self.raw_fragment and _valid_encoded(self.raw_fragment, _FRAGMENT):
            try:
                if _unescape(self.raw_fragment, _FRAGMENT) == self.fragment:
                    return self.raw_fragment
            except URLError:
                pass
        return _escape(self.fragment, _FRAGMENT)

    def hostname(self) -> str:
        host = self.host
        colon = host.rfind(":")
        if colon != -1 and _valid_port(host[colon:]):
            host = host[:colon]
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
        return host

    def __str__(self) -> str:
        out: list[str] = []
        if self.scheme:
            out.append(self.scheme + ":")
        if self.opaque:
            out.append(self.opaque)
        else:
            has_authority = self.scheme or self.host or self.user is not None
            omitted = self.omit_host and self.host == "" and self.user is None
            if has_authority and not omitted:
                if self.host or self.path or self.user is not None:
                    out.append("//")
                if self.user is not None:
                    out.append(str(self.user) + "@")
                if self.host:
                    out.append(_escape(self.host, _HOST))
            path = self.escaped_path()
            if path and path[0] != "/" and self.host:
                out.append("/")
            if not "".join(out) and ":" in path.partition("/")[0]:
                out.append("./")
            out.append(path)
        if self.force_query or self.raw_query:
            out.append("?" + self.raw_query)
        if self.fragment:
            out.append("#" + self.escaped_fragment())
        return "".join(out)


def _split_scheme(raw: str) -> tuple[str, str]:
    for index, char in enumerate(raw):
        if ("a" <= char <= "z") or ("A" <= char <= "Z"):
            continue
        if ("0" <= char <= "9") or char in "+-.":
            if index == 0:
                return "", raw
            continue
        if char == ":":
            if index == 0:
                raise URLError("missing protocol scheme")
            return raw[:index], raw[index + 1 :]
        return "", raw
    return "", raw


def _parse_authority(authority: str) -> tuple[UserInfo | None, str]:
    at = authority.rfind("@")
    host = _parse_host(authority[at + 1 :] if at >= 0 else authority)
    if at < 0:
        return None, host
    userinfo = authority[:at]
    if not _valid_userinfo(userinfo):
        raise URLError("net/url: invalid userinfo")
    if ":" not in userinfo:
        return UserInfo(_unescape(userinfo, _USER_PASSWORD)), host
    username, _, password = userinfo.partition(":")
    return (
        UserInfo(_unescape(username, _USER_PASSWORD), _unescape(password, _USER_PASSWORD), True),
        host,
    )


def _parse_host(host: str) -> str:
    if host.startswith("["):
        close = host.rfind("]")
        if close < 0:
            raise URLError("missing ']' in host")
        port = host[close + 1 :]
        if not _valid_port(port):
            raise URLError(f"invalid port {_quote(port)} after host")
        zone = host[:close].find("%25")
        if zone >= 0:
            return (
                _unescape(host[:zone], _HOST)
                + _unescape(host[zone:close], _ZONE)
                + _unescape(host[close:], _HOST)
            )
    else:
        colon = host.rfind(":")
        if colon != -1 and not _valid_port(host[colon:]):
            raise URLError(f"invalid port {_quote(host[colon:])} after host")
    return _unescape(host, _HOST)


@gofunc("string", result="map[string]interface {}")
def url_parse(raw: str) -> dict[str, Any]:
    """The parts of a URL as a dict (``scheme``, ``host``, ``hostname``, ``path`` ...)."""
    try:
        url = URL.parse(raw)
    except URLError as error:
        raise GoPanic(f"unable to parse url: {error}") from None
    return {
        "scheme": url.scheme,
        "host": url.host,
        "hostname": url.hostname(),
        "path": url.path,
        "query": url.raw_query,
        "opaque": url.opaque,
        "fragment": url.fragment,
        "userinfo": "" if url.user is None else str(url.user),
    }


def _url_key(parts: dict[str, Any], key: str) -> str:
    if key not in parts:
        return ""
    value = parts[key]
    if isinstance(value, str):
        return value
    if value is None:
        raise GoPanic("runtime error: invalid memory address or nil pointer dereference")
    from mittnite.gotemplate.values import go_kind

    raise GoPanic(f"unable to parse {key} key, must be of type string, but {go_kind(value)} found")


@gofunc("map[string]interface {}", result="string")
def url_join(parts: dict[str, Any] | None) -> str:
    """The URL built from a dict shaped like ``urlParse``'s result."""
    parts = parts or {}
    url = URL()
    url.scheme = _url_key(parts, "scheme")
    url.host = _url_key(parts, "host")
    url.path = _url_key(parts, "path")
    url.raw_query = _url_key(parts, "query")
    url.opaque = _url_key(parts, "opaque")
    url.fragment = _url_key(parts, "fragment")
    userinfo = _url_key(parts, "userinfo")
    if userinfo:
        try:
            url.user = URL.parse(f"proto://{userinfo}@host").user
        except URLError as error:
            raise GoPanic(f"unable to parse userinfo in dict: {error}") from None
    return str(url)


FUNCS: FuncMap = {
    "base": base_,
    "dir": dir_,
    "clean": clean_,
    "ext": ext_,
    "isAbs": is_abs_,
    "osBase": base_,
    "osDir": dir_,
    "osClean": clean_,
    "osExt": ext_,
    "osIsAbs": is_abs_,
    "urlParse": url_parse,
    "urlJoin": url_join,
    "expandenv": expandenv,
}
