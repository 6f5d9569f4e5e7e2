"""Our HCL reader against hashicorp/hcl v1 on a corpus of tricky inputs.

The expected values in data/hcl_oracle_cases.json were produced by the Go
reference decoder (see data/make_hcl_oracle_cases.py): decoded configurations
with mittnite's types, and the Go types of ``params`` values as a template
sees them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from mittnite.config.hcl import Decoder, HclError, MapList, parse_any
from mittnite.config.schema import IGNITION

from .goview import decode_files

DATA = json.loads((Path(__file__).parent / "data" / "hcl_oracle_cases.json").read_text())


@pytest.mark.parametrize("case", DATA["configs"], ids=[c["name"] for c in DATA["configs"]])
def test_config_case(case: dict[str, Any]) -> None:
    view, problems = decode_files({"a.hcl": case["text"].encode()})
    errors = [p for p in problems if p.severity == "error"]
    if case["config"] is not None:
        assert errors == [], [str(e) for e in errors]
        assert view == case["config"]
        return
    assert errors, "the original rejects this input"
    error = errors[0]
    assert error.source is not None and error.source.file.endswith("a.hcl")
    go_position = re.search(r"At (\d+):(\d+):", case["error"] or "")
    if go_position:
        assert error.source.line == int(go_position.group(1)), str(error)


def go_types(value: Any) -> str:
    """Render a decoded params value like the oracle's type-walking template."""
    if isinstance(value, dict):
        inner = "".join(f"{k}:{go_types(value[k])} " for k in sorted(value))
        return "map[string]interface {}{ " + inner + "}"
    if isinstance(value, MapList):
        return "[]map[string]interface {}[ " + "".join(go_types(v) + " " for v in value) + "]"
    if isinstance(value, list):
        return "[]interface {}[ " + "".join(go_types(v) + " " for v in value) + "]"
    if isinstance(value, bool):
        return f"bool({'true' if value else 'false'})"
    if isinstance(value, int):
        return f"int({value})"
    if isinstance(value, float):
        text = repr(value)
        if text.endswith(".0"):
            text = text[:-2]
        return f"float64({text})"
    assert isinstance(value, str)
    return f"string({value.encode('utf-8', 'surrogateescape').decode('utf-8', 'replace')})"


@pytest.mark.parametrize("case", DATA["params"], ids=[c["name"] for c in DATA["params"]])
def test_params_case(case: dict[str, Any]) -> None:
    text = f'file "/t" {{\n from = "x"\n params = {{\n{case["body"]}\n}}\n}}\n'
    decoder = Decoder()
    try:
        root = decoder.decode_document(parse_any(text), IGNITION)
    except HclError as exc:
        assert case["types"] is None, f"the original accepts this: {exc}"
        return
    if decoder.errors:
        assert case["types"] is None, f"the original accepts this: {decoder.errors[0]}"
        return
    params = root["Files"][0]["Parameters"]
    assert go_types(params) == case["types"]
