"""Random and realistic mittnite configurations, for differential tests against hcl v1.

Every case is produced from a seed, so a class of cases can be regenerated
and a failing one reproduced from its seed alone. The generator first builds
an abstract tree of directives (with values of the right type most of the
time, and of every wrong type some of the time), then renders it either as
native HCL or as HCL-JSON with varied formatting, and finally may damage the
text (delete, duplicate or insert characters, truncate) to probe how the
parsers treat near-valid garbage.

Classes (``CLASSES``) name what a case exercises; the recorded vectors keep
the class so the replay test can report coverage per class.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field

# -- abstract tree ---------------------------------------------------------------------------


@dataclass
class Lit:
    """A literal: ``kind`` is string/number/float/bool/heredoc/null/raw."""

    kind: str
    native: str  # the text in native HCL
    json_text: str  # the text in HCL-JSON


@dataclass
class Lst:
    items: list[Value]


@dataclass
class Obj:
    items: list[Item]


Value = Lit | Lst | Obj


@dataclass
class Item:
    keys: list[str]
    value: Value
    block: bool = False  # written ``key { }`` rather than ``key = { }``
    quoted: list[bool] = field(default_factory=list)


# -- field schema (hcl names and kinds), mirrors mittnite's config types ------------------------

STRING, INT, BOOL, STRINGS, BLOCK, PARAMS = "s", "i", "b", "l", "block", "params"

BASE_JOB = {
    "command": STRING,
    "args": STRINGS,
    "env": STRINGS,
    "canFail": BOOL,
    "controllable": BOOL,
    "workingDirectory": STRING,
    "stdout": STRING,
    "stderr": STRING,
    "enableTimestamps": BOOL,
    "timestampFormat": STRING,
    "customTimestampFormat": STRING,
    "stopSignal": STRING,
    "stopTimeout": STRING,
}
WATCH_COMMAND = {"command": STRING, "args": STRINGS, "env": STRINGS}
HOST = {"hostname": STRING, "port": STRING}
CREDENTIALS = {"user": STRING, "password": STRING}
PROBE_KINDS: dict[str, dict[str, object]] = {
    "mysql": {
        "credentials": CREDENTIALS,
        "host": HOST,
        "allowNativePassword": STRING,
        "database": STRING,
    },
    "redis": {"host": HOST, "password": STRING},
    "mongodb": {
        "credentials": CREDENTIALS,
        "host": HOST,
        "database": STRING,
        "replicaSetName": STRING,
        "authenticationDatabase": STRING,
        "authenticationMechanism": STRING,
        "gssapiServiceName": STRING,
        "url": STRING,
    },
    "amqp": {"credentials": CREDENTIALS, "host": HOST, "virtualHost": STRING},
    "http": {"scheme": STRING, "host": HOST, "path": STRING, "timeout": STRING},
    "smtp": {"host": HOST},
}

REALISTIC_STRINGS = [
    "/usr/bin/app",
    "/bin/sh",
    "-c",
    "echo hello && sleep 1",
    "--port=8080",
    "A=1",
    "PATH=/usr/local/bin:/usr/bin",
    "HOME=/root",
    "/var/log/app.log",
    "/etc/app/*.conf",
    "5s",
    "1m30s",
    "300ms",
    "15m",
    "SIGHUP",
    "SIGTERM",
    "RFC3339",
    "2006-01-02 15:04:05",
    "localhost",
    "127.0.0.1",
    "db.example.com",
    "3306",
    "6379",
    "ENV:DB_PASSWORD",
    "ENV:REDIS_HOST",
    "mongodb://user:secret@mongo:27017/admin",
    "https",
    "/healthz",
    ":8080",
    "127.0.0.1:8081",
    "/run/app.sock",
    "tcp",
    "unix",
    "true",
    "false",
    "yes",
    "",
    " ",
    "x",
    "templates/app.conf.tpl",
    "/etc/app.conf",
]

UNICODE_BITS = ["é", "ü", "日本", "😀", "\u0301", "\u00a0", "\u2028", "ẞ", "Ω", "\ufeff"]
NATIVE_ESCAPES_OK = [
    "\\n",
    "\\t",
    "\\r",
    "\\\\",
    '\\"',
    "\\a",
    "\\b",
    "\\f",
    "\\v",
    "\\x41",
    "\\xff",
    "\\xC3\\xA9",
    "\\101",
    "\\377",
    "\\000",
    "\\u00e9",
    "\\u0041",
    "\\U0001F600",
    "\\u2028",
]
NATIVE_ESCAPES_BAD = [
    "\\q",
    "\\'",
    "\\$",
    "\\400",
    "\\8",
    "\\x4",
    "\\xg1",
    "\\u12",
    "\\uD800",
    "\\U00110000",
    "\\U0000004",
    "\\",
    "\\/",
    "\\e",
]
INTERPOLATIONS = [
    "${var.x}",
    '${lookup(map, "k")}',
    '${"}"}',
    "${a{b}c}",
    '${ "quoted \\" inside" }',
    "${",
    "$${escaped}",
    "${\n}",
]

INT_TEXTS = [
    "0",
    "1",
    "5",
    "-1",
    "-5",
    "007",
    "010",
    "08",
    "0x10",
    "0X1f",
    "0xFFFFFFFF",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999",
    "2147483648",
]
SAFE_INTS = ["0", "1", "3", "5", "10", "-1", "-5", "007", "010", "0x10", "0X1f", "2147483648"]
SAFE_QUOTED_INTS = [
    "5",
    "-5",
    "+5",
    "0x10",
    "010",
    "0o17",
    "0b101",
    "1_000",
    "0x_1F",
    "0_7",
    "-0",
    "9223372036854775807",
    "-9223372036854775808",
]
QUOTED_INTS = [
    "5",
    "-5",
    "+5",
    "0x10",
    "0X10",
    "010",
    "0o17",
    "0O17",
    "0b101",
    "0B11",
    "1_000",
    "1__000",
    "_1",
    "1_",
    "0x_1F",
    "0_7",
    "0b_1",
    " 5",
    "5 ",
    "",
    "1e3",
    "5.0",
    "many",
    "08",
    "0x",
    "-0",
    "+0x1",
    "--1",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "0x8000000000000000",
    "٣",
    "1\u00a0",
]
FLOAT_TEXTS = ["1.5", "-2.5", "1e3", "1E+3", "2e-2", "0.0", "1.", ".5", "1.5e", "0x1p3", "1e400", ".5e3", "09.5", "1e", "1.e5"]


class Generator:
    """Produces configurations from one seed; ``case(kind)`` returns ``(class, files)``."""

    def __init__(self, seed: int, noise: float | None = None) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        # How often a value is of a wrong type or a string is malformed: a case
        # is either clean (most are accepted by hcl v1) or noisy.
        self.noise = noise if noise is not None else self.rng.choice([0.0, 0.0, 0.1, 0.3, 1.0])

    # -- small helpers ------------------------------------------------------------------------
    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, options: list[str]) -> str:
        return self.rng.choice(options)

    # -- string values ------------------------------------------------------------------------
    def string_body(self, flavour: str) -> str:
        """Raw text of a string body (between the quotes) for ``flavour``."""
        parts: list[str] = []
        noise = self.noise
        for _ in range(self.rng.randint(1, 3)):
            roll = self.rng.random()
            if roll < 0.55:
                parts.append(self.pick(REALISTIC_STRINGS))
            elif roll < 0.68:
                parts.append(self.pick(UNICODE_BITS))
            elif roll < 0.85:
                bad = self.chance(0.2 * noise)
                if flavour == "json":
                    parts.append(self.pick(JSON_ESCAPES_ODD if bad else JSON_ESCAPES_OK))
                else:
                    parts.append(self.pick(NATIVE_ESCAPES_BAD if bad else NATIVE_ESCAPES_OK))
            elif roll < 0.93:
                odd = self.chance(noise)
                parts.append(self.pick(INTERPOLATIONS if odd else INTERPOLATIONS[:5]))
            elif roll < 0.97:
                parts.append(self.pick(["\t", "\x01", "\x7f", "'", "`", "{", "}", "#", "//"]))
            elif self.chance(noise):
                parts.append(self.pick(["\n", "\r", "\r\n"]))
        body = "".join(parts)
        if flavour == "json" or not self.chance(0.03 * noise):
            # Unescaped quotes end a native string early; keep them rare.
            body = _escape_bare_quotes(body)
        return body

    def string_lit(self) -> Lit:
        native = '"' + self.string_body("native") + '"'
        json_text = '"' + self.string_body("json") + '"'
        return Lit("string", native, json_text)

    def heredoc_lit(self) -> Lit:
        marker = self.pick(["EOF", "EOT", "END", "X", "eof", "E_1", "ÆØ", "Ü1"])
        indent = self.chance(0.4)
        nl = "\r\n" if self.chance(0.3) else "\n"
        pad = self.pick(["", "  ", "\t", "    "]) if indent else ""
        lines = [
            pad + self.pick(["echo hello", "line", "", "  nested", "EOFX", "${x}", '"q"', "\\n"])
            for _ in range(self.rng.randint(0, 4))
        ]
        if indent and self.chance(0.2):
            lines.append(self.pick(["unindented", " one", "\tx"]))
        closing_pad = pad if indent and self.chance(0.8) else self.pick(["", " ", "\t", "  "])
        tails = ["", "", "", "\r", "\r\r"] + ([" ", "\t"] if self.chance(self.noise) else [])
        tail = self.pick(tails)
        anchor_tails = ["", "", "", "\r"] + ([" ", "x y"] if self.chance(self.noise) else [])
        text = "<<" + ("-" if indent else "") + marker + self.pick(anchor_tails) + nl
        text += "".join(line + nl for line in lines)
        text += closing_pad + marker + tail + nl
        return Lit("heredoc", text, json.dumps("\n".join(lines)))

    def number_lit(self) -> Lit:
        if self.chance(self.noise):
            text = self.pick(INT_TEXTS)
            if self.chance(0.05):
                text = "1" + "0" * self.rng.choice([19, 40, 400, 4400, 5000])
        else:
            text = self.pick(SAFE_INTS)
        json_text = text
        if text.startswith(("0x", "0X")) or (len(text) > 1 and text.lstrip("-").startswith("0")):
            json_text = text if self.chance(self.noise) else str(self.rng.randint(-5, 100))
        return Lit("number", text, json_text)

    def float_lit(self) -> Lit:
        text = self.pick(FLOAT_TEXTS if self.chance(self.noise) else FLOAT_TEXTS[:7])
        return Lit("float", text, text)

    def bool_lit(self) -> Lit:
        text = self.pick(["true", "false"])
        return Lit("bool", text, text)

    def quoted_int_lit(self) -> Lit:
        text = self.pick(QUOTED_INTS if self.chance(self.noise) else SAFE_QUOTED_INTS)
        if self.chance(0.02 * self.noise):
            text = "9" * self.rng.choice([19, 300, 4300, 5000])
        return Lit("string", json.dumps(text), json.dumps(text))

    def scalar(self, kind: str) -> Value:
        """A value for a field of ``kind``: usually right, sometimes any other type."""
        if self.chance(0.12 * self.noise):
            return self.wrong_value()
        if kind == STRING:
            roll = self.rng.random()
            if roll < 0.78:
                return self.string_lit()
            if roll < 0.9:
                return self.number_lit()
            return self.heredoc_lit()
        if kind == INT:
            return self.number_lit() if self.chance(0.5) else self.quoted_int_lit()
        if kind == BOOL:
            return self.bool_lit()
        if kind == STRINGS:
            return self.string_list()
        raise AssertionError(kind)

    def wrong_value(self) -> Value:
        roll = self.rng.random()
        if roll < 0.18:
            return self.string_lit()
        if roll < 0.3:
            return self.quoted_int_lit()
        if roll < 0.45:
            return self.number_lit()
        if roll < 0.55:
            return self.float_lit()
        if roll < 0.68:
            return self.bool_lit()
        if roll < 0.8:
            return self.string_list()
        if roll < 0.9:
            return Obj([Item(["x"], self.string_lit())])
        if roll < 0.95:
            return Lit("null", '""', "null")
        return self.heredoc_lit()

    def string_list(self) -> Lst:
        items: list[Value] = []
        for _ in range(self.rng.randint(0, 4)):
            roll = self.rng.random()
            if roll < 0.7 or not self.chance(max(self.noise, 0.05)):
                items.append(self.string_lit())
            elif roll < 0.78:
                items.append(self.number_lit())
            elif roll < 0.82:
                items.append(self.float_lit())
            elif roll < 0.87:
                items.append(self.bool_lit())
            elif roll < 0.91:
                items.append(Lst([self.string_lit() for _ in range(self.rng.randint(0, 2))]))
            elif roll < 0.94:
                items.append(Lit("null", '""', "null"))
            elif roll < 0.97:
                items.append(self.heredoc_lit())
            else:
                items.append(Obj([Item(["k"], self.string_lit())]))
        return Lst(items)

    # -- params -------------------------------------------------------------------------------
    def param_value(self, depth: int) -> Value:
        roll = self.rng.random()
        if depth > 2:
            roll *= 0.6
        if roll < 0.3:
            return self.string_lit()
        if roll < 0.42:
            return self.number_lit()
        if roll < 0.5:
            return self.float_lit()
        if roll < 0.58:
            return self.bool_lit()
        if roll < 0.62:
            return self.heredoc_lit()
        if roll < 0.78:
            return Lst([self.param_value(depth + 1) for _ in range(self.rng.randint(0, 3))])
        return Obj(self.param_items(depth + 1))

    def param_items(self, depth: int) -> list[Item]:
        items = []
        names = ["name", "port", "Port", "host", "list", "nested", "a", "A", "b", "x-y", "a.b"]
        for _ in range(self.rng.randint(0, 4)):
            key = self.pick(names)
            value = self.param_value(depth)
            block = isinstance(value, Obj) and self.chance(0.4)
            keys = [key]
            if isinstance(value, Obj) and self.chance(0.15):
                keys.append(self.pick(["web", "db", "x"]))
                block = True
            items.append(Item(keys, value, block=block))
        return items

    # -- directives ----------------------------------------------------------------------------
    def fields(self, schema: dict[str, object], density: float) -> list[Item]:
        items: list[Item] = []
        for name, kind in schema.items():
            if not self.chance(density):
                continue
            key = self.case_variant(name)
            if isinstance(kind, dict):
                body = self.fields(kind, 0.6)  # type: ignore[arg-type]
                value: Value = Obj(body)
                if self.chance(0.05 * self.noise):
                    value = self.wrong_value()
                items.append(Item([key], value, block=self.chance(0.6)))
            else:
                items.append(Item([key], self.scalar(str(kind))))
                if kind == STRINGS and self.chance(0.08):
                    items.append(Item([key], self.string_list()))
        if self.chance(0.08):
            items.append(
                Item([self.pick(["maxAttempt", "unknown", "restart", "user", "url", "foo"])],
                     self.string_lit())
            )
        if self.chance(0.05) and items:
            items.append(self.rng.choice(items))  # a repeated key
        self.rng.shuffle(items)
        return items

    def case_variant(self, name: str) -> str:
        if self.chance(0.06):
            return self.pick([name.upper(), name.lower(), name[:1].upper() + name[1:]])
        return name

    def label(self, options: list[str]) -> str:
        if self.chance(0.1 * max(self.noise, 0.2)):
            return self.pick(["with space", "a/b", "../etc", "ü", "x.y", "a-b", "1", "", "\\n"])
        return self.pick(options)

    def job(self) -> Item:
        body = self.fields(BASE_JOB, 0.35)
        if self.chance(0.5):
            body.append(Item([self.case_variant("maxAttempts")], self.scalar(INT)))
        if self.chance(0.1):
            body.append(Item(["max_attempts"], self.scalar(INT)))
        if self.chance(0.25):
            body.append(Item([self.case_variant("oneTime")], self.scalar(BOOL)))
        for _ in range(self.rng.choice([0, 0, 0, 1, 2])):
            watch = self.fields({"restart": BOOL}, 0.5)
            watch.append(Item(["signal"], self.scalar(INT)))
            for cmd in ("preCommand", "postCommand"):
                if self.chance(0.3):
                    watch.append(
                        Item([cmd], Obj(self.fields(WATCH_COMMAND, 0.6)), block=self.chance(0.7))
                    )
            glob = self.label(["/etc/app/*.conf", "/x", "/a[", "*.hcl"])
            items = self.labelled(["watch"], glob, watch)
            body.extend(items)
        if self.chance(0.2):
            lazy = self.fields({"spinUpTimeout": STRING, "coolDownTimeout": STRING}, 0.6)
            body.append(Item(["lazy"], Obj(lazy), block=self.chance(0.7)))
        for _ in range(self.rng.choice([0, 0, 0, 1, 2])):
            listen = self.fields(
                {
                    "forward": STRING,
                    "listenProtocol": STRING,
                    "forwardProtocol": STRING,
                    "protocol": STRING,
                },
                0.5,
            )
            body.extend(self.labelled(["listen"], self.label([":8080", "127.0.0.1:80"]), listen))
        self.rng.shuffle(body)
        name = self.label(["web", "db", "worker", "app", "web"])
        return self.labelled(["job"], name, body)[0]

    def boot(self) -> Item:
        body = self.fields({**BASE_JOB, "timeout": STRING}, 0.35)
        return self.labelled(["boot"], self.label(["setup", "migrate"]), body)[0]

    def file(self) -> Item:
        body = self.fields({"from": STRING}, 0.8)
        if self.chance(0.3):
            body.append(Item(["overwrite"], self.scalar(BOOL)))
        if self.chance(0.5):
            params: Value = Obj(self.param_items(0))
            if self.chance(0.05):
                params = self.wrong_value()
            body.append(Item(["params"], params, block=self.chance(0.4)))
        return self.labelled(["file"], self.label(["/etc/app.conf", "/tmp/x"]), body)[0]

    def probe(self) -> Item:
        body = self.fields({"wait": BOOL}, 0.5)
        roll = self.rng.random()
        if roll < 0.2:
            body.append(Item(["filesystem"], self.scalar(STRING)))
        elif roll < 0.95:
            kind = self.pick(list(PROBE_KINDS))
            value: Value = Obj(self.fields(PROBE_KINDS[kind], 0.5))
            if self.chance(0.04):
                value = self.wrong_value()
            body.append(Item([self.case_variant(kind)], value, block=self.chance(0.7)))
        return self.labelled(["probe"], self.label(["db", "redis", "web"]), body)[0]

    def labelled(self, keys: list[str], label: str, body: list[Item]) -> list[Item]:
        roll = self.rng.random() / max(self.noise, 0.05) ** 0.5
        key = self.case_variant(keys[0])
        if roll < 0.02:
            return [Item([key], Obj(body), block=True)]  # label missing
        if roll < 0.04:
            return [Item([key, label, self.pick(["b", "c"])], Obj(body), block=True)]
        if roll < 0.08:
            # ``job = { name = { ... } }``
            return [Item([key], Obj([Item([label], Obj(body), block=self.chance(0.5))]))]
        item = Item([key, label], Obj(body), block=True)
        item.quoted = [False, not self.chance(0.15)]
        return [item]

    def document(self) -> list[Item]:
        makers: list[Callable[[], Item]] = [self.job, self.boot, self.file, self.probe]
        weights = [5, 2, 2, 2]
        count = self.rng.choice([0, 1, 1, 2, 2, 3, 4, 6])
        items = [self.rng.choices(makers, weights)[0]() for _ in range(count)]
        if self.chance(0.05):
            items.append(Item([self.pick(["unknown", "jobs", "include"])], self.string_lit()))
        return items


JSON_ESCAPES_OK = [
    "\\n",
    "\\t",
    "\\r",
    "\\\\",
    '\\"',
    "\\u00e9",
    "\\u0041",
    "\\b",
    "\\f",
    "\\u2028",
    "\\ud83d\\ude00",
]
JSON_ESCAPES_ODD = [
    "\\/",
    "\\x41",
    "\\a",
    "\\v",
    "\\U0001F600",
    "\\101",
    "\\'",
    "\\uD800",
    "\\q",
    "\\u12",
    "\\xff",
]


def _escape_bare_quotes(body: str) -> str:
    out = []
    backslashes = 0
    for ch in body:
        if ch == '"' and backslashes % 2 == 0:
            out.append('\\"')
        else:
            out.append(ch)
        backslashes = backslashes + 1 if ch == "\\" else 0
    return "".join(out)


# -- rendering: native HCL ---------------------------------------------------------------------


class NativeStyle:
    """Formatting choices for one rendering."""

    def __init__(self, rng: random.Random, noise: float = 0.0) -> None:
        self.rng = rng
        self.noise = noise
        self.newline = "\r\n" if rng.random() < 0.15 else "\n"
        self.indent = rng.choice(["  ", "    ", "\t", " ", ""])
        self.one_line = rng.random() < 0.15
        self.commas = rng.random() < 0.2
        self.comments = rng.random() < 0.25
        self.spacing = rng.random() < 0.1

    def gap(self) -> str:
        if self.comments and self.rng.random() < 0.1:
            return self.rng.choice([" /* c */ ", " /* multi\nline */ ", " "])
        if self.spacing and self.rng.random() < 0.3:
            odd = [" \f ", "\v", "\u00a0"] if self.rng.random() < self.noise else []
            return self.rng.choice(["", "  ", "\t", "\n", *odd])
        return " "

    def line_end(self) -> str:
        if self.comments and self.rng.random() < 0.15:
            return self.rng.choice([" # note", " // note", " #", " /* c */"]) + self.newline
        return " " if self.one_line else self.newline


def render_native(items: list[Item], rng: random.Random, noise: float = 0.0) -> str:
    style = NativeStyle(rng, noise)
    out: list[str] = []
    if style.comments and rng.random() < 0.3:
        out.append("# mittnite configuration" + style.newline)
    for item in items:
        out.append(_native_item(item, style, 0))
        out.append(style.line_end())
    return "".join(out)


def _native_key(key: str, quoted: bool) -> str:
    if quoted or not _is_identifier(key):
        return json.dumps(key, ensure_ascii=False)
    return key


def _is_identifier(key: str) -> bool:
    if not key or not (key[0].isalpha() or key[0] == "_"):
        return False
    return all(c.isalnum() or c in "_-." for c in key)


def _native_item(item: Item, style: NativeStyle, depth: int) -> str:
    quoted = item.quoted or [False] * len(item.keys)
    keys = [_native_key(k, q) for k, q in zip(item.keys, quoted + [True] * 9, strict=False)]
    head = style.gap().join(keys)
    if item.block and isinstance(item.value, Obj):
        return head + style.gap() + _native_object(item.value, style, depth)
    return head + style.gap() + "=" + style.gap() + _native_value(item.value, style, depth)


def _native_object(obj: Obj, style: NativeStyle, depth: int) -> str:
    if not obj.items:
        return "{}"
    pad = "" if style.one_line else style.indent * (depth + 1)
    parts = ["{", style.line_end()]
    for index, sub in enumerate(obj.items):
        parts.append(pad + _native_item(sub, style, depth + 1))
        if style.commas and (index < len(obj.items) - 1 or style.rng.random() < 0.5):
            parts.append(",")
        parts.append(style.line_end())
    parts.append(("" if style.one_line else style.indent * depth) + "}")
    return "".join(parts)


def _native_value(value: Value, style: NativeStyle, depth: int) -> str:
    if isinstance(value, Lit):
        return value.native
    if isinstance(value, Lst):
        elems = [_native_value(v, style, depth + 1) for v in value.items]
        sep = style.rng.choice([", ", ",", ",\n", " , "])
        trailing = "," if elems and style.rng.random() < 0.25 else ""
        return "[" + sep.join(elems) + trailing + "]"
    return _native_object(value, style, depth)


# -- rendering: HCL-JSON ------------------------------------------------------------------------


def render_json(items: list[Item], rng: random.Random) -> str:
    ws = rng.choice(["", " ", "\n", "\n  ", "\t", "\r\n"])
    members = _json_members(items, rng, ws)
    return "{" + ws + members + ws + "}" + rng.choice(["", "\n", "\n\n", " "])


def _json_members(items: list[Item], rng: random.Random, ws: str) -> str:
    grouped: dict[str, list[Item]] = {}
    order: list[str] = []
    for item in items:
        key = item.keys[0]
        if key not in grouped:
            order.append(key)
            grouped[key] = []
        grouped[key].append(item)
    parts: list[str] = []
    for key in order:
        group = grouped[key]
        labelled = [i for i in group if len(i.keys) > 1]
        plain = [i for i in group if len(i.keys) == 1]
        for item in plain:
            parts.append(json.dumps(key) + ":" + ws + _json_value(item.value, rng, ws))
        if labelled:
            style = rng.random()
            if style < 0.6 and len({tuple(i.keys[1:]) for i in labelled}) == len(labelled):
                inner = ", ".join(
                    _json_nested_keys(i.keys[1:]) + ": " + _json_value(i.value, rng, ws)
                    for i in labelled
                )
                parts.append(json.dumps(key) + ": {" + inner + "}")
            elif style < 0.85:
                inner = ", ".join(
                    "{" + _json_nested_keys(i.keys[1:]) + ": " + _json_value(i.value, rng, ws) + "}"
                    for i in labelled
                )
                parts.append(json.dumps(key) + ": [" + inner + "]")
            else:
                for i in labelled:
                    parts.append(
                        json.dumps(key)
                        + ": {"
                        + _json_nested_keys(i.keys[1:])
                        + ": "
                        + _json_value(i.value, rng, ws)
                        + "}"
                    )
    sep = rng.choice([", ", ",", "," + ws])
    text = sep.join(parts)
    if parts and rng.random() < 0.05:
        text += ","
    return text


def _json_nested_keys(keys: list[str]) -> str:
    """``["a", "b"]`` becomes ``"a": {"b"`` ... closed by the caller's value braces."""
    if len(keys) == 1:
        return json.dumps(keys[0], ensure_ascii=False)
    # Nest: "a": {"b": VALUE}; the caller appends ": VALUE", so open the inner object here
    # and let _json_value close it through a marker.
    return json.dumps(keys[0], ensure_ascii=False) + ": {" + _json_nested_keys(keys[1:]) + _CLOSE


_CLOSE = "\x00CLOSE\x00"


def _json_value(value: Value, rng: random.Random, ws: str) -> str:
    if isinstance(value, Lit):
        return value.json_text
    if isinstance(value, Lst):
        elems = [_json_value(v, rng, ws) for v in value.items]
        return "[" + rng.choice([", ", ","]).join(elems) + "]"
    return "{" + _json_members(value.items, rng, ws) + "}"


def _close_markers(text: str) -> str:
    """Resolve the nested-key markers: each closes one object after the next value."""
    while _CLOSE in text:
        start = text.index(_CLOSE)
        rest = text[start + len(_CLOSE) :]
        # the value follows ": "; find its end by bracket matching
        end = _value_end(rest)
        text = text[:start] + rest[:end] + "}" + rest[end:]
    return text


def _value_end(text: str) -> int:
    i = text.index(":") + 1
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    depth = 0
    in_string = False
    escaped = False
    start = i
    while i < len(text):
        ch = text[i]
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
                if depth == 0:
                    return i + 1
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return i + 1
            if depth < 0:
                return i
        elif depth == 0 and ch in ",":
            return i
        i += 1
    return max(i, start)


# -- damage --------------------------------------------------------------------------------------

NOISE = ["{", "}", "[", "]", "=", ",", '"', "\n", "#", "<<EOF\n", "0x", "-", ".", ":", "/*", "\\", "${", " ", "null", "true"]


def damage(text: str, rng: random.Random) -> str:
    """One to three small edits; the result is usually invalid, sometimes subtly valid."""
    for _ in range(rng.randint(1, 3)):
        if not text:
            return rng.choice(NOISE)
        pos = rng.randrange(len(text) + 1)
        roll = rng.random()
        if roll < 0.3:
            text = text[:pos] + text[pos + 1 :]
        elif roll < 0.55:
            text = text[:pos] + rng.choice(NOISE) + text[pos:]
        elif roll < 0.7:
            text = text[:pos] + text[pos : pos + 1] * 2 + text[pos + 1 :]
        elif roll < 0.85:
            text = text[:pos]
        else:
            end = min(len(text), pos + rng.randint(1, 8))
            text = text[:pos] + text[end:]
    return text


def soup(rng: random.Random, json_like: bool) -> str:
    words = [*NOISE, "job", "x", '"x"', "command", "args", "1", "1.5", "EOF", "file", "params"]
    text = "".join(rng.choice(words) + rng.choice(["", " ", "\n"]) for _ in range(rng.randint(1, 25)))
    return ("{" + text) if json_like else text


# -- cases -----------------------------------------------------------------------------------------

CLASSES = (
    "native",  # realistic native HCL, formatting varied, wrong types sprinkled
    "native-crlf",  # the same with CRLF line ends everywhere
    "native-damaged",  # realistic native HCL with small edits
    "json",  # realistic HCL-JSON
    "json-damaged",  # HCL-JSON with small edits (truncation, stray tokens)
    "params",  # file directives with deep params (Go types matter to templates)
    "numbers",  # numeric literals and quoted numbers in int and string fields
    "soup",  # token soup
    "multi-file",  # several files merged
    "structure",  # unusual shapes: missing/extra labels, = { } forms, lists of blocks
    "keys",  # key spellings: case, Unicode folding, quoted keys with escapes
    "strings",  # escapes, interpolations, heredocs and Unicode in string values
    "realistic",  # configurations as people write them (README-like), formatting varied
    "json-structure",  # HCL-JSON shapes: lists of objects, several keys, nested arrays
    "comments",  # comments in every position, including unterminated ones
    "edges",  # single odd tokens and bytes in every kind of position, both flavours
)


def generate(kind: str, seed: int) -> dict[str, str]:
    """The files (name → text) of case ``seed`` of class ``kind``."""
    gen = Generator(_mix(kind, seed))
    rng = gen.rng
    if kind in ("native", "native-crlf", "native-damaged"):
        text = render_native(gen.document(), rng, gen.noise)
        if kind == "native-crlf":
            text = text.replace("\r\n", "\n").replace("\n", "\r\n")
        if kind == "native-damaged":
            text = damage(text, rng)
        return {"a.hcl": text}
    if kind in ("json", "json-damaged"):
        text = _close_markers(render_json(gen.document(), rng))
        if kind == "json-damaged":
            text = damage(text, rng)
        return {"a.hcl": text}
    if kind == "params":
        items = [gen.file() for _ in range(rng.randint(1, 2))]
        render = render_json if rng.random() < 0.3 else render_native
        text = render(items, rng)
        return {"a.hcl": _close_markers(text)}
    if kind == "numbers":
        body = []
        for _ in range(rng.randint(1, 4)):
            field_name = rng.choice(["maxAttempts", "max_attempts", "command", "args", "signal"])
            if field_name == "signal":
                watch = Item(["signal"], gen.number_lit() if rng.random() < 0.5 else gen.quoted_int_lit())
                body.append(Item(["watch", "/x"], Obj([watch]), block=True))
                continue
            value: Value
            if field_name == "args":
                value = Lst([gen.number_lit(), gen.float_lit(), gen.quoted_int_lit()][: rng.randint(1, 3)])
            elif rng.random() < 0.5:
                value = gen.number_lit()
            elif rng.random() < 0.7:
                value = gen.quoted_int_lit()
            else:
                value = gen.float_lit()
            body.append(Item([field_name], value))
        items = [Item(["job", "n"], Obj(body), block=True)]
        render = render_json if rng.random() < 0.3 else render_native
        return {"a.hcl": _close_markers(render(items, rng))}
    if kind == "soup":
        return {"a.hcl": soup(rng, rng.random() < 0.4)}
    if kind == "multi-file":
        if rng.random() < 0.7:
            gen.noise = 0.0
        files = {}
        for index in range(rng.randint(2, 4)):
            doc = gen.document()
            if rng.random() < 0.3:
                text = _close_markers(render_json(doc, rng))
            else:
                text = render_native(doc, rng, gen.noise)
            name = rng.choice(["a", "b", "sub/c", ".hidden/d", "z"]) + f"{index}.hcl"
            files[name] = text
        return files
    if kind == "structure":
        return {"a.hcl": render_native(structure_document(gen), rng, gen.noise)}
    if kind == "keys":
        return {"a.hcl": keys_document(gen)}
    if kind == "strings":
        return {"a.hcl": strings_document(gen)}
    if kind == "realistic":
        return realistic_files(gen)
    if kind == "json-structure":
        return {"a.hcl": json_structure_document(gen)}
    if kind == "comments":
        return {"a.hcl": comments_document(gen)}
    if kind == "edges":
        return {"a.hcl": edges_document(gen)}
    raise ValueError(kind)


# -- focused classes ------------------------------------------------------------------------


def structure_document(gen: Generator) -> list[Item]:
    """Directives in shapes hcl v1 decodes in surprising ways."""
    rng = gen.rng
    items: list[Item] = []
    for _ in range(rng.randint(1, 3)):
        directive = rng.choice(["job", "boot", "file", "probe"])
        body = {
            "job": lambda: gen.fields(BASE_JOB, 0.3),
            "boot": lambda: gen.fields({**BASE_JOB, "timeout": STRING}, 0.3),
            "file": lambda: gen.fields({"from": STRING}, 0.8),
            "probe": lambda: gen.fields({"wait": BOOL, "filesystem": STRING}, 0.6),
        }[directive]()
        shape = rng.randrange(9)
        if shape == 0:  # no label
            items.append(Item([directive], Obj(body), block=True))
        elif shape == 1:  # two or three labels
            labels = [rng.choice(["a", "b", "web"]) for _ in range(rng.randint(2, 3))]
            items.append(Item([directive, *labels], Obj(body), block=True))
        elif shape == 2:  # directive = { name = { ... } }
            items.append(Item([directive], Obj([Item(["web"], Obj(body), block=rng.random() < 0.5)])))
        elif shape == 3:  # directive = [ { ... } ]
            items.append(Item([directive], Lst([Obj(body)])))
        elif shape == 4:  # directive "name" = { ... } (not allowed)
            items.append(Item([directive, "web"], Obj(body), block=False))
        elif shape == 5:  # nested blocks inside a job: watch/lazy/listen without labels
            nested = rng.choice(["watch", "lazy", "listen", "preCommand"])
            inner = [Item(["signal" if nested == "watch" else "forward"], gen.scalar(STRING))]
            body.append(Item([nested], Obj(inner), block=True))
            items.append(Item(["job", "web"], Obj(body), block=True))
        elif shape == 6:  # a scalar where a block is expected
            items.append(Item([directive], gen.scalar(rng.choice([STRING, INT, BOOL]))))
        elif shape == 7:  # params as labelled blocks and repeated
            params = [Item(["params", rng.choice(["x", "y"])], Obj(gen.param_items(1)), block=True)]
            params.append(Item(["params"], Obj(gen.param_items(1)), block=rng.random() < 0.5))
            items.append(Item(["file", "/t"], Obj(body + params), block=True))
        else:  # probe kinds as lists or repeated
            kind = rng.choice(list(PROBE_KINDS))
            value: Value = Obj(gen.fields(PROBE_KINDS[kind], 0.5))
            if rng.random() < 0.3:
                value = Lst([value])
            probe_body = [Item([kind], value, block=rng.random() < 0.5)]
            if rng.random() < 0.4:
                probe_body.append(Item([kind], Obj(gen.fields(PROBE_KINDS[kind], 0.5)), block=True))
            items.append(Item(["probe", "p"], Obj(probe_body), block=True))
    return items


_KEY_SPELLINGS = {
    "command": ["command", "COMMAND", "Command", "cOmMaNd", '"command"', '"com\\x6dand"', '"\\u0063ommand"'],
    "stdout": ["stdout", "STDOUT", "\u017ftdout", '"stdout"', '"std\\u006Fut"'],
    "maxAttempts": ["maxAttempts", "MAXATTEMPTS", "maxattempts", '"maxAttempts"', "max_attempts", "maxAttempt"],
    "canFail": ["canFail", "CANFAIL", "canfail", '"can\\x46ail"', "can-fail", "can.fail"],
    "job": ["job", "JOB", "Job", '"job"', '"j\\u006Fb"', "jobs"],
}


def keys_document(gen: Generator) -> str:
    rng = gen.rng
    parts = []
    for _ in range(rng.randint(1, 3)):
        directive = rng.choice(_KEY_SPELLINGS["job"])
        lines = []
        for name in ("command", "stdout", "maxAttempts", "canFail"):
            if rng.random() < 0.6:
                key = rng.choice(_KEY_SPELLINGS[name])
                value = {"command": '"/bin/true"', "stdout": '"/tmp/out"', "maxAttempts": "3", "canFail": "true"}[name]
                lines.append(f"  {key} = {value}")
        odd = ['"\\q"', '"a\\400"'] if rng.random() < 0.2 else []
        label = rng.choice(['"web"', "web", '"w\\x65b"', '"\\u00fc"', '"\\uD800x"', *odd])
        parts.append(f"{directive} {label} {{\n" + "\n".join(lines) + "\n}\n")
    return "".join(parts)


def strings_document(gen: Generator) -> str:
    """String values of every kind in string fields, lists and params."""
    rng = gen.rng
    values = [gen.string_lit().native for _ in range(rng.randint(1, 4))]
    values += [gen.heredoc_lit().native for _ in range(rng.randint(0, 2))]
    rng.shuffle(values)
    lines = [f"  command = {values[0]}"]
    if len(values) > 1:
        lines.append("  args = [" + ", ".join(values[1:]) + "]")
    params = [f"    p{i} = {v}" for i, v in enumerate(values)]
    return (
        'job "web" {\n' + "\n".join(lines) + "\n}\n"
        'file "/t" {\n  from = "x"\n  params = {\n' + "\n".join(params) + "\n  }\n}\n"
    )


_REALISTIC_TEMPLATES = [
    """job "{name}" {{
  command = "{command}"
  args = [{args}]
  maxAttempts = {attempts}
  canFail = {bool1}
{extra}}}
""",
    """boot "{name}" {{
  command = "{command}"
  args = [{args}]
  timeout = "{duration}"
}}
""",
    """file "{path}" {{
  from = "templates/{name}.conf.tpl"
  overwrite = {bool1}
  params = {{
    port = {port}
    name = "{name}"
    hosts = ["a", "b"]
    db = {{
      host = "db"
      port = {port}
    }}
  }}
}}
""",
    """probe "{name}" {{
  wait = {bool1}
  mysql {{
    credentials {{
      user = "ENV:MYSQL_USER"
      password = "ENV:MYSQL_PASSWORD"
    }}
    host {{
      hostname = "{host}"
      port = {port}
    }}
    database = "app"
    allowNativePassword = "true"
  }}
}}
""",
    """probe "{name}" {{
  wait = true
  http {{
    scheme = "http"
    host {{
      hostname = "{host}"
      port = {port}
    }}
    path = "/healthz"
    timeout = "{duration}"
  }}
}}
""",
    """job "{name}" {{
  command = "{command}"
  watch "/etc/{name}/*.conf" {{
    signal = {signal}
    restart = {bool1}
    preCommand {{
      command = "/bin/echo"
      args = ["reloading"]
    }}
  }}
}}
""",
    """job "{name}" {{
  command = "{command}"
  args = [{args}]
  lazy {{
    spinUpTimeout = "{duration}"
    coolDownTimeout = "15m"
  }}
  listen "0.0.0.0:{port}" {{
    forward = "127.0.0.1:{port2}"
  }}
}}
""",
    """probe "{name}" {{
  wait = true
  redis {{
    host {{
      hostname = "{host}"
    }}
    password = "ENV:REDIS_PASSWORD"
  }}
}}
""",
    """probe "{name}" {{
  wait = true
  filesystem = "/var/run/{name}"
}}
""",
]


def realistic_files(gen: Generator) -> dict[str, str]:
    rng = gen.rng
    files: dict[str, str] = {}
    for index in range(rng.randint(1, 4)):
        texts = []
        for _ in range(rng.randint(1, 3)):
            template = rng.choice(_REALISTIC_TEMPLATES)
            extra = ""
            if rng.random() < 0.3:
                extra += f'  env = ["APP_ENV=production", "PORT={rng.randint(1, 9999)}"]\n'
            if rng.random() < 0.2:
                extra += '  stdout = "/var/log/app.log"\n  stderr = "/var/log/app.err"\n'
            if rng.random() < 0.2:
                extra += "  enableTimestamps = true\n  timestampFormat = \"RFC3339\"\n"
            if rng.random() < 0.15:
                extra += "  oneTime = true\n"
            if rng.random() < 0.15:
                extra += "  controllable = true\n"
            text = template.format(
                name=rng.choice(["web", "worker", "php-fpm", "nginx", "cron", "db-migrate", "app_1"]),
                command=rng.choice(["/usr/sbin/nginx", "/usr/local/bin/app", "php-fpm", "sh"]),
                args=", ".join(
                    json.dumps(a) for a in rng.sample(["-g", "daemon off;", "-c", "--verbose", "echo hi"], rng.randint(0, 3))
                ),
                attempts=rng.choice(["3", "-1", "0", "10", '"5"']),
                bool1=rng.choice(["true", "false"]),
                duration=rng.choice(["5s", "30s", "1m", "500ms", "1h30m"]),
                path=rng.choice(["/etc/nginx/nginx.conf", "/etc/app/config.yaml", "/tmp/x.ini"]),
                port=rng.choice(["3306", "8080", '"6379"', "80", "0x1F90"]),
                port2=rng.choice(["8081", "9000"]),
                host=rng.choice(["localhost", "db", "127.0.0.1", "ENV:DB_HOST", "::1"]),
                signal=rng.choice(["1", "10", "15", '"1"', "0"]),
                extra=extra,
            )
            if rng.random() < 0.3:
                text = text.replace("  ", "\t")
            if rng.random() < 0.2:
                text = text.replace("\n", "\r\n")
            if rng.random() < 0.2:
                text = "# managed by the image build\n" + text
            texts.append(text)
        files[rng.choice(["", "conf.d/", ".d/"]) + f"{index:02d}-{rng.choice(['jobs', 'probes', 'files'])}.hcl"] = "\n".join(texts)
    return files


def json_structure_document(gen: Generator) -> str:
    """HCL-JSON in the shapes hcl v1's flattening treats differently."""
    rng = gen.rng
    job = {"command": "/bin/app", "args": ["a", "b"]}
    shapes = [
        {"job": {"web": job}},
        {"job": [{"web": job}, {"db": {"command": "x"}}]},
        {"job": {"web": job, "db": {"command": "y"}}},
        {"job": {"web": {"watch": {"/x": {"signal": 1}, "/y": {"restart": True}}, "command": "z"}}},
        {"job": {"web": {"watch": [{"/x": {"signal": 1}}, {"/y": {"signal": 2}}]}}},
        {"job": {"web": {"listen": {":80": {"forward": ":81"}}, "lazy": {}}}},
        {"file": {"/t": {"from": "x", "params": {"a": {"b": {"c": 1}}, "l": [{"x": 1}, {"y": 2}]}}}},
        {"probe": {"p": {"redis": {"host": {"hostname": "h", "port": 1}}, "wait": True}}},
        {"job": {"a": {"b": {"command": "nested"}}}},
        {"job": {}},
        {"job": []},
        {"job": [{"web": {}}]},
        {"file": {"/t": {"params": {"n": None, "e": [], "o": {}, "f": 1.5, "neg": -2}}}},
    ]
    doc = rng.choice(shapes)
    text = json.dumps(doc, indent=rng.choice([None, 2]))
    variant = rng.randrange(8)
    if variant == 0:  # several keys before ':'
        text = text.replace('"job": {"web":', '"job" "web":', 1)
    elif variant == 1:  # a nested array
        text = text.replace('["a", "b"]', '[["a"], "b"]').replace('[\n', '[[\n', 1)
    elif variant == 2:  # booleans and null in lists
        text = text.replace('["a", "b"]', '["a", true, "b"]')
    elif variant == 3:
        text = text.replace('["a", "b"]', '["a", null]')
    elif variant == 4:  # trailing comma
        text = text.replace("}}", ",}}", 1)
    elif variant == 5:  # a missing comma
        text = text.replace(", ", " ", 1)
    elif variant == 6:  # trailing content
        text += rng.choice([" junk", "}", "\n{}", "\x00x"])
    return text


def comments_document(gen: Generator) -> str:
    rng = gen.rng
    comments = ["# c", "// c", "/* c */", "/* multi\nline */", "/**/", "/* */ /* */", "#", "//"]
    tokens = ["job", '"web"', "{", "command", "=", '"/bin/true"', "args", "=", "[", '"a"', ",", '"b"', "]", "}"]
    out = []
    for token in tokens:
        out.append(token)
        if rng.random() < 0.35:
            comment = rng.choice(comments)
            out.append(" " + comment + ("\n" if comment.startswith(("#", "//")) else " "))
        else:
            out.append(rng.choice([" ", "\n", "\t"]))
    if rng.random() < 0.2:
        out.append(rng.choice(["/* open", "# last line without newline", "/", "/* a */ */"]))
    return "".join(out)


_EDGE_SLOTS = [
    'job "x" {{ command = {v} }}',
    'job "x" {{ args = [{v}] }}',
    'job "x" {{ args = [{v}, "b"] }}',
    'job "x" {{ command = "c" maxAttempts = {v} }}',
    'job "x" {{ command = "c" watch "/w" {{ signal = {v} }} }}',
    'file "/t" {{ from = "x" params = {{ a = {v} }} }}',
    'file "/t" {{ from = "x" params = {{ a = [{v}] }} }}',
    'job {v} {{ command = "x" }}',
    '{v} = "x"',
    "{v}",
    'job "x" {{ {v} = "c" }}',
    '{{"job": {{"x": {{"command": {v}}}}}}}',
    '{{"job": {{"x": {{"args": [{v}]}}}}}}',
    '{{"job": {{"x": {{"maxAttempts": {v}}}}}}}',
    '{{"file": {{"/t": {{"from": "x", "params": {{"a": {v}}}}}}}}}',
    '{{"job": {{{v}: {{"command": "x"}}}}}}',
    '{{{v}}}',
]
_EDGE_VALUES = [
    "1e}", "1e", ".5e3", "1.e5", "-", "- 1", "+1", "0x", "0X1F", "08", "018", "09.5", "1.2.3",
    "a-b.c", "x.y", "1a", "0b101", "0o17", "1_000", '"1_000"', '"0x_1F"', '" 5"', '"+5"',
    "9223372036854775807", "9223372036854775808", "-9223372036854775808", "1e308", "1e309",
    "-0", "0.0", "00", "007", '"007"', '"0"', '"-0"', "true", "false", "null", "nil", "TRUE",
    '"true"', "[1,,2]", "[,]", "[]", "{}", "{,}", "[[]]", "[{}]", "[[1],[2]]", '{"a" "b": 1}',
    '"${"}"}"', '"\\""', "'single'", '"\\u00e9"', '"\\uD800"', '"\\U0001F600"', '"\\x41"',
    '"\\400"', '"\\377"', '"\\/"', '"\\a\\v"', '"tab\there"', '"\x01"', '"é"', "é", "ü_1",
    "日本", "Ⅻ", "٣", "x٣", "_", "__", "-x", "x-", "x.", ".x", '""', '"a""b"',
    "<<EOF\nx\nEOF\n", "<<EOF\r\nx\r\nEOF\r\n", "<<-EOF\n  x\n  EOF\n", "<<EOF\nx\n  EOF  \n",
    "<<EOF\nx\nEOF", "<<\nx\n\n", "<<-\nx\n", "<<EOF x\nEOF\n", "<<EOF\r\rx\nEOF\r\n",
    "\ufeff1", "1\u00a0", "\u2028", "\udcff", "\x00", "\ue123", "#c\n1", "/*c*/1", "1//c\n",
]
_EDGE_AROUND = ["", "", "", "", "\ufeff", "\u00a0", "\v", "\f", "\r", "\n\n", "\x00", "\udcfe", "  "]


def edges_document(gen: Generator) -> str:
    rng = gen.rng
    value = rng.choice(_EDGE_VALUES)
    if rng.random() < 0.2:
        value = rng.choice(_EDGE_VALUES) + rng.choice(["", " ", ","]) + value
    text = rng.choice(_EDGE_SLOTS).format(v=value)
    if rng.random() < 0.3:
        text = rng.choice(_EDGE_AROUND) + text
    if rng.random() < 0.3:
        text += rng.choice(_EDGE_AROUND)
    if rng.random() < 0.2:
        text = text.replace(" ", rng.choice(["\n", "\t", "\r\n", ""]))
    return text


def _mix(kind: str, seed: int) -> int:
    """A stable seed per (class, number): Python's ``hash`` of strings is salted."""
    value = seed * 1_000_003
    for ch in kind:
        value = (value * 31 + ord(ch)) & 0xFFFFFFFFFFFF
    return value
