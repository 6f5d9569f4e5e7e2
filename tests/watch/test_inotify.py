"""The directory-watch hub on real directories: inotify and the polling fallback."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from mittnite.runtime.inotify import WatchHub

from .helpers import DEADLINE, SETTLE, run, write


class Events:
    """Collects (directory, name) reports."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str | None]] = []
        self._flag = asyncio.Event()

    def __call__(self, directory: str, name: str | None) -> None:
        self.seen.append((directory, name))
        self._flag.set()

    async def until(self, wanted: tuple[str, str | None], timeout: float = DEADLINE) -> None:
        deadline = time.monotonic() + timeout
        while wanted not in self.seen:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{wanted} not reported; got {self.seen}"
            self._flag.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._flag.wait(), remaining)


@pytest.mark.parametrize("mode", ["inotify", "poll"])
def test_reports_creates_writes_renames_and_deletes(tmp_path: Path, mode: str) -> None:
    async def scenario() -> None:
        hub = WatchHub(mode=mode, poll_interval=0.1)
        events = Events()
        sub = hub.subscribe(events)
        assert sub.set_directories([str(tmp_path)]) == {str(tmp_path)}
        assert hub.watched() == {str(tmp_path): mode}
        here = str(tmp_path)
        write(tmp_path / "new.conf", "1")
        await events.until((here, "new.conf"))
        events.seen.clear()
        await asyncio.sleep(1.2)  # past the poller's "recently changed" window
        events.seen.clear()
        write(tmp_path / "new.conf", "22")
        await events.until((here, "new.conf"))
        write(tmp_path / "other.tmp", "x")
        os.replace(tmp_path / "other.tmp", tmp_path / "renamed.conf")
        await events.until((here, "renamed.conf"))
        os.unlink(tmp_path / "new.conf")
        await events.until((here, "new.conf"))
        hub.close()

    run(scenario())


def test_a_replaced_directory_is_reported_and_watched_again(tmp_path: Path) -> None:
    async def scenario() -> None:
        hub = WatchHub(mode="inotify")
        events = Events()
        sub = hub.subscribe(events)
        conf = tmp_path / "conf.d"
        conf.mkdir()
        sub.set_directories([str(conf)])
        shutil.rmtree(conf)
        await events.until((str(conf), None))  # the directory itself went away
        assert hub.watched() == {}
        conf.mkdir()
        # Asking again watches the new directory and says it is new.
        assert sub.set_directories([str(conf)]) == {str(conf)}
        assert sub.set_directories([str(conf)]) == set()  # unchanged now
        write(conf / "x.conf", "1")
        await events.until((str(conf), "x.conf"))
        hub.close()

    run(scenario())


def test_a_swapped_directory_symlink_moves_the_watch(tmp_path: Path) -> None:
    async def scenario() -> None:
        hub = WatchHub(mode="inotify")
        events = Events()
        sub = hub.subscribe(events)
        (tmp_path / "v1").mkdir()
        (tmp_path / "v2").mkdir()
        os.symlink("v1", tmp_path / "current")
        current = str(tmp_path / "current")
        sub.set_directories([current, str(tmp_path)])
        os.symlink("v2", tmp_path / "tmp-link")
        os.replace(tmp_path / "tmp-link", tmp_path / "current")  # atomic swap
        await events.until((str(tmp_path), "current"))  # seen in the parent
        assert current in sub.set_directories([current, str(tmp_path)])
        write(tmp_path / "v2" / "f", "x")
        await events.until((current, "f"))  # now reported through the new target
        hub.close()

    run(scenario())


def test_two_subscribers_share_one_watch_and_hear_only_their_directories(tmp_path: Path) -> None:
    async def scenario() -> None:
        hub = WatchHub(mode="inotify")
        first, second = Events(), Events()
        a, b = tmp_path / "a", tmp_path / "b"
        a.mkdir()
        b.mkdir()
        sub1 = hub.subscribe(first)
        sub2 = hub.subscribe(second)
        sub1.set_directories([str(a), str(b)])
        assert sub2.set_directories([str(b)]) == {str(b)}  # new to this subscriber
        write(a / "x", "1")
        write(b / "y", "1")
        await first.until((str(b), "y"))
        await second.until((str(b), "y"))
        assert (str(a), "x") in first.seen and (str(a), "x") not in second.seen
        sub1.close()
        assert set(hub.watched()) == {str(b)}
        sub2.close()
        assert hub.watched() == {}
        hub.close()

    run(scenario())


def test_missing_directories_are_skipped_until_they_exist(tmp_path: Path) -> None:
    async def scenario() -> None:
        hub = WatchHub(mode="inotify")
        sub = hub.subscribe(Events())
        missing = str(tmp_path / "later")
        assert sub.set_directories([missing]) == {missing}  # new to us, but ...
        assert hub.watched() == {}  # ... nothing to watch yet
        os.mkdir(missing)
        sub.set_directories([missing])
        assert hub.watched() == {missing: "inotify"}
        hub.close()

    run(scenario())


def test_close_releases_the_descriptor_and_stops_polling(tmp_path: Path) -> None:
    async def scenario() -> None:
        hub = WatchHub(mode="inotify")
        fd = hub._inotify.fd if hub._inotify else -1
        events = Events()
        hub.subscribe(events).set_directories([str(tmp_path)])
        hub.close()
        with pytest.raises(OSError):
            os.fstat(fd)
        poller = WatchHub(mode="poll", poll_interval=0.05)
        poller.subscribe(events).set_directories([str(tmp_path)])
        poller.close()
        write(tmp_path / "x", "1")
        await asyncio.sleep(SETTLE / 2)
        assert events.seen == []

    run(scenario())


def test_auto_mode_falls_back_to_polling_when_inotify_cannot_be_opened(tmp_path: Path) -> None:
    """Exhaust the descriptor limit (EMFILE) in a child process, for real."""
    program = textwrap.dedent(
        f"""
        import asyncio, os, resource
        from mittnite.runtime.inotify import WatchHub

        async def main():
            resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
            loop = asyncio.get_running_loop()
            filler = []
            while True:
                try:
                    filler.append(os.open("/dev/null", os.O_RDONLY))
                except OSError:
                    break
            hub = WatchHub(mode="auto", poll_interval=0.1)
            for fd in filler:
                os.close(fd)
            seen = asyncio.Event()
            hub.subscribe(lambda d, n: seen.set()).set_directories([{str(tmp_path)!r}])
            with open(os.path.join({str(tmp_path)!r}, "f"), "w") as handle:
                handle.write("x")
            await asyncio.wait_for(seen.wait(), 10)
            print(hub.mode, hub.fallback_reason)

        asyncio.run(main())
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("poll inotify unavailable: Too many open files")


def test_unknown_modes_are_rejected() -> None:
    async def scenario() -> None:
        with pytest.raises(ValueError):
            WatchHub(mode="fast")

    run(scenario())
