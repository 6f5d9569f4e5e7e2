"""Dev-only: record Go's strconv answers for tests/golang/test_strconv.py.

Not run by the test suite. Needs a Go toolchain (``go`` on PATH, any version >= 1.13):
builds ``strconv_oracle.go`` next to this file, feeds it hand-picked and random inputs
for ``ParseInt``, ``ParseUint``, ``Atoi`` and ``ParseFloat`` and writes ``strconv.json``
(``{"cases": [[fn, s, base, bits, value, error], ...]}``).

    python tests/golang/data/gen_strconv.py
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
SEED = 20240611

SIGNS = ["", "-", "+"]
BODIES = [
    "", "0", "00", "7", "08", "010", "0x", "0x1F", "0X1f", "0xg", "0o17", "0O17", "0o8",
    "0b101", "0B2", "0b", "1_000", "1__000", "_1000", "1000_", "0x_1F", "0_x1F", "0b_1",
    "0_7", "0_8", "1_0x", "3.7", "2.5", "1e3", "1E3", " 5", "5 ", "\t5", "٣", "５",
    "9223372036854775807", "9223372036854775808", "9223372036854775809",
    "18446744073709551615", "18446744073709551616", "99999999999999999999",
    "99999999999999999999x", "x99999999999999999999", "0x8000000000000000",
    "0xFFFFFFFFFFFFFFFF", "0x10000000000000000", "0b" + "1" * 64, "0b1" + "0" * 64,
    "0o1777777777777777777777", "0o2000000000000000000000", "127", "128", "255", "256",
    "32767", "32768", "65535", "65536", "2147483647", "2147483648", "4294967295",
    "4294967296", "zz", "ZZ", "z", "10", "11", "1234567890123456789", "123456789012345678",
    "12345678901234567890", "0.0", ".5", "5.", ".", "e5", "1e", "1e+", "1e-5", "1e400",
    "1e-400", "1e308", "1.7976931348623157e308", "1.7976931348623159e308", "4.9e-324",
    "2e-324", "0x1p-2", "0x1P+2", "0x1.8p1", "0x.8p1", "0x1", "0x1p", "0x_1p0", "0x1_p0",
    "1_0.5", "1._5", "1_.5", "1.5_", "1e1_0", "1e_10", "inf", "Inf", "INF", "infinity",
    "Infinity", "infin", "infinit", "infinityx", "nan", "NaN", "NAN", "nanx", "in", "n",
    "i", "0x1.fffffffffffffp1023", "0x1p1024", "0x1p-1074", "0x1p-1075", "1" * 30,
    "1" * 400, "0." + "0" * 400 + "1", "123456789" * 3 + "e-20", "1e99999999999",
    "1e-99999999999", "0e99999", "-", "+", "--1", "+-1", "-+1", "0-1", "1-", "١",
    "\u0661\u0662", "1\u00a0", "K", "\u212a",
]  # fmt: skip
BASES = [0, 10, 2, 8, 16, 36, 1, 37, -1, 3, 35]
BIT_SIZES = [64, 0, 32, 16, 8, 1, 63, 65, -1]


def _random_body(rng: random.Random) -> str:
    alphabet = "0123456789_xXoObBeEpP.+-abcdefABCDEFinfINFna "
    size = rng.randint(0, 24)
    return "".join(rng.choice(alphabet) for _ in range(size))


def requests() -> list[dict[str, object]]:
    rng = random.Random(SEED)
    found: list[dict[str, object]] = []
    texts = [sign + body for sign in SIGNS for body in BODIES]
    texts += [_random_body(rng) for _ in range(500)]
    texts += [
        prefix + "".join(rng.choice("0123456789abcdef_") for _ in range(rng.randint(1, 22)))
        for prefix in ("", "0x", "0o", "0b", "-0x", "0")
        for _ in range(25)
    ]
    for text in texts:
        found.append({"fn": "ParseInt", "s": text, "base": 0, "bits": 64})
        found.append({"fn": "ParseUint", "s": text, "base": 0, "bits": 64})
        found.append({"fn": "ParseInt", "s": text, "base": 10, "bits": 64})
        found.append({"fn": "Atoi", "s": text, "base": 0, "bits": 0})
        found.append({"fn": "ParseFloat", "s": text, "base": 0, "bits": 64})
    for text in rng.sample(texts, 150):
        for base in BASES:
            for bits in (rng.choice(BIT_SIZES),):
                found.append({"fn": rng.choice(["ParseInt", "ParseUint"]), "s": text,
                              "base": base, "bits": bits})  # fmt: skip
        found.append({"fn": "ParseFloat", "s": text, "base": 0, "bits": 32})
    for _ in range(150):
        value = rng.choice([rng.random() * 10 ** rng.randint(-320, 310), rng.randint(0, 2**64)])
        for spelling in (repr(float(value)), f"{value:.25e}", str(value)):
            found.append({"fn": "ParseFloat", "s": spelling, "base": 0, "bits": 64})
            found.append({"fn": "ParseFloat", "s": spelling, "base": 0, "bits": 32})
    return found


def main() -> None:
    go = shutil.which("go")
    if go is None:
        raise SystemExit("needs a Go toolchain on PATH")
    cases = requests()
    with tempfile.TemporaryDirectory() as work:
        shutil.copy(HERE / "strconv_oracle.go", Path(work) / "main.go")
        binary = Path(work) / "oracle"
        environment = dict(os.environ, GO111MODULE="off", GOPATH=work)
        subprocess.run([go, "build", "-o", str(binary), "main.go"], cwd=work, check=True,
                       env=environment)  # fmt: skip
        run = subprocess.run([str(binary)], input=json.dumps(cases), capture_output=True,
                             text=True, check=True)  # fmt: skip
    answers = json.loads(run.stdout)
    rows = [
        [case["fn"], case["s"], case["base"], case["bits"], answer["value"], answer["error"]]
        for case, answer in zip(cases, answers, strict=True)
    ]
    unique = list({json.dumps(row): row for row in rows}.values())
    (HERE / "strconv.json").write_text(
        json.dumps({"generator": "gen_strconv.py", "cases": unique}, ensure_ascii=False) + "\n",
        "utf-8",
    )
    print(f"{len(unique)} cases")


if __name__ == "__main__":
    main()
