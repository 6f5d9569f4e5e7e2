"""Regular expression speed: Go-compatible linear-time matching against Python's ``re``.

    python bench/regex.py [--repeat 2000]

Figures, side by side in the same run:

* normal patterns of configuration templates (``regexMatch``/``regexFind``/
  ``regexReplaceAll`` on short values), microseconds per call for our
  :mod:`mittnite.gotemplate.goregexp` and for Python's ``re`` on the same pattern, and the
  ratio: ``re`` backtracks and is not linear, so it is only a speed reference (our engine
  uses it itself for repetition-free patterns, where it is linear);
* pathological patterns (``^(a+)+$`` and friends) on growing texts: our time per
  character stays flat (linear); Python's ``re`` is shown where it finishes in reasonable
  time, and marked as skipped where it would run for hours.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from mittnite.gotemplate import goregexp  # noqa: E402

NORMAL = [
    ("match", "^[a-z0-9-]+$", "my-service-name-01"),
    ("match", "^(dev|staging|prod)$", "staging"),
    ("match", "^v?[0-9]+\\.[0-9]+\\.[0-9]+$", "v1.24.3"),
    ("find", "[0-9]+", "backend-42.internal"),
    ("find", "(\\w+)@(\\w+)\\.com", "mail me: admin@example.com now"),
    ("replace", "-", "my-service-name-01"),
    ("replace", "[^a-zA-Z0-9_]", "my.service/name:01"),
    ("replace", "\\s+", "a  b\tc\n  d"),
    ("split", ",\\s*", "a, b,c,  d, e"),
]
PATHOLOGICAL = ["^(a+)+$", "(a|a)*b", "(a*)*b", "a*a*a*a*a*c", "(x+x+)+y"]


def _per_call(function: object, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        function()  # type: ignore[operator]
    return (time.perf_counter() - start) / repeat * 1e6


def _ours(kind: str, pattern: str, text: str) -> object:
    regexp = goregexp.compile(pattern)
    return {
        "match": lambda: regexp.match_string(text),
        "find": lambda: regexp.find_string(text),
        "replace": lambda: regexp.replace_all_string(text, "_"),
        "split": lambda: regexp.split(text, -1),
    }[kind]


def _python(kind: str, pattern: str, text: str) -> object:
    compiled = re.compile(pattern)
    return {
        "match": lambda: compiled.search(text) is not None,
        "find": lambda: compiled.search(text),
        "replace": lambda: compiled.sub("_", text),
        "split": lambda: compiled.split(text),
    }[kind]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2000)
    options = parser.parse_args()

    print("normal patterns (µs per call; ours / re)")
    ratios = []
    for kind, pattern, text in NORMAL:
        ours = _per_call(_ours(kind, pattern, text), options.repeat)
        python = _per_call(_python(kind, pattern, text), options.repeat)
        ratios.append(ours / python)
        print(f"  {kind:8} {pattern:28} ours {ours:8.2f}  re {python:6.2f}  x{ours / python:6.1f}")
    print(f"  median ratio x{sorted(ratios)[len(ratios) // 2]:.1f}")

    print("\npathological patterns (µs per character of text; re skipped where exponential)")
    for pattern in PATHOLOGICAL:
        cells = []
        for size in (25, 100, 1000, 10000):
            text = "a" * size if "x" not in pattern else "x" * size
            regexp = goregexp.compile(pattern)
            start = time.perf_counter()
            regexp.match_string(text)
            ours = (time.perf_counter() - start) / size * 1e6
            python = "skipped"
            if size <= 25:
                start = time.perf_counter()
                re.search(pattern, text)
                python = f"{(time.perf_counter() - start) / size * 1e6:.1f}"
            cells.append(f"n={size}: ours {ours:6.1f} re {python}")
        print(f"  {pattern:14} " + " | ".join(cells))


if __name__ == "__main__":
    main()
