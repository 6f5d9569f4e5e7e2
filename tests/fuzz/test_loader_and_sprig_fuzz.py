"""Random input never makes the config loader or a sprig function raise a foreign error.

The loader may only answer with a configuration or a :class:`ConfigError`; a template
with any sprig function applied to any arguments may only render or fail with a Go-style
template error. Anything else (a Python ``TypeError``, ``RecursionError``, ...) would
reach a user as a traceback. Sizes scale with ``MITTNITE_FUZZ_SCALE`` (see
``tests/fuzz_scale.py``).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from mittnite.config.load import load
from mittnite.config.problems import ConfigError
from mittnite.gotemplate.errors import TemplateError
from mittnite.gotemplate.exec import parse, template_data
from mittnite.gotemplate.values import map_of

from ..fuzz_scale import fuzz_settings

REALISTIC = """job "web" {
  command = "/bin/sh"
  args = ["-c", "exec sleep 1000"]
  maxAttempts = 5
  stopSignal = "SIGTERM"
  lazy { spinUpTimeout = "5s" coolDownTimeout = "15m" }
  listen "127.0.0.1:8080" { forward = "127.0.0.1:8081" }
  watch "/etc/app/*.conf" { signal = 1 }
}
boot "setup" { command = "/bin/true" timeout = "30s" }
file "/tmp/x.conf" { from = "x.tpl" params = { a = 1 b = [1, 2] c = { d = "e" } } }
probe "db" { wait = true mysql { host { hostname = "db" port = 3306 } } }
"""

# Pieces that drive the HCL scanner, the JSON flavour and the typed checks into corners.
PIECES = [
    *REALISTIC.split(),
    "{", "}", "[", "]", "=", ",", '"', "<<EOT\n", "\nEOT\n", "#", "//", "/*", "*/", "\r\n",
    "true", "false", "null", "-1", "0x1F", "1_000", "1e400", "9" * 5000, "\\u00", "${",
    '"SIGFOO"', '"5 seconds"', '"notaport"', "\x00", "\ufeff", "é",
]  # fmt: skip

configs = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=60).map(" ".join),
    st.text(max_size=400),
    st.builds(
        lambda text, at, junk: text[:at] + junk + text[at:],
        st.just(REALISTIC),
        st.integers(0, len(REALISTIC)),
        st.text(max_size=20),
    ),
    st.builds(lambda blob: "{" + blob, st.text(max_size=200)),  # the JSON flavour
)


@fuzz_settings(150)
@given(st.lists(configs, min_size=1, max_size=3))
def test_the_loader_answers_with_a_config_or_a_config_error(files: list[str]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        for index, text in enumerate(files):
            (Path(directory) / f"{index}.hcl").write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            ignition, warnings = load(directory)
        except ConfigError as error:
            assert error.problems
            for problem in error.problems:
                assert str(problem)  # every problem renders as text
        else:
            assert isinstance(warnings, list)
            assert ignition is not None


FUNCTIONS = sorted(
    set(
        json.loads(
            (Path(__file__).parent.parent / "gotemplate" / "data" / "sprig_function_names.json")
            .read_text(encoding="utf-8")
        )
    )
    - {"getHostByName"}  # a DNS lookup per example: neither fast nor hermetic
)
ARGUMENTS = [
    "0", "1", "-1", "3", "2.5", "1e9", '"3.7"', '""', '"a,b,c"', '"x"', '"2006-01-02"',
    "true", "nil", ".Params", ".Params.list", ".Params.nested", ".Params.n", ".Env",
    "(list 1 2)", '(dict "a" 1)', "(now)", '"rsa"', '"^(a+)+$"', "9223372036854775807",
    "(list)", '(semver "1.2.3")',
]  # fmt: skip


def data() -> object:
    params = {"foo": "bar", "list": ["a", "b"], "nested": [{"k": "v"}], "n": 2}
    return template_data(map_of("string", "string", {"USER": "app"}), params)


@fuzz_settings(300)
@given(st.sampled_from(FUNCTIONS), st.lists(st.sampled_from(ARGUMENTS), max_size=3))
def test_any_sprig_function_on_any_arguments_renders_or_fails_as_go(
    function: str, arguments: list[str]
) -> None:
    text = "{{ " + " ".join([function, *arguments]) + " }}"
    try:
        output = parse("fuzz", text).render(data())
    except TemplateError as problem:
        assert str(problem).startswith("template: fuzz")
    else:
        assert isinstance(output, str)
