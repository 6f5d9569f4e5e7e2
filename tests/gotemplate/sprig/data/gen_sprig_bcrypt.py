"""Dev-only: record bcrypt hashes made by Go (sprig's ``bcrypt``/``htpasswd``).

Not run by the test suite. Uses the release build's template engine
(/work/shared/reference/bin/tplref, i.e. shared/ beside the checkout; override with TPLREF=path) and writes
sprig_bcrypt.json next to itself: ``{"hashes": [{"password", "hash"}]}``. The tests
recompute each hash from its salt through crypt(3) (mittnite.native.bcrypt) and must
get Go's bytes back, so our hashes verify wherever Go's do and vice versa.

    python tests/gotemplate/sprig/data/gen_sprig_bcrypt.py
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

HERE = Path(__file__).parent
TPLREF = os.environ.get(
    "TPLREF", str(HERE.parents[4] / "shared" / "reference" / "bin" / "tplref")
)
PASSWORDS = [
    "",
    "x",
    "s3cr3t",
    "wonder land",
    "pässwörd ✓",
    "a" * 71,
    "b" * 72,
    "0123456789" * 7 + "ab",
]


def main() -> None:
    batch = [
        {"name": "t", "template": "{{ bcrypt .Env.PW }}", "params_hcl": "", "env": {"PW": pw}}
        for pw in PASSWORDS
    ]
    process = subprocess.run(
        [TPLREF, "-batch"], input=json.dumps(batch), capture_output=True, text=True, check=True
    )
    results = json.loads(process.stdout)
    hashes = []
    for password, result in zip(PASSWORDS, results, strict=True):
        assert result["error"] is None, result
        hashes.append({"password": password, "hash": result["output"]})
    data = {"generator": Path(__file__).name, "hashes": hashes}
    (HERE / "sprig_bcrypt.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
