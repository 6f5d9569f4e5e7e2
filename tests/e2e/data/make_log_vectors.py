"""Record the original's log lines for ``tests/e2e/logcompat.SCENARIOS``.

Needs the original's release binary (``../shared/reference/bin/mittnite-original``
or ``MITTNITE_ORIGINAL``). Takes a few minutes (the original polls watches
every 5 s and checks lazy cool-downs once a minute). The original's reaper
sometimes steals exit statuses (its known bug): every scenario runs up to
six times and the run with the fewest stolen statuses is kept; lines that
still show one are marked ``race``. Writes ``log_vectors.json`` next to this
file; the test suite only reads it.

    .venv/bin/python tests/e2e/data/make_log_vectors.py [SCENARIO...]
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from tests.e2e.logcompat import RACE, SCENARIOS, normalise, parse, run  # noqa: E402

ORIGINAL = os.environ.get(
    "MITTNITE_ORIGINAL", str(HERE.parents[3] / "shared" / "reference" / "bin" / "mittnite-original")
)
OUT = HERE / "log_vectors.json"


def record(name: str) -> list[dict[str, object]]:
    scenario = next(s for s in SCENARIOS if s.name == name)
    best: list[dict[str, object]] | None = None
    best_races = 0
    for _attempt in range(6):
        stderr, values = run([ORIGINAL], scenario, {"PATH": "/usr/bin:/bin"})
        lines = [normalise(line, values) for line in parse(stderr)]
        races = sum(bool(RACE.search(json.dumps(line))) for line in lines)
        if best is None or races < best_races:
            best, best_races = lines, races
        if races == 0:
            break
    assert best is not None
    unique: list[dict[str, object]] = []
    for line in best:
        if RACE.search(json.dumps(line)):
            line = {**line, "race": True}
        if line not in unique:
            unique.append(line)
    return unique


def main() -> None:
    names = sys.argv[1:] or [s.name for s in SCENARIOS]
    vectors = json.loads(OUT.read_text()) if OUT.exists() else {}
    for name in names:
        print(f"recording {name} ...", flush=True)
        vectors[name] = record(name)
    OUT.write_text(json.dumps(vectors, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
