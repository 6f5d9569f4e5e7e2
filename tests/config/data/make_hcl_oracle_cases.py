"""Developer tool: regenerate ``hcl_oracle_cases.json`` with the Go reference decoders.

Not run by the test suite (it needs the Go oracle programs, see
../shared/oracle/README.md). Usage::

    python tests/config/data/make_hcl_oracle_cases.py /tmp/oracle

Each config case records what hashicorp/hcl v1 (with mittnite's types)
decodes, or that it rejects the input; each params case records the Go type
and value of every params entry as a template sees them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

CONFIG_CASES: dict[str, str] = {
    "bare-labels": 'job web { command = "/bin/true" }\nprobe p { filesystem = "/" }',
    "quoted-keys": '"job" "q" { "command" = "b" }',
    "single-line-blocks": 'job "x" { command = "a" } job "y" { command = "b" }',
    "commas-between-items": 'job "x" { command = "a", args = ["b",], }',
    "no-commas": 'job "x" { command = "a" args = ["b"] canFail = true }',
    "case-insensitive": 'JOB "x" { COMMAND = "a" ONETIME = true CanFail = true MAXATTEMPTS = 2 }',
    "object-assign-form": 'job "x" { command = "a" lazy = { spinUpTimeout = "1s" } }',
    "args-accumulate": 'job "a" { command = "x" args = ["a"] args = ["b"] command = "z" }',
    "numbers-in-args": 'job "x" { command = "a" args = [1, -2, 0x10, 010] }',
    "float-in-args": 'job "x" { command = "a" args = [1.5] }',
    "bool-in-args": 'job "x" { command = "a" args = [true] }',
    "heredoc-in-args": 'job "x" { command = "a" args = [<<EOF\nhi\nEOF\n] }',
    "indented-heredoc": 'job "x" {\n  command = "sh"\n  args = ["-c", <<-EOT\n    echo a\n      echo b\n    EOT\n  ]\n}\n',
    "empty-list": 'job "x" { command = "a" env = [] }',
    "job-no-label": 'job { command = "x" }',
    "job-two-labels": 'job "a" "b" { command = "x" }',
    "job-assign-object": 'job = { x = { command = "y" } }',
    "dotted-label": 'job x.y { command = "k" }',
    "max-attempts-string": 'job "x" { command = "a" maxAttempts = "0x10" }',
    "max-attempts-negative": 'job "x" { command = "a" maxAttempts = -5 }',
    "max-attempts-bad": 'job "x" { command = "a" maxAttempts = "many" }',
    "max-attempts-float": 'job "x" { command = "a" maxAttempts = 1.5 }',
    "signal-name-rejected": 'job "x" { command = "a" watch "/f" { signal = "SIGHUP" } }',
    "signal-quoted-number": 'job "x" { command = "a" watch "/f" { signal = "1" } }',
    "bool-quoted": 'job "x" { command = "a" canFail = "true" }',
    "bool-number": 'job "x" { command = "a" canFail = 1 }',
    "string-from-bool": 'job "x" { command = true }',
    "string-from-float": 'job "x" { command = 1.5 }',
    "string-from-number": 'job "x" { command = 0x1F }',
    "string-from-list": 'job "x" { command = ["a"] }',
    "env-scalar": 'job "x" { command = "a" env = "A=1" }',
    "multiple-watches": 'job "x" {\n command = "a"\n watch "/a" { signal = 1 }\n watch "/b" { restart = true }\n}',
    "watch-commands": 'job "x" { command = "a" watch "/a" { preCommand { command = "echo" args = ["1"] env = ["A=B"] } } }',
    "lazy-twice-last-wins": 'job "x" { command = "a" lazy { spinUpTimeout = "1s" } lazy { coolDownTimeout = "2s" } }',
    "overwrite-false": 'file "/t" { from = "x" overwrite = false }',
    "overwrite-string": 'file "/t" { from = "x" overwrite = "false" }',
    "probe-host-merge": 'probe "p" { redis { host = { hostname = "a" } host = { port = 1 } } }',
    "probe-kinds-several": 'probe "p" { filesystem = "/x" redis { password = "s" } }',
    "probe-port-number": 'probe "p" { smtp { host { hostname = "mail" port = 2525 } } }',
    "probe-amqp-vhost-case": 'probe "p" { amqp { virtualhost = "v" VIRTUALHOST = "w" } }',
    "probe-http-all": 'probe "p" { wait = true http { scheme = "https" host { hostname = "h" port = "8443" } path = "x" timeout = "2s" } }',
    "probe-mysql-native": 'probe "p" { mysql { allowNativePassword = "true" database = "d" credentials { user = "u" password = "p" } } }',
    "boot-timeout-number": 'boot "b" { command = "a" timeout = 30 }',
    "comments-everywhere": '# a\njob /* b */ "x" // c\n{ # d\n command = "a" /* e */ }\n',
    "unicode-strings": 'job "ü" { command = "\\u00e9\\U0001F600\\x41\\101" }',
    "interpolation-kept": 'job "x" { command = "a${b("c")}d" }',
    "illegal-escape": 'job "x" { command = "a\\qb" }',
    "unterminated-comment": 'job "x" { command = "a" }\n/* never',
    "missing-equals": 'job "x" { command "b" }',
    "bare-key": 'job "x" { foo }',
    "stray-rbrace": 'job "x" {}\n}',
    "number-key": "1a = 1",
    "list-missing-comma": 'job "x" { args = [ "a" "b" ] }',
    "list-of-lists": 'job "x" { args = [ ["a"], "b" ] }',
    "two-keys-assign": 'job "x" "y" = { }',
    "brace-no-key": "{{}}",
    "unterminated-heredoc": 'job "x" { command = <<EOF\nabc\n',
    "heredoc-bad-anchor": 'job "x" { command = <<EOF x\nEOF\n }',
    "hex-without-digits": 'job "x" { command = 0x }',
    "octal-bad": 'job "x" { maxAttempts = 08 }',
    "int-overflow": 'job "x" { maxAttempts = 99999999999999999999 }',
    "json-basic": '{"job": {"j": {"command": "/bin/true", "args": ["x", 5], "maxAttempts": 5}}}',
    "json-list-of-jobs": '{"job": [{"j": {"command": "a"}}, {"k": {"command": "b"}}]}',
    "json-two-jobs": '{"job": {"j": {"command": "a"}, "k": {"command": "b"}}}',
    "json-watch": '{"job": {"j": {"command": "a", "watch": {"/x": {"signal": 1}}}}}',
    "json-watch-list": '{"job": {"j": {"command": "a", "watch": [{"/x": {"signal": 1}}, {"/y": {"signal": 2}}]}}}',
    "json-lazy": '{"job": {"j": {"command": "a", "lazy": {"spinUpTimeout": "5s"}}}}',
    "json-probe": '{"probe": {"p": {"wait": true, "redis": {"host": {"hostname": "h", "port": 1}}}}}',
    "json-null": '{"job": {"j": {"command": null}}}',
    "json-trailing-comma": '{"job": {"j": {"command": "a",}}}',
    "json-float-int-field": '{"job": {"j": {"maxAttempts": 1e2}}}',
    "json-nested-label": '{"job": {"j": {"k": {"command": "a"}}}}',
    "json-leading-space": '  \n {"file": {"/t": {"from": "x"}}}',
    "json-escape-slash": '{"job": {"j": {"command": "a\\/b"}}}',
}

PARAMS_CASES: dict[str, str] = {
    "scalars": 's = "x"\ni = 42\nf = 1.5\nb = true\nneg = -7\nhex = 0x1F\noct = 017\nexp = 1e3\nfrac = .5',
    "lists": 'l = ["a", 1, 1.5, true]\nempty = []\nnested = [[1, 2], ["x"]]\nobjs = [{a = 1}, {b = "c"}]',
    "objects": 'o = { a = 1, b = { c = "d" } }\nempty = {}',
    "repeated-keys": "r = 1\nr = 2\no = { a = 1 }\no = { b = 2 }\nl = [1]\nl = [2]",
    "repeated-retyped": 'n = 1\nn = "7"',
    "blocks-in-params": 'svc "web" { port = 80 }\nsvc "db" { port = 5432 }',
    "heredoc": "h = <<EOF\nline1\n  line2\nEOF\n",
    "string-escapes": 'e = "tab\\tnl\\nq\\"bs\\\\"',
    "bytes-escape": 'x = "\\xc3\\xa9"',
    "mixed-case-keys": "Foo = 1\nfoo = 2",
}

TYPE_TEMPLATE = (
    '{{ define "t" }}{{ printf "%T" . }}{{ if kindIs "map" . }}{ {{ range $k, $v := . }}'
    '{{ $k }}:{{ template "t" $v }} {{ end }}}{{ else if kindIs "slice" . }}[ {{ range . }}'
    '{{ template "t" . }} {{ end }}]{{ else }}({{ printf "%v" . }}){{ end }}{{ end }}'
    '{{ template "t" .Params }}'
)


def decode_config(oracle: str, text: str) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "mittnite.d")
        os.makedirs(root)
        with open(os.path.join(root, "a.hcl"), "w") as handle:
            handle.write(text)
        proc = subprocess.run(
            [os.path.join(oracle, "hclref"), root], capture_output=True, text=True
        )
    if proc.returncode == 0:
        return {"config": json.loads(proc.stdout), "error": None}
    message = proc.stderr.strip().replace(tmp, "<TMP>")
    if "panic:" in message:
        message = "panic"
    return {"config": None, "error": message}


def decode_params(oracle: str, body: str) -> dict[str, object]:
    cases = [{"name": "c", "template": TYPE_TEMPLATE, "params_hcl": body}]
    proc = subprocess.run(
        [os.path.join(oracle, "tplref"), "-batch"],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
    )
    if proc.returncode or not proc.stdout.strip():
        return {"types": None, "error": proc.stderr.strip() or "failed"}
    result = json.loads(proc.stdout)[0]
    return {"types": result["output"], "error": result["error"]}


def main() -> None:
    oracle = sys.argv[1] if len(sys.argv) > 1 else "/tmp/oracle"
    out = {
        "configs": [
            {"name": name, "text": text, **decode_config(oracle, text)}
            for name, text in CONFIG_CASES.items()
        ],
        "params": [
            {"name": name, "body": body, **decode_params(oracle, body)}
            for name, body in PARAMS_CASES.items()
        ],
        "type_template": TYPE_TEMPLATE,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hcl_oracle_cases.json")
    with open(path, "w") as handle:
        json.dump(out, handle, indent=1, ensure_ascii=False)
        handle.write("\n")


if __name__ == "__main__":
    main()
