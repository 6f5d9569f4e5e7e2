"""Shared by the vector recorder and the replay test: pruning and our side of the comparison."""

from __future__ import annotations

import base64
from typing import Any

from mittnite.config.problems import Problem

# Struct fields holding free-form maps: their contents are data, never pruned.
_DATA_FIELDS = frozenset({"Parameters"})
# Directive lists: hcl v1 makes an empty one for `job = {}`; the model keeps none.
_DIRECTIVES = frozenset({"Probes", "Files", "Jobs", "BootJobs"})


def prune(value: Any) -> Any:
    """Drop ``null`` and ``""`` struct fields (Go zero values that carry no information).

    Lists keep every element and ``params`` maps keep every key, because there an
    empty string or a ``nil`` is a value a template can see.
    """
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if item is None or item == "" or (item == [] and key in _DIRECTIVES):
                continue
            out[key] = item if key in _DATA_FIELDS else prune(item)
        return out
    if isinstance(value, list):
        return [prune(item) for item in value]
    return value


def case_files(entry: dict[str, Any]) -> dict[str, bytes]:
    """The files of a recorded vector as bytes."""
    if "files_b64" in entry:
        return {name: base64.b64decode(text) for name, text in entry["files_b64"].items()}
    return {
        name: text.encode("utf-8", "surrogateescape") for name, text in entry["files"].items()
    }


def decode_ours(files: dict[str, bytes]) -> tuple[Any, list[Problem]]:
    """Our decoder's view of ``files`` (pruned, as Go's JSON encoder would print it)."""
    from .goview import decode_files

    view, problems = decode_files(files)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        return None, errors
    return as_go_json(prune(view)), []


def go_json_string(text: str) -> str:
    """A string as Go's ``encoding/json`` writes it: each invalid UTF-8 byte becomes U+FFFD."""
    data = text.encode("utf-8", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    out = []
    i = 0
    while i < len(data):
        for width in (1, 2, 3, 4):
            try:
                out.append(data[i : i + width].decode("utf-8"))
            except UnicodeDecodeError:
                continue
            i += width
            break
        else:
            out.append("\ufffd")
            i += 1
    return "".join(out)


def as_go_json(value: Any) -> Any:
    """``value`` as it looks after a round trip through Go's JSON encoder."""
    if isinstance(value, dict):
        return {go_json_string(k): as_go_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_go_json(v) for v in value]
    if isinstance(value, str):
        return go_json_string(value)
    if isinstance(value, float):
        return go_json_float(value)
    return value


def go_json_float(value: float) -> Any:
    """A float64 as Go's JSON encoder prints it, read back (``1e+18`` becomes an integer)."""
    import decimal
    import json

    if value == 0 or 1e-6 <= abs(value) < 1e21:
        text = format(decimal.Decimal(repr(value)), "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return json.loads(text)
    return value
