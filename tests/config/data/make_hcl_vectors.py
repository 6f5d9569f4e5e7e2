"""Developer tool: record what hashicorp/hcl v1 makes of generated configurations.

Not run by the test suite (it needs the reference decoder ``hclref``, see
../shared/reference/README.md). It generates cases with ``tests/config/hclgen.py``,
decodes each with ``hclref`` exactly as the original loads a config directory, and
writes the vectors that ``tests/config/test_hcl_vectors.py`` replays::

    python tests/config/data/make_hcl_vectors.py [--per-class N] [--hclref PATH]

Output: ``tests/config/data/hcl_vectors.jsonl.gz``, one JSON object per line:
``{"class", "seed", "files": {name: text}, "config": <pruned Go value> | null,
"error": <hclref's message> | null}``. File texts that are not valid UTF-8 are
stored under ``"files_b64"`` instead. Values are pruned (``null`` and ``""``
struct fields dropped, see ``hclvectors.prune``) to keep the file small.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent.parent))

from tests.config.hclgen import CLASSES, generate  # noqa: E402
from tests.config.hclvectors import prune  # noqa: E402

DEFAULT_HCLREF = HERE.parents[3] / "shared" / "reference" / "bin" / "hclref"
OUTPUT = HERE / "hcl_vectors.jsonl.gz"


def decode_with_go(hclref: str, files: dict[str, bytes]) -> tuple[object | None, str | None]:
    """hclref's decoding of a directory holding ``files``."""
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "mittnite.d")
        os.makedirs(root)
        for name, data in files.items():
            path = os.path.join(root, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(data)
        try:
            proc = subprocess.run([hclref, root], capture_output=True, timeout=60)
        except subprocess.TimeoutExpired:
            return None, "timeout"
    if proc.returncode == 0:
        return prune(json.loads(proc.stdout)), None
    message = proc.stderr.decode("utf-8", "replace").strip().replace(tmp, "<TMP>")
    if "goroutine " in message or message.startswith("panic"):
        message = "panic: " + message.splitlines()[0]
    return None, message or f"exit status {proc.returncode}"


def record(kind: str, seed: int, hclref: str) -> dict[str, object]:
    files = {name: text.encode("utf-8", "surrogateescape") for name, text in generate(kind, seed).items()}
    config, error = decode_with_go(hclref, files)
    entry: dict[str, object] = {"class": kind, "seed": seed}
    try:
        entry["files"] = {name: data.decode("utf-8") for name, data in files.items()}
    except UnicodeDecodeError:
        entry["files_b64"] = {name: base64.b64encode(data).decode() for name, data in files.items()}
    entry["config"] = config
    entry["error"] = None if error is None else error[:300]  # only its presence is compared
    return entry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-class", type=int, default=1500)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--hclref", default=str(DEFAULT_HCLREF))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--output", default=str(OUTPUT))
    parser.add_argument("--classes", default=",".join(CLASSES))
    options = parser.parse_args()
    kinds = options.classes.split(",")
    work = [
        (kind, seed)
        for kind in kinds
        for seed in range(options.first_seed, options.first_seed + options.per_class)
    ]
    with ThreadPoolExecutor(options.jobs) as pool:
        entries = list(pool.map(lambda ks: record(ks[0], ks[1], options.hclref), work))
    with gzip.open(options.output, "wt", encoding="utf-8", compresslevel=9) as out:
        for entry in entries:
            out.write(json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n")
    accepted = sum(1 for e in entries if e["error"] is None)
    print(f"{len(entries)} vectors ({accepted} accepted by hcl v1) -> {options.output}")


if __name__ == "__main__":
    main()
