"""The documentation examples stay correct: Dockerfiles, Kubernetes manifest, quick start config.

No container engine runs here, so the Dockerfiles are checked statically:
every instruction is known, every COPY source exists in the repository (or is
produced by the documented build command), and the configurations they ship
validate.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from mittnite.config.load import load

from .harness import MITTNITE

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILES = sorted((ROOT / "examples" / "docker").glob("Dockerfile.*"))
INSTRUCTIONS = {"FROM", "COPY", "ADD", "RUN", "EXPOSE", "ENTRYPOINT", "CMD", "ENV", "WORKDIR", "ARG"}
BUILT = {
    "dist/mittnite": "packaging/build-standalone.sh",
    "dist/mittnite.tar.gz": "packaging/build_standalone.py",
}


def instructions(path: Path) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        lines.append((keyword, rest.strip()))
    return lines


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=[p.name for p in DOCKERFILES])
def test_dockerfile_is_well_formed_and_copies_existing_paths(dockerfile: Path) -> None:
    parsed = instructions(dockerfile)
    assert parsed[0][0] == "FROM"
    assert {keyword for keyword, _ in parsed} <= INSTRUCTIONS
    entrypoint = [rest for keyword, rest in parsed if keyword == "ENTRYPOINT"]
    assert entrypoint and "mittnite" in entrypoint[0]
    for keyword, rest in parsed:
        if keyword not in ("COPY", "ADD"):
            continue
        *sources, _destination = rest.split()
        for source in sources:
            if source in BUILT:
                script = ROOT / BUILT[source]
                assert script.exists() and source.split("/")[-1] in script.read_text()
            else:
                assert (ROOT / source).exists(), f"{dockerfile.name}: COPY {source} does not exist"


def test_quickstart_configuration_validates() -> None:
    result = subprocess.run(
        [*MITTNITE, "validate", "-c", "mittnite.d"],
        cwd=ROOT / "examples" / "quickstart", capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr


def test_kubernetes_configmap_configuration_validates(tmp_path: Path) -> None:
    manifest = (ROOT / "examples" / "kubernetes" / "pod.yaml").read_text()
    block = re.search(r"  jobs\.hcl: \|\n((?:    .*\n|\n)+)", manifest)
    assert block is not None
    config = tmp_path / "mittnite.d"
    config.mkdir()
    (config / "jobs.hcl").write_text("".join(line[4:] + "\n" for line in block.group(1).splitlines()))
    ignition, problems = load(str(config))
    assert [j.name for j in ignition.jobs] == ["web"] and problems == []
    assert "path: /healthz" in manifest and "path: /readyz" in manifest
