"""Our log lines against the original's, scenario by scenario (see ``logcompat``).

``data/log_vectors.json`` holds the original's lines for each scenario (made
by ``data/make_log_vectors.py`` with its release binary). Every one of them
must appear in our run of the same scenario - same level, message and field
values - unless ``logcompat.DIFFERENCES`` documents why not. Lines the
original's newer releases added where they fixed the bugs we fixed
(``service runner shut down gracefully``, ``reaped orphaned process``) must
be there too.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from .logcompat import SCENARIOS, Scenario, expectation, found_in, normalise, parse, run

VECTORS = json.loads((Path(__file__).parent / "data" / "log_vectors.json").read_text())
OURS = [sys.executable, "-m", "mittnite"]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_the_originals_lines_are_ours(scenario: Scenario) -> None:
    if scenario.name not in VECTORS:
        pytest.fail(f"no vectors for {scenario.name}: run tests/e2e/data/make_log_vectors.py")
    env = {**os.environ, "MITTNITE_LOG_LEVEL": "debug"}  # some lines are debug here
    stderr, values = run(OURS, scenario, env)
    ours = [normalise(line, values) for line in parse(stderr)]
    missing = []
    for line in VECTORS[scenario.name]:
        wanted = expectation(line, scenario)
        if wanted is not None and not found_in(wanted, ours):
            missing.append(wanted)
    for msg, fields in scenario.ours_also:
        wanted = {"level": "info", "msg": msg, "fields": fields, "match": "exact"}
        if not found_in(wanted, ours):
            missing.append(wanted)
    assert not missing, "\n".join(
        ["original lines we do not log:", *map(str, missing), "--- our lines:", *map(str, ours)]
    )
