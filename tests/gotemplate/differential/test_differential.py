"""Every recorded differential vector, rendered by our engine, must match the release's Go.

The vectors (``data/<family>.json.gz``) hold tens of thousands of random and realistic
templates with the answers of the release's template stack (``tplref``: Go 1.19,
sprig 3.3.0, semver 3.4.0, cast 1.10.0, xstrings 1.5.0, mergo 1.0.2); see ``generate.py``
for what each family covers and how to re-record them. A case matches when the output
(the partial output after an execution error) and the error text are byte for byte Go's.
Go's batch output went through ``encoding/json``, which turns every byte of invalid
UTF-8 into U+FFFD; ours is compared the same way (see ``replay.go_json_text``).

Each family is one test that renders all of its cases and reports every mismatch.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from .generate import FAMILIES
from .replay import Renderer, case_environment

DATA = Path(__file__).parent / "data"


def _load(family: str) -> list[list[Any]]:
    payload = json.loads(gzip.decompress((DATA / f"{family}.json.gz").read_bytes()))
    cases: list[list[Any]] = payload["cases"]
    return cases


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


def test_vectors_are_numerous() -> None:
    total = sum(len(_load(family)) for family in FAMILIES)
    assert total >= 30_000


@pytest.mark.parametrize("family", list(FAMILIES))
def test_family_matches_go(family: str, renderer: Renderer) -> None:
    cases = _load(family)
    mismatches = []
    with case_environment():
        for template, params, name, output, error in cases:
            ours = renderer.render(template, params, name)
            if ours != (output, error):
                mismatches.append({"template": template, "params": params, "name": name,
                                   "ours": ours, "go": [output, error]})  # fmt: skip
    shown = json.dumps(mismatches[:5], ensure_ascii=False, indent=1)
    assert not mismatches, f"{len(mismatches)} of {len(cases)} cases differ from Go:\n{shown}"
