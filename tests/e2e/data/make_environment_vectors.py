"""Record the environment the original mittnite gives a job, for each case in environment_cases.

    .venv/bin/python tests/e2e/data/make_environment_vectors.py [PATH-TO-mittnite-original]

Writes tests/e2e/data/environment_vectors.json; the tests only read it.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from tests.e2e.environment_cases import CASES, capture  # noqa: E402

ORIGINAL = "/work/shared/reference/bin/mittnite-original"


def main() -> None:
    binary = sys.argv[1] if len(sys.argv) > 1 else ORIGINAL
    vectors = []
    for case in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            block = capture([binary], case, Path(tmp))
        entries = block.split(b"\0")[:-1]
        vectors.append(
            {**case, "expected": [entry.decode("utf-8", "surrogateescape") for entry in entries]}
        )
    (HERE / "environment_vectors.json").write_text(json.dumps(vectors, indent=1) + "\n")


if __name__ == "__main__":
    main()
