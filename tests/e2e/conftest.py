"""Fixtures for end-to-end tests of the real binaries."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .harness import Mittnite

Start = Callable[..., Mittnite]


@pytest.fixture
def mittnite(tmp_path: Path) -> Iterator[Start]:
    """Start ``mittnite up`` with a config; everything is killed after the test."""
    started: list[Mittnite] = []

    def start(config: dict[str, str], *args: str, **options: object) -> Mittnite:
        instance = Mittnite(config, tmp_path, *args, **options)  # type: ignore[arg-type]
        started.append(instance)
        return instance

    yield start
    for instance in started:
        instance.kill()
    for instance in started:  # the last-resort guards must never have fired
        log = instance.stderr + instance.stdout
        assert "Traceback (most recent call last)" not in log, log
        assert "level=error msg=\"internal error" not in log, log
