"""Shared runner for the oracle-recorded sprig cases (``data/sprig_*.json``).

The data files (written by the generators in ``data/`` from Go's answers) hold the params
as HCL text plus, per case, the template, Go's output and Go's error. Every case is
rendered with the same dot Go had, built by the production path: the HCL params are
decoded by mittnite's own HCL decoder inside a ``file`` block and turned into the
template's ``*files.templateData`` by :func:`mittnite.render.template_data`, so these
cases also check that HCL values reach templates with the Go types hcl gives them.
"""

from __future__ import annotations

import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from mittnite.gotemplate.errors import TemplateError, TemplateExecError
from mittnite.gotemplate.exec import parse

DATA = Path(__file__).parent / "data"
TEMPLATE_NAME = "t"


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / name).read_text("utf-8"))
    return data


@cache
def decoded_params(params_hcl: str) -> Any:
    """The decoded ``params`` of a ``file`` block holding ``params_hcl``."""
    from mittnite.config.load import load as load_config

    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "params.hcl")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(f'file "/dev/null" {{\n  from = "x"\n  params = {{\n{params_hcl}\n}}\n}}\n')
        ignition, problems = load_config(directory)
    errors = [p for p in problems if p.severity == "error"]
    assert not errors, errors
    return ignition.files[0].parameters


def data_root(params_hcl: str | None, env: dict[str, str]) -> Any:
    """The template's dot as ``mittnite up`` builds it."""
    from mittnite.render import template_data

    params = None if params_hcl is None else decoded_params(params_hcl)
    return template_data(params, env)


def funcs() -> dict[str, Any]:
    from mittnite.gotemplate.sprig import FUNCS

    return FUNCS


def render(
    template: str, env: dict[str, str], params_hcl: str | None, name: str = TEMPLATE_NAME
) -> tuple[str, str | None]:
    """Our output (the partial output on error) and error text."""
    registry = funcs()
    try:
        parsed = parse(name, template, registry)
    except TemplateError as exc:
        missing = str(exc).partition('function "')[2].partition('"')[0]
        if "not defined" in str(exc) and missing and missing not in registry:
            pytest.fail(f"sprig function {missing} is not registered")
        return "", str(exc)
    try:
        return parsed.render(data_root(params_hcl, env)), None
    except TemplateExecError as exc:
        return exc.partial_output, str(exc)


def check(case: dict[str, Any], data: dict[str, Any]) -> None:
    """Render one recorded case and compare with Go's output and error."""
    output, error = render(case["template"], data.get("env", {}), data.get("params_hcl"))
    assert error == case["error"]
    assert output == case["output"]
