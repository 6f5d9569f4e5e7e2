"""The template conformance vectors (tests/conformance/templates.json), rendered by our engine.

Every case is rendered with the case name as template name and, as dot, mittnite's
``*files.templateData`` holding ``Env`` (the case's environment as ``map[string]string``) and
``Params`` (decoded from ``template_params.json``, which spells out the Go type of every value
of the cases' shared HCL params). Output must match byte for byte; failing cases must produce
Go's error text and the partial output Go had written.

Every sprig v3.3.0 function but ``env`` must be registered; a case naming a missing one fails.
The process environment is set to the case's environment, as ``expandenv`` reads the real
environment (not ``.Env``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mittnite.gotemplate import lexer
from mittnite.gotemplate.errors import TemplateError, TemplateExecError
from mittnite.gotemplate.exec import parse, template_data
from mittnite.gotemplate.values import map_of, slice_of

HERE = Path(__file__).parent
CONFORMANCE = HERE.parent / "conformance"
CASES = json.loads((CONFORMANCE / "templates.json").read_text("utf-8"))
PARAMS_FIXTURE = json.loads((CONFORMANCE / "template_params.json").read_text("utf-8"))
SPRIG_NAMES = frozenset(
    json.loads((HERE / "data" / "sprig_function_names.json").read_text("utf-8"))["names"]
)


def decode_typed(node: dict[str, Any]) -> Any:
    """A value of the fixture (``{"type": GO_TYPE, "value": ...}``) in the Go value model."""
    go_type, value = node["type"], node["value"]
    if go_type in ("string", "int", "bool"):
        return value
    if go_type == "float64":
        return float(value)
    if go_type == "[]interface {}":
        return [decode_typed(item) for item in value]
    if go_type == "map[string]interface {}":
        return {key: decode_typed(item) for key, item in value.items()}
    if go_type.startswith("[]"):
        return slice_of(go_type[2:], [decode_typed(item) for item in value])
    raise AssertionError(f"unsupported fixture type {go_type}")


def sprig_funcs() -> dict[str, Any]:
    from mittnite.gotemplate.sprig import FUNCS

    return FUNCS


def missing_sprig_functions(template: str, registered: dict[str, Any]) -> list[str]:
    """Sprig functions the template names that are not registered (yet). A builtin that sprig
    replaces (``slice``) counts as missing until sprig's version is registered."""
    names = {item.val for item in lexer.lex(template) if item.typ == lexer.IDENTIFIER}
    return sorted(name for name in names if name in SPRIG_NAMES and name not in registered)


def test_every_sprig_function_but_env_is_registered() -> None:
    registered = sprig_funcs()
    assert sorted(SPRIG_NAMES - {"env"} - set(registered)) == []
    assert "env" not in registered


def test_params_fixture_describes_the_cases_params() -> None:
    assert all(case["params_hcl"] == PARAMS_FIXTURE["params_hcl"] for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_template_case(case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    funcs = sprig_funcs()
    assert missing_sprig_functions(case["template"], funcs) == []
    for key, value in case["env"].items():
        monkeypatch.setenv(key, value)
    data = template_data(
        map_of("string", "string", case["env"]), decode_typed(PARAMS_FIXTURE["params"])
    )
    partial = ""
    try:
        output = parse(case["name"], case["template"], funcs).render(data)
        error = None
    except TemplateExecError as problem:
        output, error, partial = None, str(problem), problem.partial_output
    except TemplateError as problem:
        output, error = None, str(problem)
    if case["error"] is None:
        assert error is None
        assert output == case["output"]
    else:
        assert error == case["error"]
        assert partial == (case["partial_output"] or "")
