"""Replay of configurations recorded with hashicorp/hcl v1 (the original's decoder).

``data/hcl_vectors.jsonl.gz`` holds generated configurations of every class in
``hclgen.CLASSES`` with what ``hclref`` made of them (regenerate with
``python tests/config/data/make_hcl_vectors.py``, see the README). For each:

* hcl v1 accepts it: we accept it too and decode exactly the same values, or
  we refuse it for a documented reason (``STRICTER_THAN_HCL``);
* hcl v1 rejects it (or crashes on it): we reject it with an error that has a
  position.
"""

from __future__ import annotations

import collections
import gzip
import json
import os
import re
from pathlib import Path
from typing import Any

from mittnite.config.hcl.errors import STRICTER_THAN_HCL

from .hclgen import CLASSES
from .hclvectors import case_files, decode_ours, prune

# MITTNITE_HCL_VECTORS replays another recording (a longer hunt) instead.
VECTORS = Path(
    os.environ.get("MITTNITE_HCL_VECTORS") or Path(__file__).parent / "data" / "hcl_vectors.jsonl.gz"
)
README = Path(__file__).parents[2] / "README.md"


def vectors() -> list[dict[str, Any]]:
    with gzip.open(VECTORS, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_recorded_vectors_decode_as_in_hcl_v1() -> None:
    counts: collections.Counter[tuple[str, str]] = collections.Counter()
    mismatches: list[str] = []
    for entry in vectors():
        ours, errors = decode_ours(case_files(entry))
        label = f"{entry['class']} #{entry['seed']}"
        if entry["error"] is not None:
            counts[(entry["class"], "rejected")] += 1
            if not errors:
                mismatches.append(f"{label}: hcl v1 rejects ({entry['error'][:120]}), we accept")
            elif any(e.source is None or e.source.line < 1 for e in errors):
                mismatches.append(f"{label}: an error without a position: {errors[0]}")
            continue
        if errors:
            counts[(entry["class"], "refused on purpose")] += 1
            unexplained = [e for e in errors if e.stricter not in STRICTER_THAN_HCL]
            if unexplained:
                mismatches.append(f"{label}: hcl v1 accepts, we reject: {unexplained[0]}")
            continue
        counts[(entry["class"], "accepted")] += 1
        if ours != prune(entry["config"]):
            mismatches.append(f"{label}: decoded values differ from hcl v1's")
    assert not mismatches, "\n".join(mismatches[:20])
    if os.environ.get("MITTNITE_HCL_VECTORS"):
        return  # another recording (a hunt) may cover only some classes
    assert {kind for kind, _ in counts} == set(CLASSES)
    assert sum(counts.values()) >= 10_000
    for kind in CLASSES:
        # Every class exercises both outcomes, so neither side is tested by accident only.
        assert counts[(kind, "accepted")] > 0 and counts[(kind, "rejected")] > 0, kind


def test_every_deliberate_difference_is_in_the_readme() -> None:
    text = re.sub(r"\s+", " ", README.read_text())
    for key in STRICTER_THAN_HCL:
        assert f"`{key}`" in text, f"README does not document the difference {key!r}"
