"""Explore: generate fresh cases, render them with ``tplref`` and with our engine, and print
the mismatches grouped by class (development only; needs tplref).

    python -m tests.gotemplate.differential.explore [--seed N] [--count N] [FAMILY...]

A class is the first sprig or builtin function named in the template plus how the answers
differ (output, error text, error on one side only, our exception or timeout). Every
mismatch is also written to ``--out`` (JSON lines) for a closer look.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import signal
import sys
import time
from typing import Any

from .generate import DEFAULT_TPLREF, FAMILIES, generate, keep
from .oracle import run_tplref
from .replay import Renderer, case_environment

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Timeout


def _first_function(template: str, names: set[str]) -> str:
    for word in _IDENT.findall(template):
        if word in names:
            return word
    return "-"


def classify(
    template: str, ours: tuple[str, str | None], go: tuple[str, str | None], names: set[str]
) -> str:
    function = _first_function(template, names)
    if ours[1] is None and go[1] is not None:
        kind = "go-errors"
    elif ours[1] is not None and go[1] is None:
        kind = "we-error"
    elif ours[1] != go[1]:
        kind = "error-text"
    else:
        kind = "output"
    return f"{function}:{kind}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tplref", default=os.environ.get("TPLREF", DEFAULT_TPLREF))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--out", default="/tmp/differential-mismatches.jsonl")
    parser.add_argument("--examples", type=int, default=2)
    parser.add_argument("families", nargs="*", default=list(FAMILIES))
    options = parser.parse_args(argv)
    from mittnite.gotemplate.builtins import BUILTINS

    from .generate import _signatures

    names = set(_signatures()) | set(BUILTINS)
    renderer = Renderer()
    classes: collections.Counter[str] = collections.Counter()
    examples: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    total = compared = 0
    signal.signal(signal.SIGALRM, _alarm)
    with open(options.out, "w", encoding="utf-8") as out:
        for family in options.families:
            cases = generate(family, options.count, seed=options.seed * 1000 + len(family))
            answers = run_tplref(options.tplref, cases)
            started = time.monotonic()
            mismatched = 0
            for case, answer in zip(cases, answers, strict=True):
                total += 1
                if answer is None or not keep(case, *answer):
                    continue
                compared += 1
                signal.alarm(10)
                try:
                    with case_environment():
                        ours = renderer.render(case["template"], case["params"], case["name"])
                except _Timeout:
                    ours = ("", "TIMEOUT")
                except Exception as problem:
                    ours = ("", f"EXCEPTION {type(problem).__name__}: {problem}")
                finally:
                    signal.alarm(0)
                if ours == answer:
                    continue
                mismatched += 1
                label = classify(case["template"], ours, answer, names)
                if ours[1] and (ours[1] == "TIMEOUT" or ours[1].startswith("EXCEPTION")):
                    label = _first_function(case["template"], names) + ":" + ours[1].split(":")[0]
                classes[label] += 1
                record = {"family": family, "class": label, **case, "ours": ours, "go": answer}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                if len(examples[label]) < options.examples:
                    examples[label].append(record)
            print(
                f"{family}: {len(cases)} cases, {mismatched} mismatches, "
                f"{time.monotonic() - started:.1f}s ours",
                file=sys.stderr,
            )
    print(f"total {total}, compared {compared}, mismatches {sum(classes.values())}")
    for label, count in classes.most_common():
        print(f"\n== {label}: {count}")
        for example in examples[label]:
            print(
                "   template:",
                example["template"][:300].replace("\n", "\\n"),
                "params",
                example["params"],
            )
            print("   ours:", repr(example["ours"])[:400])
            print("   go:  ", repr(example["go"])[:400])


if __name__ == "__main__":
    main()
