"""Go's os.MkdirAll: which directory a failure names (texts checked against the original,
which reports log directories it cannot create as ``mkdir <path>: <reason>``)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from mittnite.golang.osfs import mkdir_all


def test_creates_missing_parents_and_accepts_existing_ones(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "c"
    mkdir_all(str(target) + "//", 0o755)
    assert target.is_dir()
    mkdir_all(str(target), 0o755)  # exists: nothing to do
    assert (os.stat(target).st_mode & 0o777) == 0o755 & ~_umask()


def test_below_a_regular_file_the_file_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "app.log"
    blocker.write_text("")
    with pytest.raises(OSError) as caught:
        mkdir_all(str(blocker / "sub" / "deeper"))
    assert caught.value.errno == errno.ENOTDIR
    assert caught.value.filename == str(blocker)  # os.makedirs would name .../sub/deeper


def test_the_directory_whose_mkdir_failed_is_named() -> None:
    with pytest.raises(OSError) as caught:
        mkdir_all("/proc/self/no-such-dir/sub")  # /proc takes no new directories
    assert caught.value.errno == errno.ENOENT
    assert caught.value.filename == "/proc/self/no-such-dir"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
