"""The original's own decoding of 27 configuration directories (../shared/conformance).

Every case must decode to exactly the original's values (compared through
the Go field names), or be rejected where the original rejects it, with an
error that names the file and carries a line and column.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from .conftest import MakeDir
from .goview import decode_directory_view

CASES = json.loads((Path(__file__).parent.parent / "conformance" / "hcl-configs.json").read_text())

# Where the original's position points at the end of the file (a side effect
# of its parser swallowing the real mistake), ours points at the mistake.
OUR_LINE_DIFFERS = {"err-bad-assignment": 3, "err-second-file-broken": 3}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any], config_dir: MakeDir) -> None:
    root = config_dir(case["files"])
    view, problems = decode_directory_view(root)
    errors = [p for p in problems if p.severity == "error"]
    if case["error"] is None:
        assert errors == []
        assert view == case["config"]
        return
    assert errors, f"the original rejects this: {case['error']}"
    expected = case["error"].replace("<TMP>", os.path.dirname(root))
    first = str(errors[0])
    go_position = re.search(r"At (\d+):(\d+):", expected)
    if go_position is None:
        # File-level errors keep the original's wording exactly.
        assert expected.endswith(errors[0].message) or errors[0].message == expected
        return
    failing_file = expected.split("could not parse configuration file ")[1].split(":")[0]
    assert errors[0].source is not None
    assert errors[0].source.file == failing_file
    line = OUR_LINE_DIFFERS.get(case["name"], int(go_position.group(1)))
    assert errors[0].source.line == line, first
    assert re.search(rf"{re.escape(failing_file)}:{line}:\d+: error: ", first)
