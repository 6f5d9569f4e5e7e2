"""Path, URL and OS functions (``base``... ``osIsAbs``, ``urlParse``, ``urlJoin``,
``expandenv``) against Go's recorded answers, plus properties of Go's ``path.Clean``.

``data/sprig_paths.json`` (recorded by ``data/gen_sprig_values.py``) holds every
path function over edge-case paths, ``urlParse``/``urlJoin`` over URLs that
exercise Go's ``net/url`` (escapes, IPv6 zones, ports, opaque URLs, control
characters, userinfo) and its errors, and ``os.ExpandEnv`` syntax. ``expandenv``
reads the process environment, so each case runs with exactly Go's.
"""

from __future__ import annotations

import os
import posixpath
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mittnite.gotemplate.errors import TemplateParseError
from mittnite.gotemplate.exec import parse
from mittnite.gotemplate.sprig import paths
from mittnite.gotemplate.sprig.paths import URL, URLError, base, clean, dirname, ext

from .cases import check, funcs, load, render

DATA = load("sprig_paths.json")


@pytest.fixture
def go_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process environment Go had (``expandenv`` reads it, not ``.Env``)."""
    for name in list(os.environ):
        monkeypatch.delenv(name)
    for name, value in DATA["env"].items():
        monkeypatch.setenv(name, value)


@pytest.mark.usefixtures("go_environment")
@pytest.mark.parametrize("case", DATA["cases"], ids=[c["template"][:70] for c in DATA["cases"]])
def test_matches_go(case: dict[str, Any]) -> None:
    check(case, DATA)


def test_cases_cover_every_function() -> None:
    listed = (
        "base dir clean ext isAbs osBase osDir osClean osExt osIsAbs urlParse urlJoin expandenv"
    )
    names = listed.split()
    assert sorted(names) == sorted(paths.FUNCS)
    text = " ".join(case["template"] for case in DATA["cases"])
    assert [name for name in names if f"{{{{ {name} " not in text] == []


def test_every_path_function_is_registered() -> None:
    registry = funcs()
    for name, function in paths.FUNCS.items():
        assert registry[name] is function


def test_env_is_not_a_function() -> None:
    """mittnite removes sprig's ``env`` (templates use ``.Env``)."""
    assert "env" not in funcs()
    assert "expandenv" in funcs()
    with pytest.raises(TemplateParseError) as raised:
        parse("t", '{{ env "HOME" }}', funcs())
    assert str(raised.value) == 'template: t:1: function "env" not defined'


def test_expandenv_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MITTNITE_TEST_VAR", "value")
    monkeypatch.delenv("MITTNITE_TEST_UNSET", raising=False)
    output, error = render(
        '{{ expandenv "a=$MITTNITE_TEST_VAR b=${MITTNITE_TEST_VAR} c=$MITTNITE_TEST_UNSET." }}',
        {"MITTNITE_TEST_VAR": "not .Env"},
        None,
    )
    assert (output, error) == ("a=value b=value c=.", None)


def test_url_parse_gives_a_map_of_strings() -> None:
    output, error = render(
        '{{ $u := urlParse "https://me:pw@h:8080/p?q=1#f" }}{{ printf "%T" $u }} '
        "{{ $u.scheme }} {{ $u.userinfo }} {{ $u.hostname }} {{ $u.host }} {{ $u.path }} "
        "{{ $u.query }} {{ $u.fragment }} {{ urlJoin $u }}",
        {},
        None,
    )
    assert error is None
    assert output == (
        "map[string]interface {} https me:pw h h:8080 /p q=1 f https://me:pw@h:8080/p?q=1#f"
    )


_SEGMENT = st.sampled_from(["a", "b", ".", "..", "", "c.d", "é"])
_PATH = st.lists(_SEGMENT, max_size=8).map("/".join)


@given(_PATH)
def test_clean_is_idempotent_and_normalised(path: str) -> None:
    cleaned = clean(path)
    assert clean(cleaned) == cleaned
    assert "//" not in cleaned
    assert cleaned == "." or not cleaned.endswith("/") or cleaned == "/"
    if not path.startswith("/") and ".." not in path.split("/"):
        # for relative paths without "..", Python's normpath agrees with Go
        assert cleaned == posixpath.normpath(path or ".")


@given(_PATH)
def test_dir_and_base_split_the_path(path: str) -> None:
    if path and not path.endswith("/"):
        assert ext(base(path)) == ext(path)
        if base(path) not in (".", ".."):
            assert clean(dirname(path) + "/" + base(path)) == clean(path)


@given(st.text(alphabet="abc/?#%:@[]!$&'()*+,;= é\t", max_size=30))
def test_url_string_reparses_to_the_same_url(text: str) -> None:
    try:
        url = URL.parse("http://h/" + text)
    except URLError:
        return
    again = URL.parse(str(url))
    assert (again.scheme, again.host, again.path, again.raw_query, again.fragment) == (
        url.scheme,
        url.host,
        url.path,
        url.raw_query,
        url.fragment,
    )
