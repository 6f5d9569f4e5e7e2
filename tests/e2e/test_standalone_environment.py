"""The standalone executable gives jobs the container's environment too.

PyInstaller's bootloader adds ``LD_LIBRARY_PATH`` (pointing into its unpacked bundle) and
``_PYI_*`` variables before Python starts; a job inheriting them would load the bundle's
libraries instead of its own. Uses ``dist/mittnite`` (built by test_standalone.py earlier
in the session, or here if it is missing or older than the sources).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from mittnite.runtime import forkexec

from .environment_cases import capture

ROOT = Path(__file__).resolve().parents[2]
BINARY = ROOT / "dist" / "mittnite"
VECTORS = json.loads((Path(__file__).parent / "data" / "environment_vectors.json").read_text())

pytestmark = pytest.mark.skipif(
    not forkexec.supported() or shutil.which("unshare") is None, reason="needs _posixsubprocess"
)


def newest_source() -> float:
    return max(
        p.stat().st_mtime for p in [*(ROOT / "src").rglob("*.py"), *(ROOT / "packaging").iterdir()]
    )


@pytest.fixture(scope="module")
def standalone() -> Path:
    if not BINARY.exists() or BINARY.stat().st_mtime < newest_source():
        subprocess.run(
            ["sh", str(ROOT / "packaging" / "build-standalone.sh")], check=True, timeout=900
        )
    return BINARY


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_standalone_job_environment_is_the_originals(
    standalone: Path, vector: dict[str, object], tmp_path: Path
) -> None:
    block = capture([str(standalone)], vector, tmp_path, timeout=120)
    expected = b"".join(e.encode("utf-8", "surrogateescape") + b"\0" for e in vector["expected"])  # type: ignore[attr-defined]
    assert block == expected
