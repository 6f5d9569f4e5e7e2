"""``filesystem = "<dir>"``: ready when the path is a directory mittnite can read.

Unlike the original, a missing path keeps the readiness wait waiting (the
original logged ``path does not exist`` at fatal level and then declared
*everything* ready). The read runs in a thread so a hung network mount
cannot freeze the init. ``ENV:`` is not resolved here, as in the original.
"""

from __future__ import annotations

import os

from .base import Checker, ProbeError
from .blocking import run_blocking
from .gotext import fs_text


class FilesystemChecker(Checker):
    kind = "filesystem"

    def __init__(self, path: str) -> None:
        self.path = path
        self.target = path

    async def check(self) -> None:
        await run_blocking(self._read, name="mittnite-probe-filesystem")

    async def reachable(self) -> bool:
        return await run_blocking(lambda: os.path.isdir(self.path))

    def alive_fields(self) -> dict[str, str]:
        return {}  # the original logs nothing for a readable directory

    def _read(self) -> None:
        path = self.path
        try:
            with os.scandir(path) as entries:
                next(entries, None)
        except FileNotFoundError as error:
            raise ProbeError(
                f"filesystem: {path} does not exist",
                unreachable=True,
                go_text=fs_text("open", path, error),
            ) from None
        except NotADirectoryError as error:
            raise ProbeError(
                f"filesystem: {path} is not a directory", go_text=fs_text("readdirent", path, error)
            ) from None
        except PermissionError as error:
            raise ProbeError(
                f"filesystem: {path} is not readable (permission denied)",
                go_text=fs_text("open", path, error),
            ) from None
        except OSError as error:
            reason = os.strerror(error.errno) if error.errno else str(error)
            raise ProbeError(
                f"filesystem: cannot read {path}: {reason.lower()}",
                go_text=fs_text("open", path, error),
            ) from None


def build(path: str) -> FilesystemChecker:
    return FilesystemChecker(path)
