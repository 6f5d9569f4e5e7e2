"""Random and realistic Go templates for the differential harness, and their recording.

Each *family* of cases is a function of a seeded RNG, so a family's cases are reproducible:

``calls``       one sprig or builtin function with typed arguments of every kind (ints,
                floats, decimal strings such as ``"3.7"``/``" 5"``/``"0x1F"``/``"1_000"``,
                huge and negative numbers, bools, nil, lists, dicts, HCL object lists, times,
                versions), printed with its Go type, piped, or wrong in count or type;
``pipelines``   chains and nests of calls, variables, and/or/not, comparisons;
``printf``      fmt verbs, flags, widths, precisions and argument indexes on every kind of value;
``control``     random structure: if/else if, with, range (with else, break, continue),
                variables and assignment, define/template/block, trim markers, comments;
``realistic``   configuration files as people write them (nginx, env files, YAML, JSON, ini);
``literals``    number, string, rune and raw literals in every spelling, and their errors;
``syntax``      valid templates with one mutation each (parse errors and their positions).

Recording (needs the release's ``tplref``, see ``/work/shared/oracle/README.md``)::

    python -m tests.gotemplate.differential.generate [--tplref PATH] [--scale 1.0]

renders every family with ``tplref -batch`` (twice: cases whose answer varies are dropped, as
are cases Go could not finish) and writes ``data/<family>.json.gz``, which
``test_differential.py`` replays against our engine without Go. ``explore.py`` runs the same
generators with other seeds against both engines and prints the mismatches by class.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .fixtures import TEMPLATE_NAMES

HERE = Path(__file__).parent
DATA = HERE / "data"
DEFAULT_TPLREF = "/work/shared/reference/bin/tplref"

NONDETERMINISTIC = frozenset(
    {
        "now", "ago", "randAlpha", "randAlphaNum", "randAscii", "randBytes", "randInt",
        "randNumeric", "shuffle", "uuidv4", "genPrivateKey", "genCA", "genCAWithKey",
        "genSelfSignedCert", "genSelfSignedCertWithKey", "genSignedCert",
        "genSignedCertWithKey", "bcrypt", "htpasswd", "encryptAES", "getHostByName", "env",
    }
)  # fmt: skip
"""Functions whose result depends on the clock, randomness or the network (``tplref -funcs``).
``date``/``toDate``/``htmlDate`` are deterministic here: every case runs with ``TZ=UTC``."""

CLOCK_FALLBACK = frozenset({"date", "dateInZone", "date_in_zone", "htmlDate", "htmlDateInZone"})
"""Functions that format the current time when handed anything but a time or a number of
seconds: they only get those, and never a piped value."""
RANDOM_ORDER = frozenset({"keys", "values"})
"""Functions returning map entries in Go's random order: only used sorted (see LISTS)."""

ALLOCATING = frozenset(
    {"repeat", "until", "untilStep", "seq", "indent", "nindent", "wrap", "wrapWith", "chunk",
     "mustChunk", "abbrev", "abbrevboth", "trunc", "substr", "plural", "round"}
)  # fmt: skip
"""Functions whose integer arguments size their result: they only get small integers, so no
case makes Go allocate gigabytes (the hostile sizes are tested separately, against limits)."""

BUILTIN_NAMES = [
    "and", "or", "not", "len", "index", "print", "printf", "println", "html", "js",
    "urlquery", "eq", "ne", "lt", "le", "gt", "ge", "call",
]  # fmt: skip

# --- literal pools ---------------------------------------------------------------------------

SMALL_INTS = ["0", "1", "2", "3", "4", "5", "7", "10", "-1", "-2", "-3", "12", "20", "1.0"]
INTS = [
    *SMALL_INTS,
    "42", "100", "255", "256", "1000", "65535", "2147483647", "-2147483648",
    "9223372036854775807", "-9223372036854775808", "0x1F", "0o17", "017", "0b101", "1_000",
    "'a'", "'\\n'", "'é'", "1e3", "2.0", "-0", "0x7fffffffffffffff", "9223372036854775808",
    "18446744073709551615", "0X_FF", "-0x10",
]  # fmt: skip
FLOATS = [
    "0.5", "1.5", "-2.5", "3.7", "2.5", "1e3", "1e-3", "1e300", "-1e300", "0.1", "3.14159",
    "1.0", "-0.0", "0x1p-2", "6.02e23", "1e20", "0.000001", "1.5e-7", "123456789.123", "2.675",
    "-1.5", "0.49999999999999994", "1e21", "1e-7", "0.3", "-7.5", "1e15", "9.5", "4.35",
]  # fmt: skip
NUMERIC_STRINGS = [
    "3.7", "2.5", "1e3", " 5", "0x1F", "1_000", "-3", "+4", "99999999999999999999", "", "abc",
    "007", "0o17", "0b11", ".5", "5.", "Inf", "NaN", "1e400", "-0", "7.00", "7.0.0", "-2.5",
    "0.0", "3.", "+3.5", "-.5", "1,000", "٣", "1e-400", "9223372036854775807",
    "9223372036854775808", "-9223372036854775809", "0x", "true", "2.9999999999999999", "12",
    "-0.5", "5 ", "1e+2", "0x1p4", "1__0", "+", "-", "0.1", "42", "08", "1.5e3", "-1e3",
    "0xFFFFFFFFFFFFFFFF", "255", "3.0", "10.50", "-7", "infinity", "1E5", "2.50", "100",
]  # fmt: skip
TEXTS = [
    "hello", "Hello World", "FOO_BAR", "fooBar", "foo_bar", "foo-bar baz", "héllo", "ǅemal",
    "  padded  ", "a,b,c", "a b c", "", "x", "HTTPServer", "myHTTPServer2", "ID", "ABC",
    "the quick brown fox jumps over the lazy dog", "tab\there", "line1\nline2", "ß",
    "İstanbul", "ÀÉÎ", "__init__", "a--b", "snake_Case-mixed Words", "123abc", "abc123def",
    "/usr/local/bin/", "../a/./b//c", "c:\\win\\path", "file.tar.gz", ".hidden", "x.y.",
    "https://example.com/a?b=c", "1.2.3", "v1.2.3-rc.1+meta", "2021-03-04", "🙂 emoji",
    "\u00a0nbsp", "MiXeD cAsE", "ALLCAPS", "word", "o'neil \"q\"", "<b>&</b>", "a\x00b",
    "café", "ŉ", "ﬁ ligature", "FOO BAR", "fooBAR", "Foo_Bar_Baz", "aBC dEF", "HELLO",
    "already_snake", "kebab-case-word", "CamelCaseWord", "XMLHttpRequest", "a_b-c d.e",
    "  ", "a", "A", "___", "1st_place", "hello   world", "über_größe", "ǈubljana", "x\ry",
    "$HOME/bin", "${USER}@host", "$EMPTY$UNDEFINED", "100%", "%d %s", "a\\nb", "{{x}}",
]  # fmt: skip
STRINGS = TEXTS + NUMERIC_STRINGS
PATTERNS = [
    "^[a-z]+$", "[0-9]+", "(\\w+)@(\\w+)\\.com", "a*", "(a|b)*c", "\\d+", "[[:alpha:]]+",
    "(?i)hello", "\\bfoo\\b", "(?P<first>\\w+) (?P<last>\\w+)", "x{2,3}", "^$", "", ".",
    "(a)(b)?", "[^,]+", "\\s+", "(?m)^line", "(?s)a.b", "[\\p{L}]+", "\\pN", "é+", "[é-ü]",
    "(", "[a-", "x**", "\\8", "a{1001}", "(?P<n>a)(?P<n>b)", "\\Q.*\\E", "[[:^digit:]]",
    "a|", "|b", "(|a)+", "(a*)+", "(?U)a+", "a+?", "\\A\\z", "$", "^", "(?i)ǅ", "[^\\x00-\\x{10FFFF}]",
    "\\", "a{2}{3}", "(?:ab)+", "\\.", "[.]", "\\x41", "\\101", "[a-c-e]", "[z-a]", "\\b",
    "(?P<x>", "\\pX", "(?i)straße", "k", "(?i)k", "[[:word:]]+", "\\W", "(\\d+)-(\\d+)",
    "([a-z]+)([0-9]*)", ",", " ", "-", "_", "o", "l+", "(?i)[a-f]+",
]  # fmt: skip
REPLACEMENTS = [
    "X",
    "$1",
    "${1}",
    "$2-$1",
    "${first}",
    "$first_x",
    "$$",
    "$",
    "[$0]",
    "",
    "${9}",
    "\\1",
]
LAYOUTS = [
    "2006-01-02", "2006-01-02T15:04:05Z07:00", "02 Jan 06 15:04 MST", "Jan _2 15:04:05",
    "2006-01-02 15:04:05.000", "Monday, 02-Jan-06", "15:04", "3:04PM", "2006/1/2",
    "20060102150405", "2006-01-02T15:04:05.999999999Z07:00", "Z07:00:00", "-0700", "MST",
    "2006-002", "Jan 2, 2006 at 3:04pm (MST)", "", "x", ".000 .999 ,000", "06 1 2",
]  # fmt: skip
DATE_STRINGS = [
    "2021-03-04", "2021-03-04T05:06:07Z", "2021-03-04T05:06:07+02:00", "1999-12-31 23:59",
    "05 Mar 21 10:00 CET", "bad", "", "2020-02-30", "2021-13-01", "0001-01-01",
    "2021-03-04T05:06:07.123456789Z", "2024-02-29T23:59:59-23:59", "12:34", "2021/3/4",
]  # fmt: skip
ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Local", "", "Bad/Zone",
         "Australia/Lord_Howe", "EST", "Etc/GMT+5"]  # fmt: skip
DURATIONS = ["1h30m", "90s", "-1h", "1.5h", "300ms", "2h45m30.5s", "0", "1d", "", "1µs", "5m"]
VERSIONS = [
    "1.2.3", "v1.2.3", "1.2.3-beta.1", "1.2.3-beta.1+build.5", "1.2", "1", "v2.0.0-rc.1",
    "1.2.3-0", "01.2.3", "1.2.3.4", "x.y", "", "1.2.3-", "1.2.3+", "1.0.0-alpha", "1.0.0",
    "18446744073709551616.0.0", "1.2.3-01", "1.2.3-a.01", "v1", "1.x", "2.0.0-0.3.7",
]  # fmt: skip
CONSTRAINTS = [
    ">= 1.2.0", "^1.2", "~1.2.3", "1.2.x", "> 1.0, < 2.0", ">=1.2.0-0", "1.2.3 - 1.4",
    "<=1.2.3 || >=2.0", "!=1.2.3", "*", "=1.2.3", "^0.0.1", "~1", "bad", "", ">1.2.3-alpha",
    ">= 1.2.3-beta.1", "<2.0.0-0", "^1.2.3-beta", "1.2 - 1.3 || 2.x", ">1.2,<1.1",
    ">1.0.0-beta.1 <2", ">1.0.0-beta.1 <2 || >3", "~1.2 >=1.0.0-0", "!=1.2.3-beta.1",
    "1.2.x >=0.0.0-0", "!=1.x >1.0.0-a", "^0.0.1-0", "<=1.2.3-rc.1, >1.0", "~1.2.3-beta.2",
]  # fmt: skip

# --- params: fields of the rich params (fixtures.RICH_PARAMS) by kind ------------------------

P_STRINGS = [
    "name", "title", "empty", "spaced", "decimal", "half", "sci", "lead", "hex", "under",
    "octal", "negstr", "numstr", "floatstr", "unicode", "caps", "mixed", "csv", "path", "url",
    "version", "date", "duration", "json", "html", "multiline",
]  # fmt: skip
P_INTS = ["port", "replicas", "neg", "big", "zero"]
P_FLOATS = ["ratio", "huge", "tiny"]
P_BOOLS = ["enabled", "disabled"]
P_LISTS = ["tags", "ports", "floats", "mixedlist", "emptylist", "servers"]
P_MAPS = ["nested"]
P_OTHER = ["missing", "nested.inner", "servers", "Nope"]

LISTS = [
    "(list 1 2 3)", '(list "b" "a" "c")', "(list)", '(list 1 "a" 2.5 true nil)',
    "(list (list 1 2) (list 3))", "(splitList \",\" \"a,b,,c\")", "(until 4)",
    "(untilStep 1 10 3)", "(toStrings (list 1 2))", "(tuple 1 2)", "(list 3 1 2 3 1)",
    '(keys (dict "b" 1 "a" 2) | sortAlpha)', '(regexFindAll "[0-9]+" "a1b22c333" -1)',
    "(list .Params.name .Params.port)", '(list (dict "a" 1) (dict "a" 2))',
    '(list "x" "" "y" "")', "(list 1.5 2 \"3\")", "(list nil)", '(splitn "," 2 "a,b,c")',
    '(list "B" "a" "C" "b")', "(list -1 0 1)", "(compact (list 0 1 \"\" nil 2))",
    "(slice .Params.servers 0 4)", "(slice .Params.tags 1 6)", "(slice .Params.nested 0 1)",
    "(slice (list 1 2 3) 1)", "(append .Params.servers (dict))", "(rest .Params.servers)",
    '(list (dict "name" "x") (dict "name" "y"))', '(list "web" "prod")',
]  # fmt: skip
MAPS = [
    '(dict "a" 1 "b" "x")', "(dict)", '(dict "k" (dict "n" 1))', ".Params", ".Env",
    '(urlParse "https://u:p@h:1/p?q=1#f")', '(split "," "a,b,c")',
    '(dict "a" nil "b" (list 1 2))', "(fromJson .Params.json)", "(dict 1 2)",
    '(dict "a" 1 "a" 2)', "(index .Params.servers 0)", "(index .Params.nested 0)",
    '(dict "name" "web" "port" 80 "tags" (list "a"))', '(dict "z" 1 "A" 2 "a" 3)',
    '(dict "x" (dict "y" (dict "z" "deep")))', '(set (dict "a" 1) "b" 2)',
]  # fmt: skip
TIMES = [
    '(toDate "2006-01-02" "2021-03-04")',
    '(toDate "2006-01-02T15:04:05Z07:00" "2021-03-04T05:06:07+02:00")',
    '(mustToDate "2006-01-02 15:04" "1999-12-31 23:59")',
    '(dateModify "-1h30m" (toDate "2006-01-02" "2020-02-29"))',
    '(toDate "02 Jan 06 15:04 MST" "05 Mar 21 10:00 CET")',
    '(toDate "2006-01-02" "bad")', '(toDate "2006-01-02T15:04:05Z07:00" .Params.date)',
    '(toDate "2006-01-02T15:04:05.999999999Z07:00" "2021-03-04T05:06:07.123456789-07:30")',
]  # fmt: skip
OTHER_VALUES = [
    "(int64 5)", '(float64 "2.5")', '(atoi "12")', "(toString 3)", '(b64enc "hi")',
    "(len .Params.tags)", "(max 1 5)", "(add 1 2)", '(semver "1.2.3-beta+b")', '(semver "2.0.0")',
    '(duration 90)', '(durationRound "1h30m")', "(int 7)", "(mul 2.5 2)", "(div 7 2)",
    "(addf 0.1 0.2)", '(toDecimal "0777")', "(round 2.675 2)", "(floor 2.5)", "(ceil -2.5)",
    '(toJson (dict "a" 1))', "(deepCopy .Params.nested)", "(typeOf 1)", '(kindOf "x")',
    '(urlJoin (dict "scheme" "https" "host" "x.org"))', "(until 0)", "(list 1 2 | len)",
    '(regexMatch "^a" "abc")', "(empty 0)", "(coalesce nil 0 \"\" 3)", "(ternary 1 2 true)",
    "(first (list 9 8))", "(last (list))", "(uniq (list 1 1 2))", "(sortAlpha (list 3 1 2))",
    "(int64 \"0x10\")", "(float64 1)", '(semverCompare "^1" "1.5.0")', "(not 0)",
]  # fmt: skip


def go_literal(text: str) -> str:
    """A Go double-quoted string literal for ``text``."""
    return json.dumps(text, ensure_ascii=False)


class Generator:
    """Builds template texts from a seeded RNG; one instance per family and seed."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.signatures = _signatures()
        self.sprig_names = sorted(
            name
            for name in self.signatures
            if name not in NONDETERMINISTIC and name not in RANDOM_ORDER
        )

    # -- helpers ---------------------------------------------------------------------------

    def pick(self, items: list[str]) -> str:
        return self.r.choice(items)

    def chance(self, probability: float) -> bool:
        return self.r.random() < probability

    def string_literal(self) -> str:
        text = self.pick(STRINGS)
        if self.chance(0.1) and "`" not in text and "\r" not in text:
            return f"`{text}`"
        return go_literal(text)

    def param(self, fields: list[str]) -> str:
        return ".Params." + self.pick(fields)

    # -- values by Go type -----------------------------------------------------------------

    def value(self, go_type: str, depth: int, small: bool = False) -> str:
        """An argument expression meant for a parameter of ``go_type``."""
        if self.chance(0.12 if not small else 0.03):
            return self.any_value(depth)
        if go_type == "string":
            return self.string_value(depth)
        if go_type in ("int", "int64", "uint32", "int32", "uint64", "uint"):
            if small:
                return self.pick(SMALL_INTS)
            return self.int_value(depth)
        if go_type == "float64":
            return self.pick(FLOATS + INTS[:6])
        if go_type == "bool":
            return self.pick(["true", "false", ".Params.enabled", "(eq 1 1)", "(empty \"\")",
                              ".Params.missing", "(not true)"])  # fmt: skip
        if go_type == "time.Time":
            return self.pick(TIMES)
        if go_type.startswith("map["):
            return self.map_value(depth)
        if go_type.startswith("[]"):
            return self.list_value(depth)
        return self.any_value(depth)

    def string_value(self, depth: int) -> str:
        roll = self.r.random()
        if roll < 0.6:
            return self.string_literal()
        if roll < 0.8:
            return self.param(P_STRINGS)
        if roll < 0.88:
            return ".Env." + self.pick(["HOME", "USER", "PORT", "EMPTY", "WEIRD", "NOPE",
                                        "UNICODE", "DECIMAL", "LIST"])  # fmt: skip
        if depth > 0:
            return self.call_returning_string(depth - 1)
        return self.string_literal()

    def call_returning_string(self, depth: int) -> str:
        name = self.pick(["upper", "lower", "trim", "toString", "quote", "b64enc", "title",
                          "snakecase", "join", "replace", "printf", "cat", "default", "repeat",
                          "substr", "trunc", "nospace", "base", "ext", "sha256sum"])  # fmt: skip
        return self.call_expr(name, depth)

    def int_value(self, depth: int) -> str:
        roll = self.r.random()
        if roll < 0.65:
            return self.pick(INTS)
        if roll < 0.8:
            return self.param(P_INTS)
        if depth > 0:
            return self.call_expr(self.pick(["len", "add", "atoi", "int", "sub", "mul", "max",
                                             "min", "int64", "mod"]), depth - 1)  # fmt: skip
        return self.pick(INTS)

    def list_value(self, depth: int) -> str:
        if self.chance(0.3):
            return self.param(P_LISTS)
        if depth > 0 and self.chance(0.2):
            values = " ".join(self.any_value(depth - 1) for _ in range(self.r.randint(0, 4)))
            return f"(list {values})".replace("(list )", "(list)")
        return self.pick(LISTS)

    def map_value(self, depth: int) -> str:
        if depth > 0 and self.chance(0.2):
            pairs = []
            for _ in range(self.r.randint(0, 3)):
                key = self.pick(['"a"', '"b"', '"name"', '"x"', '"A"', '"k"'])
                pairs.append(f"{key} {self.any_value(depth - 1)}")
            return "(dict " + " ".join(pairs) + ")" if pairs else "(dict)"
        return self.pick(MAPS)

    def any_value(self, depth: int) -> str:
        roll = self.r.random()
        if roll < 0.18:
            return self.pick(INTS)
        if roll < 0.27:
            return self.pick(FLOATS)
        if roll < 0.47:
            return self.string_literal()
        if roll < 0.5:
            return self.pick(["true", "false"])
        if roll < 0.53:
            return "nil"
        if roll < 0.62:
            return self.param(P_STRINGS + P_INTS + P_FLOATS + P_BOOLS + P_OTHER)
        if roll < 0.72:
            return self.list_value(depth)
        if roll < 0.8:
            return self.map_value(depth)
        if roll < 0.84:
            return self.pick(TIMES)
        if roll < 0.94:
            return self.pick(OTHER_VALUES)
        if depth > 0:
            return self.random_call(depth - 1)
        return self.pick([".", "$", ".Params", ".Env.USER"])

    # -- calls ---------------------------------------------------------------------------

    def args_for(self, name: str, depth: int) -> list[str]:
        """Arguments for ``name``: usually right in count and type, sometimes not."""
        special = self.special_args(name, depth)
        if special is not None:
            return special
        params, variadic = self.signatures[name]
        small = name in ALLOCATING
        fixed = params[:-1] if variadic else params
        args = [self.value(p, depth, small) for p in fixed]
        if variadic:
            elem = params[-1][2:]
            for _ in range(self.r.choice([0, 1, 1, 2, 2, 3, 4])):
                args.append(self.value(elem, depth, small))
        if self.chance(0.06) and args:
            args.pop(self.r.randrange(len(args)))
        elif self.chance(0.05):
            args.append(self.any_value(0))
        return args

    def special_args(self, name: str, depth: int) -> list[str] | None:
        """Arguments that need a domain: patterns, layouts, versions, zones, keys."""
        r = self.r
        pattern = go_literal(self.pick(PATTERNS))
        if name in ("regexMatch", "mustRegexMatch", "regexFind", "mustRegexFind"):
            return [pattern, self.string_value(depth)]
        if name in ("regexFindAll", "mustRegexFindAll", "regexSplit", "mustRegexSplit"):
            return [pattern, self.string_value(depth), self.pick(["-1", "0", "1", "2", "5"])]
        if name in ("regexReplaceAll", "mustRegexReplaceAll", "regexReplaceAllLiteral",
                    "mustRegexReplaceAllLiteral"):  # fmt: skip
            return [pattern, self.string_value(depth), go_literal(self.pick(REPLACEMENTS))]
        if name in ("toDate", "mustToDate"):
            return [go_literal(self.pick(LAYOUTS)), go_literal(self.pick(DATE_STRINGS))]
        if name in ("date", "htmlDate", "dateInZone", "date_in_zone", "htmlDateInZone"):
            # a time or seconds only: anything else makes sprig format the current time
            moment = self.pick([*TIMES, "1600000000", "(int64 1600000000)", "0",
                                "(int 1600000000)", "-1", "(int64 -5)"])  # fmt: skip
            args = [moment]
            if name != "htmlDate" and name != "htmlDateInZone":
                args.insert(0, go_literal(self.pick(LAYOUTS)))
            if "Zone" in name or "zone" in name:
                args.append(go_literal(self.pick(ZONES)))
            return args
        if name in ("dateModify", "date_modify", "mustDateModify", "must_date_modify"):
            return [go_literal(self.pick(DURATIONS)), self.pick(TIMES)]
        if name in ("duration", "durationRound"):
            return [self.pick(["90", "3600", '"3600"', '"1h30m"', "(int64 90)", "-5", '"x"',
                               "1.5", '"99999999999999999999"', "(toDate \"2006\" \"2020\")",
                               '"2h45m"', "(int64 86400000)", '"-3s"', "nil"])]  # fmt: skip
        if name == "semver":
            return [go_literal(self.pick(VERSIONS))]
        if name == "semverCompare":
            return [go_literal(self.pick(CONSTRAINTS)), go_literal(self.pick(VERSIONS))]
        if name in ("unixEpoch",):
            return [self.pick(TIMES)]
        if name in ("derivePassword",):
            return [self.pick(["1", "2", "0"]), go_literal(self.pick(["long", "maximum",
                    "medium", "short", "basic", "pin", "bogus"])), '"pw"', '"user"', '"site"']  # fmt: skip
        if name in ("decryptAES",):
            return [go_literal(self.pick(["", "abc", "bm90IGJhc2U2NA==", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"])), '"key"']  # fmt: skip
        if name in ("buildCustomCert",):
            return ['"bad"', '"bad"']
        if name in ("dig",):
            keys = [
                go_literal(self.pick(["a", "b", "k", "n", "x", "missing"]))
                for _ in range(r.randint(0, 3))
            ]
            return [*keys, go_literal(self.pick(["default", ""])), self.map_value(depth)]
        if name in ("get", "hasKey", "unset"):
            return [self.map_value(depth), go_literal(self.pick(["a", "b", "k", "missing", ""]))]
        if name in ("pick", "omit"):
            keys = [go_literal(self.pick(["a", "b", "name", "x"])) for _ in range(r.randint(0, 3))]
            return [self.map_value(depth), *keys]
        if name in ("pluck",):
            return [go_literal(self.pick(["a", "name", "x"]))] + [
                self.map_value(depth) for _ in range(r.randint(0, 3))
            ]
        if name in ("set",):
            return [self.map_value(depth), go_literal(self.pick(["a", "z"])), self.any_value(depth)]
        if name in ("kindIs", "typeIs", "typeIsLike"):
            kinds = ["string", "int", "int64", "float64", "slice", "map", "bool", "ptr",
                     "[]interface {}", "map[string]interface {}", "*semver.Version", "struct",
                     "time.Time", "invalid", "[]string", "interface {}"]  # fmt: skip
            return [go_literal(self.pick(kinds)), self.any_value(depth)]
        if name in ("seq",):
            return [self.pick(SMALL_INTS) for _ in range(r.choice([0, 1, 2, 3, 3, 4]))]
        if name in ("untilStep",):
            return [self.pick(SMALL_INTS) for _ in range(3)]
        if name in ("round",):
            args = [self.value("interface {}", depth), self.pick(["0", "1", "2", "3", "-1", "10"])]
            if self.chance(0.3):
                args.append(self.pick(["0.5", "0.3", "0.9", "1.0"]))
            return args
        if name in ("merge", "mergeOverwrite", "mustMerge", "mustMergeOverwrite"):
            # never a map into itself (Go recurses until its stack overflows, fatally)
            pool = [m for m in MAPS if ".Params" not in m and ".Env" not in m]
            return [
                f"(deepCopy {self.pick(MAPS)})",
                *(self.pick(pool) for _ in range(r.randint(0, 3))),
            ]
        if name == "call":
            return [self.pick([".Params.name", "nil", ".", "(list 1)"])]
        return None

    def call_expr(self, name: str, depth: int) -> str:
        if name not in self.signatures:
            return self.builtin_call(depth, name)
        args = self.args_for(name, depth)
        return f"({name} {' '.join(args)})" if args else f"({name})"

    def random_call(self, depth: int) -> str:
        if self.chance(0.85):
            return self.call_expr(self.pick(self.sprig_names), depth)
        return self.builtin_call(depth)

    def builtin_call(self, depth: int, name: str | None = None) -> str:
        if name is None:
            name = self.pick(BUILTIN_NAMES)
        if name == "printf":
            return f"(printf {go_literal(self.format_string())} {self.any_value(depth)})"
        if name == "index":
            container = self.pick(LISTS + MAPS + [".Params.tags", ".Params.servers", '"abc"'])
            keys = [self.pick(["0", "1", "2", "-1", "5", '"a"', '"name"', "nil", "1.0"])
                    for _ in range(self.r.randint(0, 2))]  # fmt: skip
            return f"(index {container} {' '.join(keys)})".replace(" )", ")")
        count = {"not": 1, "len": 1, "lt": 2, "le": 2, "gt": 2, "ge": 2, "ne": 2}.get(
            name, self.r.randint(1, 3)
        )
        if self.chance(0.06):
            count += self.r.choice([-1, 1])
        args = [self.any_value(depth) for _ in range(max(count, 0))]
        return f"({name} {' '.join(args)})" if args else f"({name})"

    # -- formats ---------------------------------------------------------------------------

    def format_string(self) -> str:
        pieces = []
        for _ in range(self.r.randint(1, 3)):
            pieces.append(self.pick(["", "x=", " ", "|", "[", "%%"]))
            pieces.append(self.verb())
        return "".join(pieces)

    def verb(self) -> str:
        flags = "".join(self.r.sample(["-", "+", "#", " ", "0"], self.r.choice([0, 0, 0, 1, 2])))
        width = self.pick(["", "", "", "5", "1", "10", "*", "08"])
        precision = self.pick(["", "", "", ".2", ".0", ".5", ".*", "."])
        index = self.pick(["", "", "", "", "", "[1]", "[2]", "[3]", "[0]"])
        verb = self.pick([*list("vvvvdsqxXobeEfFgGctUT"), "w", "z", "!", "%"])
        return f"%{flags}{index}{width}{precision}{verb}"

    # -- families --------------------------------------------------------------------------

    def case_calls(self) -> str:
        if self.chance(0.1):
            call = self.builtin_call(1)
        else:
            call = self.call_expr(self.pick(self.sprig_names), self.r.choice([0, 1, 1]))
        name = call[1:].split(" ", 1)[0].rstrip(")")
        roll = self.r.random()
        if roll < 0.35:
            return "{{ " + call[1:-1] + " }}"
        if roll < 0.7:
            return "{{ $v := " + call[1:-1] + ' }}{{ printf "%T" $v }}={{ $v }}'
        if roll < 0.8:
            return "{{ " + call[1:-1] + " | toJson }}"
        if roll < 0.87:
            return '{{ printf "%#v" ' + call + " }}"
        args = self.args_for(name, 1) if name in self.signatures else []
        if args and name not in ALLOCATING and name not in CLOCK_FALLBACK:
            return "{{ " + args[-1] + " | " + " ".join([name, *args[:-1]]) + " }}"
        return "{{ " + call[1:-1] + " }}"

    def case_pipelines(self) -> str:
        parts = []
        for _ in range(self.r.randint(1, 3)):
            start = self.any_value(2)
            stages = []
            for _ in range(self.r.randint(1, 4)):
                name = self.pick(self.sprig_names)
                if name in ALLOCATING or name in CLOCK_FALLBACK:
                    name = "upper"
                args = self.args_for(name, 1)
                if args:
                    args = args[:-1]
                stages.append(" ".join([name, *args]))
            trim_left = "- " if self.chance(0.15) else " "
            trim_right = " -" if self.chance(0.15) else " "
            parts.append("{{" + trim_left + start + " | " + " | ".join(stages) + trim_right + "}}")
            parts.append(self.pick(["\n", " ", ",", "\n  "]))
        return "".join(parts)

    def case_printf(self) -> str:
        format_text = self.format_string()
        args = [self.any_value(1) for _ in range(self.r.randint(0, 4))]
        if "*" in format_text and self.chance(0.7):
            args.insert(0, self.pick(["3", "-3", "0", "10", '"x"', "2.5"]))
        function = self.pick(["printf", "printf", "printf", "print", "println"])
        if function != "printf":
            args = [self.any_value(1) for _ in range(self.r.randint(0, 4))]
            return "{{ " + " ".join([function, *args]) + " }}"
        return "{{ printf " + " ".join([go_literal(format_text), *args]) + " }}"

    def case_literals(self) -> str:
        literal = self.pick(
            INTS
            + FLOATS
            + [
                "1i",
                "2.5i",
                "0x1p-2i",
                "1+2i",
                "(1+2i)",
                "08",
                "0x",
                "1e",
                "1__0",
                "0_1",
                "'ab'",
                "''",
                "'\\''",
                "'\\x41'",
                "'\\u00e9'",
                "'\\400'",
                "0b2",
                "0o8",
                "1" * 25,
                "1" * 400,
                "9" * 5000,
                "0x" + "f" * 17,
                "1e400",
                "1e-400",
                "-1e400",
                "0x1.8p3",
                "1_000.5",
                ".5",
                "5.",
                "+5",
                "- 5",
                "0.1e-1_0",
                "0X1P+2",
                "1E+2",
                "'\\n'",
                "'é'",
                "'\\U0001F600'",
                "'\\uD800'",
                '"\\x41\\u00e9\\101\\a\\v"',
                '"\\q"',
                '"\\400"',
                "`raw\\n`",
                '"\\uD800"',
                '"unterminated',
                "`x",
                "-0x8000000000000000",
                "0x8000000000000000",
                "-9223372036854775809",
                "1e9999999999",
            ]
        )
        roll = self.r.random()
        if roll < 0.3:
            return "{{ " + literal + " }}"
        if roll < 0.55:
            return '{{ printf "%T %v" ' + literal + " " + literal + " }}"
        target = self.pick(["repeat", "add1", "until", "float64", "substr", "len", "int",
                            "printf \"%d\"", "eq 1", "lt 1", "index .Params.tags", "trunc",
                            "max", "round", "int64", "toString"])  # fmt: skip
        if target in ("repeat", "trunc", "until") and not _small_literal(literal):
            target = "int64"
        if target in ("repeat", "trunc"):
            return "{{ " + target + " " + literal + ' "ab" }}'
        if target == "substr":
            return "{{ substr 0 " + literal + ' "abcdef" }}'
        if target == "round":
            return "{{ round 2.5 " + literal + " }}"
        if target == "until":
            return (
                "{{ len (until " + literal + ") }}"
                if literal in SMALL_INTS
                else "{{ until " + literal + " | len }}"
            )
        return "{{ " + target + " " + literal + " }}"

    def case_control(self) -> str:
        defines = []
        names: list[str] = []
        for index in range(self.r.choice([0, 0, 0, 1, 2])):
            name = f"tpl{index}"
            names.append(name)
            defines.append(
                '{{ define "' + name + '" }}' + self.body(2, ["$"], names[:-1]) + "{{ end }}"
            )
        body = self.body(self.r.randint(1, 3), ["$"], names)
        if self.chance(0.1):
            body += (
                '{{ block "blk" '
                + self.pick([".", ".Params", "1"])
                + " }}"
                + self.body(1, ["$"], names)
                + "{{ end }}"
            )
        return "".join(defines) + body

    def condition(self, variables: list[str]) -> str:
        roll = self.r.random()
        if roll < 0.3:
            return self.pick([".Params.enabled", ".Params.disabled", ".Params.missing",
                              ".Params.tags", ".Params.emptylist", ".Params.name", ".Env.EMPTY",
                              ".Env.USER", ".Params", "0", "1", '""', "nil", "(list)", "(dict)"])  # fmt: skip
        if roll < 0.5 and variables:
            return self.pick(variables)
        if roll < 0.75:
            op = self.pick(["eq", "ne", "lt", "le", "gt", "ge"])
            return f"{op} {self.any_value(0)} {self.any_value(0)}"
        if roll < 0.9:
            op = self.pick(["and", "or"])
            return f"{op} ({self.condition(variables)}) {self.any_value(0)}"
        return f"not {self.any_value(0)}"

    def body(
        self, depth: int, variables: list[str], templates: list[str], in_range: bool = False
    ) -> str:
        out = []
        local = list(variables)
        for _ in range(self.r.randint(1, 4)):
            roll = self.r.random()
            left = "{{- " if self.chance(0.15) else "{{ "
            right = " -}}" if self.chance(0.15) else " }}"
            if roll < 0.2:
                out.append(self.pick(["text", "\n", "  ", "a b\n", " - ", "key: ", "\n\n", "x"]))
            elif roll < 0.38:
                value = self.pick(local) if local and self.chance(0.3) else self.any_value(1)
                out.append(left + value + right)
            elif roll < 0.48:
                name = f"$v{len(local)}"
                out.append(left + name + " := " + self.any_value(1) + right)
                local.append(name)
            elif roll < 0.52 and len(local) > 1:
                out.append(left + self.pick(local[1:]) + " = " + self.any_value(0) + right)
            elif roll < 0.65 and depth > 0:
                text = (
                    "{{ if "
                    + self.condition(local)
                    + " }}"
                    + self.body(depth - 1, local, templates, in_range)
                )
                if self.chance(0.3):
                    text += (
                        "{{ else if "
                        + self.condition(local)
                        + " }}"
                        + self.body(depth - 1, local, templates, in_range)
                    )
                if self.chance(0.5):
                    text += "{{ else }}" + self.body(depth - 1, local, templates, in_range)
                out.append(text + "{{ end }}")
            elif roll < 0.75 and depth > 0:
                subject = self.pick(
                    MAPS + LISTS + [".Params.nested", ".Params.name", ".Params.missing"]
                )
                text = (
                    "{{ with " + subject + " }}" + self.body(depth - 1, local, templates, in_range)
                )
                if self.chance(0.3):
                    text += "{{ else }}" + self.body(depth - 1, local, templates, in_range)
                out.append(text + "{{ end }}")
            elif roll < 0.88 and depth > 0:
                subject = self.pick(LISTS + MAPS + [".Params.tags", ".Params.servers", ".Params.nested",
                                                    ".Params.missing", ".Env", "nil", ".Params.name"])  # fmt: skip
                declared = self.pick(["", "$x := ", "$i, $x := ", "$i, $x := "])
                inner = local + (
                    [v.strip() for v in declared.replace(":=", "").split(",") if v.strip()]
                )
                text = (
                    "{{ range "
                    + declared
                    + subject
                    + " }}"
                    + self.body(depth - 1, inner, templates, True)
                )
                if self.chance(0.25):
                    text += "{{ else }}" + self.body(depth - 1, local, templates, in_range)
                out.append(text + "{{ end }}")
            elif roll < 0.92 and in_range:
                keyword = self.pick(["break", "continue"])
                out.append("{{ if " + self.condition(local) + " }}{{ " + keyword + " }}{{ end }}")
            elif roll < 0.96 and templates:
                out.append(
                    '{{ template "' + self.pick(templates) + '" ' + self.any_value(0) + " }}"
                )
            else:
                out.append(
                    self.pick(
                        ["{{/* comment */}}", "{{- /* trimmed */ -}}", '{{ "lit" }}', "{{ . }}"]
                    )
                )
        return "".join(out)

    def case_fields(self) -> str:
        """Field, chain and method access on params, dicts, function results and nil."""
        receivers = [
            ".Params", ".Params.nested", "(index .Params.nested 0)", "(index .Params.servers 1)",
            ".Params.servers", ".Params.name", ".Params.missing", ".Env", "$", ".",
            '(dict "a" (dict "b" 1))', '(urlParse "https://u:p@h:1/p?q=1#f")',
            "(fromJson .Params.json)", '(list 1 2)', "nil", '(semver "1.2.3-beta.1+b")',
            '(semver "v2.0.0")', '(toDate "2006-01-02" "2021-03-04")', "(duration 90)",
            '(toDate "2006-01-02T15:04:05Z07:00" "2021-03-04T05:06:07+02:00")',
            "(dict)", '(split "," "a,b")', "(splitn \",\" 2 \"a,b,c\")",
        ]  # fmt: skip
        fields = [
            "name", "Name", "a", "b", "inner", "deep", "k", "host", "port", "x", "Params", "Env",
            "HOME", "scheme", "hostname", "d", "Major", "Minor", "Patch", "Prerelease",
            "Metadata", "Original", "String", "Year", "Month", "Day", "Weekday", "Unix",
            "UTC", "Location", "IsZero", "YearDay", "Hour", "Nanosecond", "_0", "_1", "_2",
            "IncMinor", "Format", "AddDate", "Add", "Sub", "Before", "Equal", "Compare",
            "LessThan", "GreaterThan", "Truncate", "Round", "In", "Seconds", "Minutes",
        ]  # fmt: skip
        receiver = self.pick(receivers)
        chain = "".join("." + self.pick(fields) for _ in range(self.r.randint(1, 2)))
        args = ""
        method = chain.rsplit(".", 1)[-1]
        if method in ("Format",):
            args = " " + go_literal(self.pick(LAYOUTS))
        elif method == "AddDate":
            args = " " + " ".join(self.pick(SMALL_INTS) for _ in range(3))
        elif method in ("Before", "Equal", "Sub"):
            args = " " + self.pick(TIMES)
        elif method in ("Compare", "LessThan", "GreaterThan"):
            args = " " + self.pick(['(semver "1.2.3")', '(semver "3.0.0")', "nil", TIMES[0]])
        elif method in ("Add", "Truncate", "Round"):
            args = " " + self.pick(["3600000000000", "(int64 60)", "1", "-1", '"1h"'])
        elif method == "In":
            args = " " + self.pick(["nil", '(toDate "2006" "2020").Location'])
        if (
            receiver.startswith((".", "$"))
            and not receiver.startswith("(")
            and receiver not in (".", "$")
        ):
            expression = receiver + chain + args
        else:
            expression = (
                "(" + receiver + ")" + chain + args
                if receiver not in (".", "$")
                else receiver + chain + args
            )
        shape = self.r.random()
        if shape < 0.5:
            return "{{ " + expression + " }}"
        if shape < 0.8:
            return '{{ printf "%T %v" (' + expression + ") (" + expression + ") }}"
        return "{{ with " + receiver + " }}{{ " + chain + args + " }}{{ end }}"

    def case_realistic(self) -> str:
        return self.pick(REALISTIC)(self)

    def case_syntax(self) -> str:
        source = self.pick([self.case_control, self.case_pipelines, self.case_calls])()
        mutation = self.r.random()
        position = self.r.randrange(len(source) + 1)
        if mutation < 0.35:
            return source[:position] + source[position + 1 :]
        if mutation < 0.75:
            token = self.pick(["{{", "}}", "(", ")", "|", "$", "{{end}}", "{{else}}", ":=", "=",
                               ".", ",", "'", '"', "`", "{{ if }}", "{{ range }}", "$undefined",
                               "{{break}}", "{{continue}}", "{{ define \"x\" }}", "{{/*", "*/}}",
                               "nil", "..", ".Params.", " 1x ", "@", "{{- -}}", "{{-1}}", "\\"])  # fmt: skip
            return source[:position] + token + source[position:]
        return source[:position]


def _small_literal(literal: str) -> bool:
    """Whether a number literal is small enough to size an allocation (``repeat``): Go
    would really build gigabytes for ``repeat 1e9``, which only the limits tests may do."""
    from mittnite.golang.strconv import NumError, parse_float, parse_int

    text = literal.replace("_", "")
    try:
        return abs(parse_int(text, 0, 64)) <= 10000
    except NumError:
        pass
    try:
        return abs(parse_float(text)) <= 10000
    except NumError:
        return True  # not a number: a parse or type error, no allocation


def _signatures() -> dict[str, tuple[list[str], bool]]:
    """Parameter types of every sprig function, from our own declarations."""
    from mittnite.gotemplate.sprig import build_funcs

    return {
        name: ([p.name for p in function.params], function.variadic)
        for name, function in build_funcs().items()
    }


# --- realistic templates -------------------------------------------------------------------


def _nginx(g: Generator) -> str:
    return (
        '# generated for {{ .Env.USER | default "nobody" }}\n'
        "server {\n"
        "  listen {{ .Params.port | default 8080 }};\n"
        '  server_name {{ .Params.domain | default "localhost" }}{{ range .Params.tags }} {{ . }}.example.com{{ end }};\n'
        "{{- range $i, $u := .Params.upstreams }}\n"
        "  # upstream {{ add1 $i }}\n"
        "  proxy_pass http://{{ $u }};\n"
        "{{- end }}\n"
        "{{- if " + g.condition([]) + " }}\n  gzip on;\n{{- end }}\n"
        "  workers {{ .Params.workers | default "
        + g.pick(SMALL_INTS)
        + " | "
        + g.pick(["int", "add1", "toString", "quote", "mul 2"])
        + " }};\n"
        "}\n"
    )


def _envfile(g: Generator) -> str:
    key = g.pick(["PORT", "HOME", "DECIMAL", "EMPTY", "NOPE", "WEIRD"])
    return (
        "{{- range $k, $v := .Env }}\n{{ $k }}={{ $v | quote }}{{ end }}\n"
        'APP_{{ .Params.name | default "app" | upper | replace "-" "_" }}=1\n'
        "PORT_PLUS={{ add (.Env." + key + ' | default "0") ' + g.pick(INTS[:12]) + " }}\n"
        "INT={{ int .Env." + key + " }} F={{ float64 .Env." + key + " }}\n"
    )


def _yaml(g: Generator) -> str:
    return (
        "app:\n"
        '  name: {{ .Params.name | default "demo" | quote }}\n'
        "  replicas: {{ .Params.replicas | default 1 }}\n"
        "  ratio: {{ .Params.ratio | default 0.5 | "
        + g.pick(["mulf 100", "round 1", "floor", "ceil", "toString", 'printf "%.1f"'])
        + " }}\n"
        "  tags:\n{{- range .Params.tags | uniq | sortAlpha }}\n    - {{ . }}\n{{- else }} []{{ end }}\n"
        '  config:\n{{ toYamlish . | default "" | indent 4 }}\n'.replace(
            "toYamlish .",
            g.pick(
                [
                    ".Params.multiline",
                    "(toPrettyJson .Params.nested)",
                    '"a: 1\\nb: 2"',
                    '(join "\\n" .Params.tags)',
                ]
            ),
        )
        + '  labels: {{ dict "app" (.Params.name | default "x") "tier" '
        + go_literal(g.pick(TEXTS[:10]))
        + " | toJson }}\n"
    )


def _json_config(g: Generator) -> str:
    return (
        '{{- $cfg := dict "name" (.Params.name | default "svc") "port" (.Params.port | default 80) -}}\n'
        '{{- $_ := set $cfg "debug" (' + g.condition([]) + ") -}}\n"
        '{{- if .Params.servers }}{{ $_ := set $cfg "servers" (pluck "host" '
        + g.pick(["(index .Params.servers 0)", ".Params.nested", '(dict "host" "h")'])
        + ") }}{{ end -}}\n"
        "{{ " + g.pick(["toPrettyJson", "toJson", "toRawJson", "mustToPrettyJson"]) + " $cfg }}\n"
    )


def _ini(g: Generator) -> str:
    section = g.pick(["database", "server", "Cache", "x y"])
    return (
        "[" + section + "]\n"
        '{{- with .Params.db }}\nhost = {{ .host | default "localhost" }}\nport = {{ .port }}\n{{- else }}\nhost = none\n{{- end }}\n'
        '{{- range $k, $v := .Params.features }}\n{{ $k }} = {{ ternary "on" "off" $v }}{{ end }}\n'
        "{{- range $k, $v := index .Params "
        + go_literal(g.pick(["nested", "features", "db", "missing"]))
        + " }}\n{{ $k }} = {{ $v }}{{ end }}\n"
        "timeout = {{ "
        + g.pick(
            [
                '"30s" | durationRound',
                "duration 90",
                "div 120 7",
                '"1e3" | int',
                ".Params.decimal | int",
                "float64 .Params.half | ceil",
                '"2.5" | add1',
                "int64 .Params.decimal",
                "atoi .Params.decimal",
            ]
        )
        + " }}\n"
    )


def _hosts(g: Generator) -> str:
    return (
        "{{- range $i, $s := .Params.servers }}\n"
        "{{ $s.host }}\t{{ $s.name }}{{ if eq $i 0 }} primary{{ end }} # port {{ $s.port | "
        + g.pick(["add 1000", "toString", 'printf "%05d"', "int64", "mul 2", "sub 1", "float64"])
        + " }}\n"
        "{{- end }}\n"
        "{{ regexReplaceAll "
        + go_literal(g.pick(PATTERNS[:20]))
        + " "
        + g.string_value(1)
        + " "
        + go_literal(g.pick(REPLACEMENTS))
        + " }}\n"
    )


def _script(g: Generator) -> str:
    return (
        "#!/bin/sh\n"
        "{{- $args := list "
        + " ".join(g.string_literal() for _ in range(g.r.randint(0, 3)))
        + " }}\n"
        "exec /usr/bin/app {{ range $args }}{{ . | squote }} {{ end }}\\\n"
        '  --name={{ .Params.name | default (.Env.USER | default "x") | '
        + g.pick(
            [
                "kebabcase",
                "snakecase",
                "camelcase",
                "lower",
                "title",
                "swapcase",
                "untitle",
                "initials",
                "nospace",
                "abbrev 5",
                "wrap 5",
                "trunc 3",
                "substr 1 4",
            ]
        )
        + " }} \\\n"
        '  --version={{ semver (.Params.version | default "1.0.0") | '
        + g.pick(["toString", 'printf "%v"', 'printf "%s"'])
        + " }}\n"
    )


def _math_report(g: Generator) -> str:
    a = g.pick(
        INTS[:14]
        + FLOATS[:10]
        + [go_literal(s) for s in NUMERIC_STRINGS[:20]]
        + [
            ".Params.decimal",
            ".Params.half",
            ".Params.sci",
            ".Params.lead",
            ".Params.hex",
            ".Params.under",
            ".Params.ratio",
            ".Params.big",
        ]
    )
    b = g.pick(
        INTS[:14]
        + FLOATS[:10]
        + [go_literal(s) for s in NUMERIC_STRINGS[:20]]
        + [".Params.port", ".Params.neg"]
    )
    op = g.pick(
        [
            "add",
            "sub",
            "mul",
            "div",
            "mod",
            "max",
            "min",
            "addf",
            "subf",
            "mulf",
            "divf",
            "maxf",
            "minf",
        ]
    )
    return (
        "{{ $a := " + a + " }}{{ $b := " + b + " }}\n"
        "{{ "
        + op
        + " $a $b }} | int={{ int $a }} int64={{ int64 $a }} float64={{ float64 $a }} add1={{ add1 $a }} toDecimal={{ toDecimal $a }}\n"
        '{{ printf "%v %T" (' + op + " $b $a) (" + op + " $b $a) }}\n"
    )


def _dates(g: Generator) -> str:
    return (
        "{{ $t := " + g.pick(TIMES) + " }}"
        "{{ $t.Format "
        + go_literal(g.pick(LAYOUTS))
        + " }} | {{ date "
        + go_literal(g.pick(LAYOUTS))
        + " $t }} | "
        "{{ dateInZone "
        + go_literal(g.pick(LAYOUTS))
        + " $t "
        + go_literal(g.pick(ZONES))
        + " }} | {{ $t.Location }} | "
        "{{ unixEpoch $t }} | {{ $t."
        + g.pick(
            [
                "Year",
                "Month",
                "Weekday",
                "YearDay",
                "Unix",
                "UTC",
                "Local",
                "IsZero",
                "Nanosecond",
                "String",
            ]
        )
        + " }}"
    )


def _semver_gate(g: Generator) -> str:
    return (
        "{{ $v := semver " + go_literal(g.pick(VERSIONS)) + " }}"
        "{{ $v.Major }}.{{ $v.Minor }}.{{ $v.Patch }} pre={{ $v.Prerelease }} meta={{ $v.Metadata }} "
        "{{ if semverCompare "
        + go_literal(g.pick(CONSTRAINTS))
        + " "
        + go_literal(g.pick(VERSIONS))
        + " }}yes{{ else }}no{{ end }} "
        "{{ ($v." + g.pick(["IncMajor", "IncMinor", "IncPatch"]) + ").String }} {{ $v.Original }}"
    )


def _strings_report(g: Generator) -> str:
    s = g.string_value(1)
    fns = ["camelcase", "snakecase", "kebabcase", "title", "untitle", "swapcase", "initials",
           "upper", "lower", "trim", "nospace", "quote", "squote", "b64enc", "b32enc", "abbrev 6",
           "trunc 4", "trunc -4", "substr 1 3", "wrap 6", "wrapWith 4 \"|\"", "indent 2",
           "nindent 2", "replace \"a\" \"b\"", "trimAll \"-_ \"", "trimPrefix \"f\"",
           "trimSuffix \"r\"", "plural \"one\" \"many\"", "repeat 2", "toString", "len",
           "splitList \"_\"", "regexQuoteMeta", "cat \"x\"", "contains \"o\"", "hasPrefix \"F\"",
           "shellquote"]  # fmt: skip
    chosen = [g.pick(fns) for _ in range(3)]
    chosen = [c if c != "shellquote" else "quote" for c in chosen]
    if "plural" in chosen[0]:
        chosen[0] = "upper"
    return "{{ $s := " + s + " }}" + " ".join("{{ $s | " + c + " }}" for c in chosen)


def _lists_report(g: Generator) -> str:
    lst = g.list_value(1)
    fns = ["first", "last", "rest", "initial", "reverse", "uniq", "compact", "sortAlpha",
           "toStrings", "len", "join \",\"", "has 1", "has \"a\"", "without 1", "append 9",
           "prepend 0", "concat (list 7)", "slice 1", "slice 0 2", "chunk 2", "mustFirst",
           "mustLast", "mustRest", "toJson", "empty", "deepCopy", "typeOf", "kindOf", "min 0",
           "max 0", "index 0"]  # fmt: skip
    chosen = [g.pick(fns) for _ in range(3)]
    fixed = []
    for c in chosen:
        if c in ("min 0", "max 0"):
            fixed.append(c.split()[0] + " 0 (len $l)")
        elif c == "index 0":
            fixed.append("len")
        elif c.startswith(
            ("has", "without", "append", "prepend", "slice", "chunk", "join", "concat")
        ):
            fixed.append(c)
        else:
            fixed.append(c)
    parts = []
    for c in fixed:
        if c.startswith(("has ", "without ", "join ")):
            name, arg = c.split(" ", 1)
            parts.append(
                "{{ " + name + " $l " + arg + " }}"
                if name != "join"
                else "{{ join " + arg + " $l }}"
            )
        elif c.startswith(("append", "prepend")):
            name, arg = c.split(" ", 1)
            parts.append("{{ " + name + " $l " + arg + " }}")
        elif c.startswith(("slice", "chunk", "concat")):
            name, arg = c.split(" ", 1)
            parts.append(
                "{{ " + name + " $l " + arg + " }}"
                if name != "chunk"
                else "{{ chunk " + arg + " $l }}"
            )
        elif " (len $l)" in c:
            parts.append("{{ " + c + " }}")
        else:
            parts.append("{{ $l | " + c + " }}")
    return "{{ $l := " + lst + " }}" + " ".join(parts)


def _dicts_report(g: Generator) -> str:
    a = g.map_value(1)
    b = g.map_value(1)
    op = g.pick(["merge", "mergeOverwrite", "mustMerge", "mustMergeOverwrite"])
    return (
        "{{ $a := deepCopy " + a + " }}{{ $b := " + b + " }}"
        "{{ $m := "
        + op
        + " $a $b }}{{ $m | toJson }} {{ keys $m | sortAlpha }} {{ values $m | len }} "
        '{{ hasKey $m "a" }} {{ get $m "name" }} {{ dig "k" "n" "def" $m }} {{ pick $m "a" "x" | toJson }} {{ omit $m "a" | toJson }}'
    )


def _regex_report(g: Generator) -> str:
    pattern = go_literal(g.pick(PATTERNS))
    s = g.string_value(1)
    return (
        "{{ $p := " + pattern + " }}{{ $s := " + s + " }}"
        "{{ regexMatch $p $s }}|{{ regexFind $p $s }}|{{ regexFindAll $p $s -1 | toJson }}|"
        "{{ regexSplit $p $s "
        + g.pick(["-1", "2", "0"])
        + " | toJson }}|{{ regexReplaceAll $p $s "
        + go_literal(g.pick(REPLACEMENTS))
        + " }}|"
        '{{ regexReplaceAllLiteral $p $s "$1" }}'
    )


def _conversions(g: Generator) -> str:
    v = g.pick(
        [go_literal(s) for s in NUMERIC_STRINGS]
        + INTS
        + FLOATS
        + [
            "true",
            "nil",
            ".Params.ratio",
            ".Params.big",
            ".Params.huge",
            "(list 1)",
            ".Env.DECIMAL",
        ]
    )
    return (
        "{{ $v := " + v + " }}"
        "int={{ int $v }} int64={{ int64 $v }} float64={{ float64 $v }} add={{ add $v 1 }} "
        "add1={{ add1 $v }} sub={{ sub 10 $v }} mul={{ mul $v 2 }} div={{ div 10 $v }} mod={{ mod 10 $v }} "
        "max={{ max $v 0 }} min={{ min $v 0 }} addf={{ addf $v 1 }} floor={{ floor $v }} ceil={{ ceil $v }} round={{ round $v 1 }} "
        "atoi={{ atoi (toString $v) }} toString={{ toString $v }} toDecimal={{ toDecimal $v }} seq={{ seq (int $v | min 5 | max -5) }}"
    )


REALISTIC: list[Callable[[Generator], str]] = [
    _nginx, _envfile, _yaml, _json_config, _ini, _hosts, _script, _math_report, _dates,
    _semver_gate, _strings_report, _lists_report, _dicts_report, _regex_report, _conversions,
    _math_report, _conversions,
]  # fmt: skip

FAMILIES: dict[str, tuple[Callable[[Generator], str], int]] = {
    "calls": (Generator.case_calls, 11000),
    "fields": (Generator.case_fields, 2000),
    "pipelines": (Generator.case_pipelines, 4000),
    "printf": (Generator.case_printf, 4000),
    "control": (Generator.case_control, 4500),
    "realistic": (Generator.case_realistic, 4000),
    "literals": (Generator.case_literals, 1500),
    "syntax": (Generator.case_syntax, 2500),
}
"""Family -> (case builder, number of cases recorded at scale 1)."""


def generate(family: str, count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` cases of ``family``: ``{"template", "params", "name"}`` (indexes into
    ``fixtures.PARAMS`` and ``fixtures.TEMPLATE_NAMES``)."""
    builder, _ = FAMILIES[family]
    generator = Generator(seed)
    cases = []
    seen = set()
    attempts = 0
    while len(cases) < count and attempts < count * 5:
        attempts += 1
        template = builder(generator)
        params = generator.r.choices([0, 1, 2], weights=[75, 13, 12])[0]
        if family == "realistic":
            params = generator.r.choices([0, 1, 2], weights=[50, 40, 10])[0]
        name = generator.r.choices([0, 1, 2], weights=[90, 7, 3])[0]
        key = (template, params, name)
        if key in seen:
            continue
        seen.add(key)
        cases.append({"template": template, "params": params, "name": name})
    return cases


# --- recording -----------------------------------------------------------------------------


_ADDRESS = re.compile(
    r"0xc[0-9a-f]{9}|\b82[4-8][0-9]{9}\b|\b0?1400[0-7]{10}\b|\b110000000[01]{31}\b"
    r"|8fc440|8FC440|9421888|43742100|100011111100010001000000"
)
"""Heap addresses (0xc000... in hex, decimal, octal or binary) and tplref's static
address of ``time.Local``, printed for a pointer with %v/%x/%d/%o/%b: specific to one Go
binary and run."""
MAX_OUTPUT = 3000
"""Cases whose output is longer are not recorded (they add size, not coverage)."""


def keep(case: dict[str, Any], output: str, error: str | None) -> bool:
    """Whether a Go answer is worth recording as a vector.

    Dropped: long outputs; errors in which Go applied the ``%`` of a template name to the
    message's arguments (it prints node and error structs, pointer addresses included); and
    answers where the release (Go 1.26) differs from ``tplref``'s Go 1.19 by design:
    ``range`` over an integer (Go 1.22+ iterates).
    """
    if len(output) > MAX_OUTPUT:
        return False
    if _ADDRESS.search(output) or (error is not None and _ADDRESS.search(error)):
        return False  # a heap address (a pointer printed with %v, %x, %d): not reproducible
    if error is not None and "%" in TEMPLATE_NAMES[case["name"]] and "%!" in error:
        return False  # Go formats the name's "%b" with the error's arguments, pointers too
    return not (error is not None and "range can't iterate over" in error and _int_ranged(error))


def _int_ranged(error: str) -> bool:
    subject = error.rsplit("range can't iterate over ", 1)[-1]
    return subject.lstrip("-").isdigit()


def record(tplref: str, scale: float, families: list[str]) -> None:
    from .oracle import run_tplref

    DATA.mkdir(exist_ok=True)
    for family in families:
        _, count = FAMILIES[family]
        cases = generate(family, max(1, int(count * scale)), seed=_seed(family))
        answers = run_tplref(tplref, cases, repeat=2)
        rows = []
        dropped = 0
        for case, answer in zip(cases, answers, strict=True):
            if answer is None or not keep(case, *answer):
                dropped += 1
                continue
            output, error = answer
            rows.append([case["template"], case["params"], case["name"], output, error])
        payload = {"family": family, "generator": "generate.py", "cases": rows}
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        (DATA / f"{family}.json.gz").write_bytes(gzip.compress(data, 9, mtime=0))
        print(f"{family}: {len(rows)} recorded, {dropped} dropped", file=sys.stderr)


def _seed(family: str) -> int:
    return sum(ord(char) * (index + 1) for index, char in enumerate(family))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tplref", default=os.environ.get("TPLREF", DEFAULT_TPLREF))
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("families", nargs="*", default=list(FAMILIES))
    options = parser.parse_args(argv)
    record(options.tplref, options.scale, options.families)


if __name__ == "__main__":
    main()
