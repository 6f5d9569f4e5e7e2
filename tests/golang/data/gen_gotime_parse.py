"""Dev-only: record Go 1.19's ``time.Parse`` answers for tests/golang/test_gotime_parse.py.

Not run by the test suite. Needs Go 1.19 (the version mittnite's release is built with;
Debian bookworm's ``golang-go``) on PATH. Builds ``gotime_parse_oracle.go`` next to this
file and runs it with ``TZ=Europe/Berlin`` on:

* the hand-written cases already in ``gotime_parse.json`` (layout, value, zone), kept as
  the base list so that they are re-answered by the real Go 1.19 parser;
* every zone offset element against a matrix of offset spellings (``Z``, signs, missing
  or extra digits, out-of-range hours and minutes);
* random values for random layouts, many of them malformed, with non-ASCII bytes, so
  that the error texts (which name the rest of the value as the failing element left it)
  are covered.

    python tests/golang/data/gen_gotime_parse.py
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
DATA = HERE / "gotime_parse.json"
TZ = "Europe/Berlin"
SEED = 119

OFFSET_LAYOUTS = ["Z07", "Z0700", "Z07:00", "Z070000", "Z07:00:00",
                  "-07", "-0700", "-07:00", "-070000", "-07:00:00"]  # fmt: skip
OFFSET_VALUES = ["Z", "Zx", "+01", "+0100", "+01:00", "+010000", "+01:00:00", "-0130",
                 "+2500", "+0161", "+1", "+-100", "+ 1:00", "-01:00:30", "+01:0x", "z",
                 "+01:00Z", "*0100", "+01x0"]  # fmt: skip
ELEMENTS = ["2006", "06", "01", "1", "Jan", "January", "02", "2", "_2", "__2", "002", "15",
            "3", "03", "04", "4", "05", "5", "PM", "pm", "MST", "Mon", "Monday", ".000",
            ".999", ",000", ".9", "Z07:00", "-0700", "-07"]  # fmt: skip
SEPARATORS = ["-", " ", ":", "/", "T", "", ".", ",", "  "]
VALUE_PIECES = ["2024", "20x4", "07", "7", "1", "13", "31", "32", "Feb", "feb", "FEBRUARY",
                "Mon", "Tue", "10", "25", "59", "60", "PM", "pm", "xm", "CET", "CEST", "GMT+3",
                "UTC", "Z", "+01:00", "+0200", ".123", ".1234567891", ",5", "µ12", "é",
                "-", " ", "  ", ":", "/", "T", "", "366", "060"]  # fmt: skip


def _random_cases(rng: random.Random, count: int) -> list[dict[str, object]]:
    cases: list[dict[str, object]] = []
    for _ in range(count):
        layout = "".join(
            rng.choice(ELEMENTS) + rng.choice(SEPARATORS) for _ in range(rng.randint(1, 4))
        )
        value = "".join(rng.choice(VALUE_PIECES) for _ in range(rng.randint(1, 6)))
        cases.append({"layout": layout, "value": value, "zone": rng.choice([None, None, TZ])})
    return cases


def requests() -> list[dict[str, object]]:
    base = [
        {"layout": case["layout"], "value": case["value"], "zone": case["zone"]}
        for case in json.loads(DATA.read_text("utf-8"))["cases"]
    ]
    offsets = [
        {"layout": "15:04 " + layout, "value": "10:00 " + value, "zone": zone}
        for layout in OFFSET_LAYOUTS
        for value in OFFSET_VALUES
        for zone in (None, TZ)
    ]
    found = base + offsets + _random_cases(random.Random(SEED), 400)
    unique = {json.dumps(case, sort_keys=True): case for case in found}
    return list(unique.values())


def main() -> None:
    go = shutil.which("go")
    if go is None:
        raise SystemExit("needs a Go 1.19 toolchain on PATH")
    cases = requests()
    with tempfile.TemporaryDirectory() as work:
        shutil.copy(HERE / "gotime_parse_oracle.go", Path(work) / "main.go")
        binary = Path(work) / "oracle"
        environment = dict(os.environ, GO111MODULE="off", GOPATH=work)
        subprocess.run([go, "build", "-o", str(binary), "main.go"], cwd=work, check=True,
                       env=environment)  # fmt: skip
        run = subprocess.run([str(binary)], input=json.dumps(cases), capture_output=True,
                             text=True, check=True, env={"TZ": TZ})  # fmt: skip
    answers = json.loads(run.stdout)
    payload = {"tz": TZ, "generator": "gen_gotime_parse.py (Go 1.19)", "cases": answers}
    DATA.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"{len(answers)} cases")


if __name__ == "__main__":
    main()
