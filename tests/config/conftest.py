"""Helpers to lay out configuration directories for loader tests."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

MakeDir = Callable[[Mapping[str, str]], str]


@pytest.fixture
def config_dir(tmp_path: Path) -> MakeDir:
    """Write ``{relative path: content}`` under ``<tmp>/mittnite.d`` and return that dir."""

    def make(files: Mapping[str, str]) -> str:
        root = tmp_path / "mittnite.d"
        root.mkdir(exist_ok=True)
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        return os.fspath(root)

    return make
