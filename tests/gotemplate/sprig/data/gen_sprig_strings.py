"""Record Go's answers for the string, encoding and regexp tests (development only).

Writes, next to this script:

* ``sprig_strings.json``, ``sprig_encoding.json``, ``sprig_regex.json``:
  templates rendered by the Go oracle ``tplref`` (text/template + sprig; see
  ``shared/oracle/README.md``) with their exact output and error;
* ``goregexp.json``: Go's ``regexp`` package itself (compile errors, the
  ``MustCompile`` panic, submatch indexes, ``ReplaceAllString``,
  ``ReplaceAllLiteralString``, ``Split``) for patterns and subjects, from a
  small Go program built here with the local Go toolchain.

Outputs are exact bytes: the batch oracle's JSON cannot carry invalid UTF-8,
so every case whose answer contains U+FFFD is re-run one by one, and bytes are
stored as text with surrogate escapes (JSON ``\\udcXX``), the template
engine's representation of Go bytes.

Known oracle difference: ``tplref`` uses sprig 3.2.3, mittnite ships 3.3.0.
``sha512sum`` (3.3.0 only) is recorded from Go's ``crypto/sha512`` instead,
and ``camelcase`` cases are kept only where both versions agree (3.3.0 no
longer lower-cases the rest of each word; ``test_sprig_strings.py`` covers
that change separately).

Usage: ``python gen_sprig_strings.py`` (env ``TPLREF`` for the oracle
binary, default the release build ``/work/shared/reference/bin/tplref``; ``GO`` for the go command).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
TPLREF = os.environ.get("TPLREF", "/work/shared/reference/bin/tplref")
GO = os.environ.get("GO", "go")
NAME = "t"
SEED = 20240611

PARAMS: dict[str, Any] = {
    "s": "Hello World",
    "n": 42,
    "f": 1.5,
    "b": True,
    "list": ["a", "b", "c"],
    "nums": [3, 1, 2],
    "mixed": [1, None, "x", 2.5, True],
    "nested": {"inner": "x", "n": 1},
    "empty": "",
    "csv": "a,b,,c",
    "spaced": "  padded \t\n",
}


def go_quote(text: str) -> str:
    """A Go string literal for ``text`` (surrogate escapes become ``\\xNN``)."""
    out = ['"']
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


# ---- the oracle ---------------------------------------------------------------------------


def run_batch(templates: list[str]) -> list[tuple[str, str | None]]:
    cases = [{"name": NAME, "template": t, "params": PARAMS} for t in templates]
    proc = subprocess.run(
        [TPLREF, "-batch"], input=json.dumps(cases), capture_output=True, text=True, check=True
    )
    return [(item["output"], item["error"]) for item in json.loads(proc.stdout)]


def run_single(template: str, workdir: Path) -> tuple[str, str | None]:
    """One case through ``tplref TEMPLATE PARAMS``: raw bytes on stdout/stderr."""
    (workdir / "t.tpl").write_bytes(template.encode("utf-8", "surrogateescape"))
    (workdir / "p.json").write_text(json.dumps(PARAMS))
    proc = subprocess.run(
        [TPLREF, "-name", NAME, str(workdir / "t.tpl"), str(workdir / "p.json")],
        capture_output=True,
        check=False,
    )
    output = proc.stdout.decode("utf-8", "surrogateescape")
    if proc.returncode == 0:
        return output, None
    if proc.returncode != 1:
        raise RuntimeError(proc.stderr)
    return output, proc.stderr.decode("utf-8", "surrogateescape").rstrip("\n")


def record(templates: list[str]) -> list[dict[str, Any]]:
    answers = run_batch(templates)
    cases = []
    with tempfile.TemporaryDirectory() as tmp:
        for template, (output, error) in zip(templates, answers, strict=True):
            if "\ufffd" in output or (error and "\ufffd" in error):
                output, error = run_single(template, Path(tmp))
            cases.append({"template": template, "output": output, "error": error})
    return cases


def write(name: str, cases: list[dict[str, Any]], note: str) -> None:
    head = json.dumps({"note": note, "template_name": NAME, "params": PARAMS})[:-1]
    lines = ",\n".join(json.dumps(case) for case in cases)
    (HERE / name).write_text(f'{head}, "cases": [\n{lines}\n]}}\n', "utf-8")
    print(f"{name}: {len(cases)} cases", file=sys.stderr)


# ---- strings ------------------------------------------------------------------------------

PIECES = [
    "a", "B", "z", " ", "  ", "\t", "\n", "é", "É", "ǅ", "ǆ", "Ǉ", "ß", "İ", "ı", "ﬁ", "ᾀ",
    "Σ", "ς", "µ", "ÿ", "中", "䶵", "あ", "ʰ", "\u0301", "²", "Ⅻ", "\udcff", "\udcc3", "\udca9",
    "\x85", "\xa0", "\u3000", "\u2028", "\ufffd", "_", "-", ".", ",", "/", "+", "x", "hello",
    "World", "HTTP", "Server", "1", "42", "k", "K", '"', "'", "\\", "$",
]  # fmt: skip

ANY_VALUES = [
    "nil", ".Params.missing", "1", "-2", "1.5", "1e21", "true", '"str"', ".Params.list",
    ".Params.nested", ".Params", ".Params.nums", ".Params.mixed", ".Params.f", ".Params.n",
    ".Params.empty", '"\\xff\\n"', "(list)", '(list "b" "a" "B" "é" "\\xff" "" "a")',
    '(list 3 1 nil 2)', '(splitList "," "c,a,b")', '(dict "k" 1)', "(int64 5)",
    "(list (list 1) (dict))", '(b64dec "AP8=")',
]  # fmt: skip

STRING_SIGNATURES = {
    "abbrev": "is", "abbrevboth": "iis", "trunc": "is", "trim": "s", "upper": "s", "lower": "s",
    "title": "s", "untitle": "s", "substr": "iis", "repeat": "is", "trimall": "ss",
    "trimAll": "ss", "trimSuffix": "ss", "trimPrefix": "ss", "nospace": "s", "initials": "s",
    "swapcase": "s", "snakecase": "s", "kebabcase": "s", "wrap": "is", "wrapWith": "iss",
    "contains": "ss", "hasPrefix": "ss", "hasSuffix": "ss", "indent": "is", "nindent": "is",
    "replace": "sss", "plural": "ssi", "split": "ss", "splitList": "ss", "splitn": "sis",
    "join": "sa", "toString": "a", "toStrings": "a", "sortAlpha": "a", "quote": "*",
    "squote": "*", "cat": "*",
}  # fmt: skip

CURATED_STRINGS = [
    # the documented examples
    '{{ trim "   hello    " }}', '{{ trimAll "$" "$5.00" }}', '{{ trimSuffix "-" "hello-" }}',
    '{{ trimPrefix "-" "-hello" }}', '{{ upper "hello" }}', '{{ lower "HELLO" }}',
    '{{ title "hello world" }}', '{{ untitle "Hello World" }}', '{{ repeat 3 "hello" }}',
    '{{ substr 0 5 "hello world" }}', '{{ nospace "hello w o r l d" }}',
    '{{ trunc 5 "hello world" }}', '{{ trunc -5 "hello world" }}',
    '{{ abbrev 5 "hello world" }}', '{{ abbrevboth 5 10 "1234 5678 9123" }}',
    '{{ initials "First Try" }}', '{{ randAlpha 0 }}', '{{ randAlphaNum -1 }}',
    '{{ wrap 80 "a b" }}', '{{ wrapWith 5 "\\t" "Hello World" }}', '{{ contains "cat" "catch" }}',
    '{{ hasPrefix "cat" "catch" }}', '{{ hasSuffix "cat" "catch" }}',
    '{{ cat "hello" "beautiful" "world" }}', '{{ indent 4 "a\\nb" }}', '{{ nindent 4 "a\\nb" }}',
    '{{ "I Am Henry VIII" | replace " " "-" }}', '{{ len .Params.list | plural "one anchovy" "many anchovies" }}',
    '{{ snakecase "FirstName" }}', '{{ camelcase "http_server" }}', '{{ kebabcase "FirstName" }}',
    '{{ swapcase "This Is A.Test" }}', '{{ shuffle "" }}', '{{ hello }}',
    '{{ $a := split "$" "foo$bar$baz" }}{{ $a._0 }}{{ $a._2 }}', '{{ splitList "$" "foo$bar$baz" }}',
    '{{ $a := splitn "$" 2 "foo$bar$baz" }}{{ $a._0 }}|{{ $a._1 }}', '{{ sortAlpha (list "b" "a") }}',
    '{{ toStrings (list 1 2 3) | printf "%T %q" }}', '{{ join "_" (list "a" "b" "c") }}',
    '{{ quote "a" 1 nil .Params.missing }}', '{{ squote "a" 1 nil }}',
    # bounds, panics and conversions
    '{{ substr 3 1 "hello" }}', '{{ substr -1 9 "hello" }}', '{{ substr -2 -1 "hello" }}',
    '{{ substr 9 12 "hello" }}', '{{ substr 2 -1 "hello" }}', '{{ substr 5 5 "hello" }}',
    '{{ repeat -1 "x" }}', '{{ indent -1 "x" }}', '{{ nindent -3 "x" }}',
    '{{ upper 1 }}', '{{ upper .Params.list }}', '{{ upper .Params.missing }}', '{{ upper nil }}',
    '{{ trunc "1" "x" }}', '{{ trunc 1.0 "xyz" }}', '{{ trunc 1.5 "xyz" }}', '{{ trunc .Params.f "xyz" }}',
    '{{ plural "a" "b" .Params.n }}', '{{ plural "a" "b" (int64 1) }}',
    '{{ abbrev 5 }}', '{{ join }}', '{{ cat }}|{{ quote }}|{{ squote }}',
    '{{ toString .Params.mixed }}', '{{ toString .Params.nested }}', '{{ toString 1e21 }}',
    '{{ .Params.s | upper | repeat 2 | lower | trunc 7 | quote }}',
    '{{ "héllo" | upper | len }}', '{{ substr 0 2 "é" | len }}', '{{ substr 0 1 "é" | printf "%q" }}',
    '{{ trunc 1 "中" | printf "%q" }}', '{{ abbrev 4 "ééééé" | printf "%q" }}',
    '{{ replace "" "-" "a\\xffé" | printf "%q" }}', '{{ repeat 2 "\\xa9é\\xc3" | printf "%q" }}',
    '{{ join "\\xa9" (list "\\xc3" "x") | printf "%q" }}', '{{ splitList "" "a\\xffb\\xfe" | printf "%q" }}',
    '{{ printf "%T" (split "," "a,b") }}', '{{ printf "%T" (splitList "," "a") }}',
    '{{ (split "," .Params.csv)._3 }}', '{{ splitn "," 0 .Params.csv }}', '{{ splitn "," -1 .Params.csv }}',
    '{{ trim .Params.spaced | printf "%q" }}', '{{ nospace .Params.spaced | printf "%q" }}',
    '{{ sortAlpha nil }}', '{{ sortAlpha 3 }}', '{{ sortAlpha .Params }}', '{{ sortAlpha .Params.missing }}',
    '{{ toStrings nil | printf "%#v" }}', '{{ toStrings .Params.mixed | printf "%q" }}',
    '{{ join "," .Params.mixed }}', '{{ join "," .Params.nested }}', '{{ join "," 7 }}',
]  # fmt: skip


def camel_stable(text: str) -> bool:
    """Whether sprig 3.2.3's ``camelcase`` agrees with 3.3.0 on ``text``.

    3.2.3 lower-cases every rune not following a connector; that is the
    identity unless the text has letters with a lower-case mapping.
    """
    return all(char.lower() == char or len(char.lower()) != 1 for char in text) and "İ" not in text


CATEGORY_PROGRAM = """package main

import (
	"encoding/json"
	"os"
	"unicode"
)

func main() {
	var in []rune
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		panic(err)
	}
	out := []string{}
	for _, r := range in {
		name := "Cn"
		for cat, table := range unicode.Categories {
			if len(cat) == 2 && unicode.Is(table, r) {
				name = cat
			}
		}
		out = append(out, name)
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
"""


def stable_runes(codes: range) -> list[int]:
    """The code points (no surrogates) whose general category Go and Python agree on."""
    import unicodedata

    wanted = [c for c in codes if not 0xD800 <= c <= 0xDFFF]
    go_categories = json.loads(run_go(CATEGORY_PROGRAM, json.dumps(wanted)))
    return [
        code
        for code, category in zip(wanted, go_categories, strict=True)
        if unicodedata.category(chr(code)) == category
    ]


def random_string(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 6)))


def random_call(rng: random.Random, name: str) -> str:
    args = []
    for kind in STRING_SIGNATURES[name]:
        if kind == "i":
            args.append(str(rng.randint(-3, 14)))
        elif kind == "s":
            args.append(go_quote(random_string(rng)))
        elif kind == "a":
            args.append(rng.choice(ANY_VALUES))
        else:
            count = rng.randint(0, 4)
            args += [rng.choice([*ANY_VALUES, go_quote(random_string(rng))]) for _ in range(count)]
    return f'{{{{ {name} {" ".join(args)} | printf "%q" }}}}'


def strings_templates(rng: random.Random) -> list[str]:
    templates = list(CURATED_STRINGS)
    names = sorted(STRING_SIGNATURES)
    for name in names:
        templates += [random_call(rng, name) for _ in range(40)]
    camel_inputs = [random_string(rng) for _ in range(400)]
    templates += [
        f'{{{{ camelcase {go_quote(text)} | printf "%q" }}}}'
        for text in camel_inputs
        if camel_stable(text)
    ]
    # a sample of all runes through the Unicode-sensitive functions (only runes
    # whose category Go 1.19's Unicode 13 and Python's unicodedata agree on)
    codes = stable_runes(range(0x20, 0x30000, 7))
    chunks = ["".join(chr(c) for c in codes[i : i + 200]) for i in range(0, len(codes), 200)]
    for name in ("upper", "lower", "title", "swapcase", "untitle", "snakecase", "trim"):
        templates += [f'{{{{ {name} {go_quote(chunk)} | printf "%q" }}}}' for chunk in chunks[::9]]
    return templates


# ---- encoding -----------------------------------------------------------------------------


def encoding_templates(rng: random.Random) -> list[str]:
    templates = [
        '{{ b64enc "hello" }}', '{{ b64dec "aGVsbG8=" }}', '{{ b32enc "hello" }}',
        '{{ b32dec "NBSWY3DP" }}', '{{ b64dec "a" }}', '{{ b64dec "aGVsbG8" }}',
        '{{ b64dec "aGVs\\nbG8=" }}', '{{ b64dec "aGVsbG8=x" }}', '{{ b64dec "aGVsbG8==" }}',
        '{{ b64dec "=" }}', '{{ b64dec "" }}', '{{ b32dec "NBUQ" }}', '{{ b32dec "MY======MY" }}',
        '{{ b32dec "my======" }}', '{{ b32dec "M=======" }}', '{{ b32dec "\\r\\nMY======" }}',
        '{{ sha1sum "" }}', '{{ sha256sum "" }}', '{{ adler32sum "" }}', '{{ sha1sum "x" }}',
        '{{ b64enc 1 }}', '{{ b64dec nil }}', '{{ b64dec "AP8=" | printf "%q" }}',
        '{{ .Params.s | b64enc | b64dec }}', '{{ .Params.s | b32enc | b32dec }}',
    ]  # fmt: skip
    b64 = [*"ABCDEFabcz0189+/", "=", "==", "\n", "\r", "!", " ", "-", "_", "é", "\udcff"]
    b64 += ["QUJD", "aGVsbG8=", "===="]
    b32 = [*"ABCDMNYZ234567a", "=", "======", "\n", "\r", "1", "8", "MY======"]
    b32 += ["NBUQ====", " ", "é"]
    for _ in range(500):
        text = "".join(rng.choice(b64) for _ in range(rng.randint(0, 14)))
        templates.append(f'{{{{ b64dec {go_quote(text)} | printf "%q" }}}}')
        text = "".join(rng.choice(b32) for _ in range(rng.randint(0, 20)))
        templates.append(f'{{{{ b32dec {go_quote(text)} | printf "%q" }}}}')
    for _ in range(80):
        text = random_string(rng)
        for name in ("b64enc", "b32enc", "sha1sum", "sha256sum", "adler32sum"):
            templates.append(f"{{{{ {name} {go_quote(text)} }}}}")
        templates.append(f'{{{{ {go_quote(text)} | b64enc | b64dec | printf "%q" }}}}')
        templates.append(f'{{{{ {go_quote(text)} | b32enc | b32dec | printf "%q" }}}}')
    return templates


SHA512_PROGRAM = """package main

import (
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"os"
)

func main() {
	var in []string
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		panic(err)
	}
	var out []string
	for _, h := range in {
		b, _ := hex.DecodeString(h)
		sum := sha512.Sum512(b)
		out = append(out, hex.EncodeToString(sum[:]))
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
"""


def run_go(program: str, stdin: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "main.go"
        source.write_text(program)
        proc = subprocess.run(
            [GO, "run", str(source)],
            input=stdin,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "GO111MODULE": "off", "GOFLAGS": ""},
        )
        return proc.stdout


def sha512_cases(rng: random.Random) -> list[dict[str, Any]]:
    texts = ["", "x", "hello", "\udcff\n", *(random_string(rng) for _ in range(40))]
    data = [t.encode("utf-8", "surrogateescape").hex() for t in texts]
    sums = json.loads(run_go(SHA512_PROGRAM, json.dumps(data)))
    return [
        {"template": f"{{{{ sha512sum {go_quote(text)} }}}}", "output": digest, "error": None}
        for text, digest in zip(texts, sums, strict=True)
    ]


# ---- regular expressions -------------------------------------------------------------------

TOKENS = [
    "a", "b", "c", "x", "a", "b", "\n", " ", "é", "K", "k", "s", "ſ", "1", "_", "-", ".", "^",
    "$", "|", "(", ")", "(", ")", "(?:", "(?i)", "(?m)", "(?s)", "(?U)", "(?i:", "(?P<n>",
    "(?P<m>", "*", "+", "?", "*?", "+?", "??", "{2}", "{1,2}", "{0,}", "{,2}", "{2,1}", "{0}",
    "[", "]", "[^", "\\d", "\\w", "\\s", "\\W", "\\S", "\\D", "\\b", "\\B", "\\A", "\\z",
    "\\pL", "\\p{Lu}", "\\PL", "\\p{Greek}", "[:alpha:]", "[:^space:]", "\\Q", "\\E", "\\x41",
    "\\x{e9}", "\\n", "\\.", "\\", "\\1", "\\pN", "(?-i)", "ab", "abc", "\\x{FFFD}", "\udcff",
    "[a-c]", "[^a]", "[^\\n]", "(a|b)", "(a*)", "(|a)", "()", "\\Z", "(?<n>", "\\C", "\\8",
    "\\0", "\\012", "[[:word:]]", "\\p{^L}", ")*", ")+", "(a*|b)", "(?:a?|b)",
]  # fmt: skip
SUBJECT = "abcxKkſs\n é_1-.AB\udcffΣσς"
REPLACEMENTS = [
    "$1", "${1}x", "$n", "${n}", "$$", "$", "${", "$0", "$2a", "$m", "X", "${0}${1}", "$1x",
    "$10", "$01", "${n", "$é", "",
]  # fmt: skip

CURATED_PATTERNS = [
    "(", ")", "a)", "(?P<n>a)(?P<n>b)", "(?<n>a)", "(?P<1a>x)", "(?P<n", "(?P<>x)", "(?P=n)",
    "(?P", "(?i", "a(?i", "(?)", "(?-)", "(?i-)", "(?--i)", "(?x)", "(?i-m:a)", "**", "a**",
    "a*+?", "a{2}{3}", "a{2}*", "{2}", "a{1001}", "a{2,1}", "a{01}", "a{,5}", "(a{500}){3}",
    "x{1000}", "(x{2}){500}", "(x{2}){501}", "\\8", "\\1", "\\12", "\\0", "\\x{110000}", "\\x1",
    "\\xZZ", "\\C", "\\Q*a", "[a", "[z-a]", "[[:foo:]]", "[[:^alpha:]]", "\\p{Foo}", "\\pZ", "\\p",
    "\\p{Greek", "\\p{^Greek}", "\\p{LC}", "\\p{Cn}", "\\p{Any}", "[]", "[]a]", "[^]a]", "a\\",
    "\\z\\Z", "^*", "(?i)*", "a(?i)*", "|*", "(?:*)", "\\b+", "[a-\\d]", "[\\d-z]", "(?P<n>",
    "(((", "x{2}{,3}", "a\udcffb", "[\udcff]", "(?P<\udcff>)", "\\Q\udcff", "(?i\udcff)",
    "\\p{\udcff}", "(a*|b)*", "(?:a*|b)*", "(a|)*", "(|a)*", "(a*)+", "(a*|b)+", "(?:a?|b)*c",
    "(?:|a)+", "(a*)*b", "(a*){2,}", "(?:a*){2}b", "(a*)*", "(?i)k", "(?i)[k]", "(?i)[^k]",
    "(?i)\\w", "(?i)\\W+", "(?i)ſ", "(?i)[[:upper:]]+", "(?i)\\p{Lu}+", "(?i)Σ", "\\x{FFFD}",
    "[^\\x{FFFD}]", ".", "(?s).", "(?m)^.*$", "^.*$", "$", "(?m)$", "\\b\\w+\\b", "\\B",
    "(?U)a+", "(?U)a+?", "a{2,}?", "[\\p{Greek}\\d]+", "\\PN+", "[[:punct:]]+",
    "(?P<first>\\w+) (?P<last>\\w+)", "(\\w+)@(\\w+)\\.com", "x*", "", "a|b|", "(?i)straße",
    "('.*?'|\".*?\")", "[\\x00-\\x{10FFFF}]", "\\Qa.b\\E+", "(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)",
]  # fmt: skip
DEEP_PATTERNS = [
    "(" * 999 + ")" * 999, "(" * 1000 + ")" * 1000, "(?:" * 1000 + ")" * 1000,
    "(?:" * 998 + "a" + ")*" * 998, "a" + "(?:" * 999 + "a" + ")*" * 999,
]  # fmt: skip
CURATED_SUBJECTS = [
    "", "aab", "b", "K k \u212a ſSs", "John Smith", "x@y.com a@b.com", "one\ntwo\n",
    "é\udcff\ufffd", "ΣσςABC", "-ab-axxb-",
]  # fmt: skip

REGEXP_PROGRAM = """package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"os"
	"regexp"
)

type In struct {
	P string   `json:"p"`
	S []string `json:"s"`
	R []string `json:"r"`
}

type Out struct {
	Err   *string      `json:"err"`
	Panic *string      `json:"panic"`
	Names []string     `json:"names"`
	All   [][][]int    `json:"all"`
	Rep   [][]string   `json:"rep"`
	Lit   [][]string   `json:"lit"`
	Split [][][]string `json:"split"`
}

func h(s string) string { return hex.EncodeToString([]byte(s)) }

func uh(s string) string {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func main() {
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	enc := json.NewEncoder(os.Stdout)
	for sc.Scan() {
		var in In
		if err := json.Unmarshal(sc.Bytes(), &in); err != nil {
			panic(err)
		}
		var out Out
		re, err := regexp.Compile(uh(in.P))
		if err != nil {
			e := h(err.Error())
			out.Err = &e
			func() {
				defer func() {
					p := h(recover().(string))
					out.Panic = &p
				}()
				regexp.MustCompile(uh(in.P))
			}()
			enc.Encode(out)
			continue
		}
		out.Names = []string{}
		for _, n := range re.SubexpNames() {
			out.Names = append(out.Names, h(n))
		}
		for _, s := range in.S {
			s = uh(s)
			all := re.FindAllStringSubmatchIndex(s, -1)
			if all == nil {
				all = [][]int{}
			}
			out.All = append(out.All, all)
			reps, lits := []string{}, []string{}
			for _, r := range in.R {
				reps = append(reps, h(re.ReplaceAllString(s, uh(r))))
				lits = append(lits, h(re.ReplaceAllLiteralString(s, uh(r))))
			}
			out.Rep = append(out.Rep, reps)
			out.Lit = append(out.Lit, lits)
			sp := [][]string{}
			for _, n := range []int{-1, 0, 1, 2, 3} {
				parts := []string{}
				for _, p := range re.Split(s, n) {
					parts = append(parts, h(p))
				}
				sp = append(sp, parts)
			}
			out.Split = append(out.Split, sp)
		}
		enc.Encode(out)
	}
}
"""

SPLIT_LIMITS = [-1, 0, 1, 2, 3]


def _hex(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").hex()


def _unhex(data: str) -> str:
    return bytes.fromhex(data).decode("utf-8", "surrogateescape")


def goregexp_cases(rng: random.Random) -> list[dict[str, Any]]:
    items: list[tuple[str, list[str], list[str]]] = []
    for pattern in CURATED_PATTERNS:
        items.append((pattern, CURATED_SUBJECTS, ["$1", "${n}", "<$0>", "$$", "x"]))
    for pattern in DEEP_PATTERNS:
        items.append((pattern, ["aab"], ["<$0>"]))
    for _ in range(1200):
        pattern = "".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 8)))
        subjects = [
            "".join(rng.choice(SUBJECT) for _ in range(rng.randint(0, 12))) for _ in range(3)
        ]
        items.append((pattern, subjects, rng.sample(REPLACEMENTS, 3)))
    stdin = "".join(
        json.dumps({"p": _hex(p), "s": [_hex(s) for s in ss], "r": [_hex(r) for r in rs]}) + "\n"
        for p, ss, rs in items
    )
    answers = [json.loads(line) for line in run_go(REGEXP_PROGRAM, stdin).splitlines()]
    cases = []
    for (pattern, subjects, repls), answer in zip(items, answers, strict=True):
        case: dict[str, Any] = {"pattern": pattern}
        if answer["err"] is not None:
            case["error"] = _unhex(answer["err"])
            case["panic"] = _unhex(answer["panic"])
        else:
            case["names"] = [_unhex(n) for n in answer["names"]]
            case["replacements"] = repls
            case["subjects"] = [
                {
                    "text": text,
                    "matches": answer["all"][i],
                    "replace": [_unhex(x) for x in answer["rep"][i]],
                    "literal": [_unhex(x) for x in answer["lit"][i]],
                    "split": {
                        str(n): [_unhex(x) for x in parts]
                        for n, parts in zip(SPLIT_LIMITS, answer["split"][i], strict=True)
                    },
                }
                for i, text in enumerate(subjects)
            ]
        cases.append(case)
    return cases


REGEX_FUNCS = [
    "regexMatch", "mustRegexMatch", "regexFindAll", "mustRegexFindAll", "regexFind",
    "mustRegexFind", "regexReplaceAll", "mustRegexReplaceAll", "regexReplaceAllLiteral",
    "mustRegexReplaceAllLiteral", "regexSplit", "mustRegexSplit", "regexQuoteMeta",
]  # fmt: skip

CURATED_REGEX = [
    '{{ regexMatch "^[a-z]+$" "abc" }}', '{{ regexMatch "(" "a" }}', '{{ mustRegexMatch "(" "a" }}',
    '{{ regexFindAll "[2,4,6,8]" "123456789" -1 }}', '{{ regexFindAll "[2,4,6,8]" "123456789" 2 }}',
    '{{ regexFindAll "x" "abc" -1 | printf "%#v" }}', '{{ regexFind "[a-zA-Z][1-9]" "abcd1234" }}',
    '{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}', '{{ regexReplaceAllLiteral "a(x*)b" "-ab-axxb-" "${1}" }}',
    '{{ regexSplit "z+" "pizza" -1 }}', '{{ regexSplit "z+" "pizza" 1 }}', '{{ regexSplit "x" "abc" 0 | printf "%#v" }}',
    '{{ regexQuoteMeta "1.2.3" }}', '{{ regexFindAll "(" "a" -1 }}', '{{ mustRegexFindAll "(" "a" -1 }}',
    '{{ regexFind "\\xff" "" }}', '{{ regexFind "a\\x00b" "" }}', '{{ regexFind "`" "" }}',
    '{{ regexReplaceAll "(?P<first>\\\\w+) (?P<last>\\\\w+)" "John Smith" "$last, $first" }}',
    '{{ regexReplaceAll "(a*|b)*" "ab" "[$1]" }}', '{{ regexFindAll "(?i)k" "K k \u212a" -1 }}',
    '{{ regexFindAll "$" "a\\n" -1 | len }}', '{{ regexFindAll "(?m)$" "a\\n" -1 | len }}',
    '{{ regexReplaceAll "\\\\b" "hello world" "|" }}', '{{ regexReplaceAll "é|\\xc3" "\\xc3\\xa9" "\\xa9" | printf "%q" }}',
    '{{ regexFindAll "." "a\\xffb" -1 | printf "%q" }}', '{{ regexMatch 1 "1" }}', '{{ regexFindAll "a" "aaa" "2" }}',
    '{{ regexFindAll "a" "aaa" .Params.f }}', '{{ regexSplit "" "abc" -1 }}', '{{ regexSplit "" "" -1 | len }}',
    '{{ regexSplit "a*" "baaac" -1 }}', '{{ regexReplaceAll "a*" "baaac" "-" }}', '{{ regexFindAll "a*" "baaac" -1 | printf "%q" }}',
    '{{ regexFindAll "x" "abc" -1 | toJson }}', '{{ regexSplit "x" "abc" 0 | toJson }}', '{{ regexSplit "x" "" 1 | toJson }}',
    '{{ mustRegexFindAll "x" "abc" -1 | toJson }}', '{{ mustRegexSplit "x" "abc" 0 | toJson }}', '{{ regexSplit "x" "abc" 5 | toJson }}',
    '{{ deepEqual (regexFindAll "x" "abc" -1) (regexSplit "x" "" 0) }}', '{{ deepEqual (regexFindAll "x" "abc" -1) (list) }}',
    '{{ regexFindAll "x" "abc" 0 | toJson }}', '{{ regexFindAll "b" "abc" 5 | toJson }}',
]  # fmt: skip


def regex_templates(rng: random.Random) -> list[str]:
    templates = list(CURATED_REGEX)
    for _ in range(1200):
        name = rng.choice(REGEX_FUNCS)
        pattern = "".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 8)))
        subject = "".join(rng.choice(SUBJECT) for _ in range(rng.randint(0, 12)))
        if name == "regexQuoteMeta":
            templates.append(f'{{{{ regexQuoteMeta {go_quote(pattern)} | printf "%q" }}}}')
            continue
        args = [go_quote(pattern), go_quote(subject)]
        if "FindAll" in name or "Split" in name:
            args.append(str(rng.randint(-2, 3)))
        if "Replace" in name:
            args.append(go_quote(rng.choice(REPLACEMENTS)))
        templates.append(f'{{{{ {name} {" ".join(args)} | printf "%q" }}}}')
    return templates


def main() -> None:
    rng = random.Random(SEED)
    write(
        "sprig_strings.json",
        record(strings_templates(rng)),
        "Go text/template + sprig 3.2.3 (tplref); see gen_sprig_strings.py",
    )
    write(
        "sprig_encoding.json",
        record(encoding_templates(rng)) + sha512_cases(rng),
        "tplref (sprig 3.2.3); sha512sum (3.3.0) from Go crypto/sha512",
    )
    write(
        "sprig_regex.json",
        record(regex_templates(rng)),
        "Go text/template + sprig 3.2.3 (tplref); see gen_sprig_strings.py",
    )
    cases = goregexp_cases(rng)
    lines = ",\n".join(json.dumps(case) for case in cases)
    note = json.dumps("Go 1.19 regexp; match offsets are byte offsets")
    (HERE / "goregexp.json").write_text(f'{{"note": {note}, "cases": [\n{lines}\n]}}\n', "utf-8")
    print(f"goregexp.json: {len(cases)} cases", file=sys.stderr)


if __name__ == "__main__":
    main()
