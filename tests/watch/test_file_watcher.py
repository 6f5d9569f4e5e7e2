"""FileWatcher end to end: real files, real inotify (and polling), real timing.

Each scenario changes files the way real tools do and checks how often and
with which changes the watch block ran, and in which order its pre command,
action and post command happened.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from pathlib import Path

from mittnite.config.model import Watch, WatchCommand
from mittnite.runtime.inotify import WatchHub
from mittnite.supervisor.watch import CREATED, MODIFIED, REMOVED

from .helpers import SETTLE, Recorder, replace_atomically, run, write

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mittnite.supervisor.watch import FileWatcher


def start(recorder: Recorder, *watches: Watch, **options: Any) -> FileWatcher:
    watcher = recorder.watcher("web", *watches, **options)
    watcher.start()
    return watcher


def only_change(recorder: Recorder, index: int = 0) -> tuple[str, str]:
    changes = recorder.triggers[index][1]
    assert len(changes) == 1, changes
    return changes[0]


def test_existing_files_do_not_trigger_at_start_and_an_inplace_write_does(tmp_path: Path) -> None:
    conf = tmp_path / "app.conf"
    write(conf, "one")

    async def scenario() -> None:
        rec = Recorder()
        watcher = start(rec, Watch(str(conf), signal=1))
        assert watcher.mode == "inotify"
        await asyncio.sleep(SETTLE)
        assert rec.triggers == []  # rendered before the job started: no signal
        with open(conf, "a") as handle:  # in place, same inode
            handle.write(" two")
        await rec.wait_for(1)
        assert only_change(rec) == (str(conf), MODIFIED)
        assert f'msg="file {conf} changed, signalling process web"' in rec.log_lines[0]
        await watcher.stop()

    run(scenario())


def test_atomic_rename_over_the_file_triggers_once(tmp_path: Path) -> None:
    conf = tmp_path / "app.conf"
    write(conf, "one")

    async def scenario() -> None:
        rec = Recorder()
        watcher = start(rec, Watch(str(conf)))
        replace_atomically(conf, "two")
        await rec.wait_for(1)
        await asyncio.sleep(SETTLE)
        assert rec.triggers == [(str(conf), [(str(conf), MODIFIED)])]
        await watcher.stop()

    run(scenario())


def test_mv_over_the_file_triggers(tmp_path: Path) -> None:
    conf = tmp_path / "app.conf"
    write(conf, "one")
    staged = tmp_path / "staging"
    staged.mkdir()
    write(staged / "app.conf", "two")

    async def scenario() -> None:
        rec = Recorder()
        watcher = start(rec, Watch(str(conf)))
        subprocess.run(["mv", str(staged / "app.conf"), str(conf)], check=True)
        await rec.wait_for(1)
        assert only_change(rec) == (str(conf), MODIFIED)
        await watcher.stop()

    run(scenario())


def test_editor_style_swap_triggers_exactly_once(tmp_path: Path) -> None:
    conf = tmp_path / "app.conf"
    write(conf, "one")

    async def scenario() -> None:
        rec = Recorder()
        watcher = start(rec, Watch(str(tmp_path / "*.conf")))
        # vim: swap file, backup by rename, write a new file, fix the mode, clean up.
        write(tmp_path / ".app.conf.swp", "swap")
        os.rename(conf, tmp_path / "app.conf~")
        write(conf, "two")
        os.chmod(conf, 0o644)
        os.unlink(tmp_path / "app.conf~")
        os.unlink(tmp_path / ".app.conf.swp")
        await rec.wait_for(1)
        await asyncio.sleep(SETTLE)
        assert rec.triggers == [(str(tmp_path / "*.conf"), [(str(conf), MODIFIED)])]
        await watcher.stop()

    run(scenario())


def _kubelet_update(volume: Path, version: str, files: dict[str, str]) -> None:
    """Update a ConfigMap volume the way kubelet's atomic writer does."""
    payload = volume / f"..{version}"
    payload.mkdir()
    for name, text in files.items():
        write(payload / name, text)
    old = os.readlink(volume / "..data") if (volume / "..data").is_symlink() else None
    os.symlink(payload.name, volume / "..data_tmp")
    os.replace(volume / "..data_tmp", volume / "..data")
    for name in files:
        if not (volume / name).is_symlink():
            os.symlink(f"..data/{name}", volume / name)
    if old is not None:
        shutil.rmtree(volume / old)


def test_configmap_symlink_swap_triggers_only_for_changed_content(tmp_path: Path) -> None:
    volume = tmp_path / "config"
    volume.mkdir()
    _kubelet_update(volume, "2024_01_01", {"app.conf": "v1", "other.conf": "a"})

    async def scenario() -> None:
        rec = Recorder()
        watcher = start(rec, Watch(str(volume / "app.conf"), signal=1))
        await asyncio.sleep(SETTLE / 2)
        # Another key changed: app.conf resolves elsewhere but reads the same.
        _kubelet_update(volume, "2024_01_02", {"app.conf": "v1", "other.conf": "b"})
        await asyncio.sleep(SETTLE)
        assert rec.triggers == []
        _kubelet_update(volume, "2024_01_03", {"app.conf": "v2", "other.conf": "b"})
        await rec.wait_for(1)
        await asyncio.sleep(SETTLE)
        assert rec.triggers == [(str(volume / "app.conf"), [(str(volume / "app.conf"), MODIFIED)])]
        await watcher.stop()

    run(scenario())


def test_glob_through_the_configmap_data_link(tmp_path: Path) -> None:
    volume = tmp_path / "config"
    volume.mkdir()
    _kubelet_update(volume, "1", {"a.conf": "v1"})

    async def scenario() -> None:
        rec = Recorder()
        pattern = str(volume / "..data" / "*.conf")
        watcher = start(rec, Watch(pattern))
        _kubelet_update(volume, "2", {"a.conf": "v2", "b.conf": "new"})
        await rec.wait_for(1)
        assert sorted(rec.triggers[0][1]) == [
            (str(volume / "..data" / "a.conf"), MODIFIED),
            (str(volume / "..data" / "b.conf"), CREATED),
        ]
        await watcher.stop()

    run(scenario())


def test_a_symlinked_file_changing_in_another_directory(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "etc").mkdir()
    write(tmp_path / "data" / "real.conf", "v1")
    os.symlink("../data/real.conf", tmp_path / "etc" / "app.conf")
    conf = str(tmp_path / "etc" / "app.conf")

    async def scenario() -> None:
        rec = Recorder()
        watcher = start(rec, Watch(conf))
        assert str(tmp_path / "data") in watcher.watched_directories
        write(tmp_path / "data" / "real.conf", "v2")  # no event in etc/ at all
        await rec.wait_for(1)
        assert only_change(rec) == (conf, MODIFIED)
        os.unlink(tmp_path / "data" / "real.conf")  # now a dangling link: gone
        await rec.wait_for(2)
        assert only_change(rec, 1) == (conf, REMOVED)
        await watcher.stop()

    run(scenario())


def test_new_matching_file_and_deleted_file(tmp_path: Path) -> None:
    write(tmp_path / "a.conf", "a")
    write(tmp_path / "notes.txt", "n")

    async def scenario() -> None:
        rec = Recorder()
        watcher = start(rec, Watch(str(tmp_path / "*.conf")))
        write(tmp_path / "other.txt", "not matching")
        await asyncio.sleep(SETTLE)
        assert rec.triggers == []
        write(tmp_path / "b.conf", "b")
        await rec.wait_for(1)
        assert only_change(rec, 0) == (str(tmp_path / "b.conf"), CREATED)
        os.unlink(tmp_path / "a.conf")
        await rec.wait_for(2)
        assert only_change(rec, 1) == (str(tmp_path / "a.conf"), REMOVED)
        assert any(
            f'msg="file {tmp_path / "a.conf"} not found, signalling process web"' in line
            for line in rec.log_lines
        )
        await watcher.stop()

    run(scenario())


def test_directory_created_later(tmp_path: Path) -> None:
    async def scenario() -> None:
        rec = Recorder()
        pattern = str(tmp_path / "app" / "conf.d" / "*.conf")
        watcher = start(rec, Watch(pattern))
        assert watcher.watched_directories == {str(tmp_path)}
        (tmp_path / "app" / "conf.d").mkdir(parents=True)
        write(tmp_path / "app" / "conf.d" / "x.conf", "1")
        await rec.wait_for(1)
        assert only_change(rec) == (str(tmp_path / "app" / "conf.d" / "x.conf"), CREATED)
        # Now the directory itself is watched; later files are seen too.
        await asyncio.sleep(SETTLE / 2)
        assert str(tmp_path / "app" / "conf.d") in watcher.watched_directories
        write(tmp_path / "app" / "conf.d" / "y.conf", "2")
        await rec.wait_for(2)
        assert only_change(rec, 1) == (str(tmp_path / "app" / "conf.d" / "y.conf"), CREATED)
        # Removed and created again, with a file: still seen.
        shutil.rmtree(tmp_path / "app")
        await rec.wait_for(3)
        (tmp_path / "app" / "conf.d").mkdir(parents=True)
        write(tmp_path / "app" / "conf.d" / "z.conf", "3")
        await rec.wait_for(4)
        assert (str(tmp_path / "app" / "conf.d" / "z.conf"), CREATED) in rec.triggers[-1][1]
        await watcher.stop()

    run(scenario())


def test_wildcard_directory_components(tmp_path: Path) -> None:
    (tmp_path / "svc1" / "conf.d").mkdir(parents=True)

    async def scenario() -> None:
        rec = Recorder()
        watcher = start(rec, Watch(str(tmp_path / "*" / "conf.d" / "*.conf")))
        (tmp_path / "svc2" / "conf.d").mkdir(parents=True)
        await asyncio.sleep(SETTLE / 2)
        write(tmp_path / "svc2" / "conf.d" / "a.conf", "a")
        await rec.wait_for(1)
        assert only_change(rec) == (str(tmp_path / "svc2" / "conf.d" / "a.conf"), CREATED)
        await watcher.stop()

    run(scenario())


def test_100_rapid_writes_give_exactly_one_trigger(tmp_path: Path) -> None:
    conf = tmp_path / "app.conf"
    write(conf, "start")
    writer = (
        "import sys\n"
        "for i in range(100):\n"
        "    with open(sys.argv[1], 'w') as f:\n"
        "        f.write(f'value {i}')\n"
    )

    async def scenario() -> None:
        rec = Recorder()
        # A wider quiet time than the default, so that a writer preempted for a
        # few tens of milliseconds on a busy test machine still counts as one burst.
        watcher = start(rec, Watch(str(conf)), quiet=0.25, max_delay=5.0)
        process = await asyncio.create_subprocess_exec(sys.executable, "-c", writer, str(conf))
        assert await process.wait() == 0
        await rec.wait_for(1)
        await asyncio.sleep(SETTLE)
        assert rec.triggers == [(str(conf), [(str(conf), MODIFIED)])]
        await watcher.stop()

    run(scenario())


def test_a_touch_triggers_once_as_in_the_original(tmp_path: Path) -> None:
    """The original compares modification times, and setups ``touch`` a file to ask for a
    reload: that keeps working. A ``chmod`` changes neither time nor content."""
    conf = tmp_path / "app.conf"
    write(conf, "same")

    async def scenario() -> None:
        rec = Recorder()
        watcher = start(rec, Watch(str(conf)))
        os.chmod(conf, 0o600)
        await asyncio.sleep(SETTLE)
        assert rec.triggers == []
        subprocess.run(["touch", "-d", "+2 seconds", str(conf)], check=True)
        await rec.wait_for(1)
        assert only_change(rec) == (str(conf), MODIFIED)
        await asyncio.sleep(SETTLE)
        assert len(rec.triggers) == 1
        await watcher.stop()

    run(scenario())


def test_an_identical_copy_put_in_place_is_no_change(tmp_path: Path) -> None:
    """Another file with the same bytes (an atomic replace by config management, a
    ConfigMap swap made for another key): nothing to reload (the original signals)."""
    conf = tmp_path / "app.conf"
    write(conf, "same")

    async def scenario() -> None:
        rec = Recorder()
        watcher = start(rec, Watch(str(conf)))
        replace_atomically(conf, "same")  # an identical copy, new inode, new time
        await asyncio.sleep(SETTLE)
        assert rec.triggers == []
        await watcher.stop()

    run(scenario())


def test_a_change_that_keeps_size_and_times_is_still_seen(tmp_path: Path) -> None:
    """What mtime polling misses: same size, times reset (or within one tick)."""
    conf = tmp_path / "app.conf"
    write(conf, "aaaa")
    before = os.stat(conf)

    async def scenario() -> None:
        rec = Recorder()
        watcher = start(rec, Watch(str(conf)))
        write(conf, "bbbb")
        os.utime(conf, ns=(before.st_atime_ns, before.st_mtime_ns))
        await rec.wait_for(1)
        assert only_change(rec) == (str(conf), MODIFIED)
        await watcher.stop()

    run(scenario())


def test_polling_fallback_detects_changes(tmp_path: Path) -> None:
    conf = tmp_path / "app.conf"
    write(conf, "one")

    async def scenario() -> None:
        rec = Recorder()
        watcher = start(rec, Watch(str(tmp_path / "*.conf")), mode="poll", poll_interval=0.2)
        assert watcher.mode == "poll"
        write(conf, "two")
        await rec.wait_for(1)
        write(tmp_path / "new.conf", "x")
        await rec.wait_for(2)
        os.unlink(conf)
        await rec.wait_for(3)
        assert [only_change(rec, i)[1] for i in range(3)] == [MODIFIED, CREATED, REMOVED]
        os.chmod(tmp_path / "new.conf", 0o600)  # neither the time nor the bytes change
        await asyncio.sleep(SETTLE)
        assert len(rec.triggers) == 3
        subprocess.run(["touch", "-d", "+2 seconds", str(tmp_path / "new.conf")], check=True)
        await rec.wait_for(4)
        assert only_change(rec, 3) == (str(tmp_path / "new.conf"), MODIFIED)
        await watcher.stop()

    run(scenario())


def test_two_watch_blocks_do_not_interfere(tmp_path: Path) -> None:
    write(tmp_path / "a.conf", "a")
    write(tmp_path / "b.conf", "b")

    async def scenario() -> None:
        rec = Recorder()
        block_a = Watch(str(tmp_path / "a.conf"), signal=1)
        block_b = Watch(str(tmp_path / "b.conf"), signal=10)
        watcher = start(rec, block_a, block_b)
        await asyncio.sleep(SETTLE)
        assert rec.triggers == []  # the original fires block a once here
        write(tmp_path / "b.conf", "b2")
        await rec.wait_for(1)
        os.unlink(tmp_path / "a.conf")
        await rec.wait_for(2)
        await asyncio.sleep(SETTLE / 2)
        assert rec.triggers == [
            (block_b.filename, [(block_b.filename, MODIFIED)]),
            (block_a.filename, [(block_a.filename, REMOVED)]),
        ]
        assert watcher.runs == [1, 1]
        await watcher.stop()

    run(scenario())


def test_commands_run_in_order_around_the_action(tmp_path: Path) -> None:
    conf = tmp_path / "app.conf"
    write(conf, "one")
    block = Watch(
        str(conf),
        signal=1,
        pre_command=WatchCommand("pre-reload", ("x",)),
        post_command=WatchCommand("post-reload"),
    )

    async def scenario() -> None:
        rec = Recorder()
        watcher = start(rec, block)
        write(conf, "two")
        await rec.wait_for(1)
        await asyncio.sleep(0.2)
        assert rec.events == ["pre:pre-reload", f"action:{conf}", "post:post-reload"]
        executing = [line for line in rec.log_lines if "executing watch command" in line]
        assert len(executing) == 2 and all("job.name=web" in line for line in executing)
        await watcher.stop()

    run(scenario())


def test_command_failures_are_warnings_and_never_stop_the_action(tmp_path: Path) -> None:
    conf = tmp_path / "app.conf"
    write(conf, "one")
    block = Watch(
        str(conf),
        pre_command=WatchCommand(""),  # missing command
        post_command=WatchCommand("post-fails"),
    )

    async def scenario() -> None:
        rec = Recorder(command_error="exit status 3")
        watcher = start(rec, block)
        write(conf, "two")
        await rec.wait_for(1)
        await asyncio.sleep(0.2)
        assert rec.events == [f"action:{conf}", "post:post-fails"]
        lines = rec.log_lines
        assert any(
            'level=warning msg="failed to execute pre watch command" error="command is missing"'
            " job.name=web" in line
            for line in lines
        )
        assert any(
            'level=warning msg="failed to execute post watch command" error="exit status 3"'
            " job.name=web" in line
            for line in lines
        )
        await watcher.stop()

    run(scenario())


def test_changes_during_a_run_lead_to_one_more_run_never_an_overlap(tmp_path: Path) -> None:
    conf = tmp_path / "app.conf"
    write(conf, "0")

    async def scenario() -> None:
        rec = Recorder(action_delay=0.6)  # e.g. a slow restart
        watcher = start(rec, Watch(str(conf)))
        write(conf, "1")
        await asyncio.sleep(0.2)  # the first run is busy now
        for i in range(2, 6):
            write(conf, str(i))
            await asyncio.sleep(0.05)
        await rec.wait_for(2)
        await asyncio.sleep(SETTLE)
        assert len(rec.triggers) == 2
        assert rec.max_active == 1
        await watcher.stop()

    run(scenario())


def test_stop_releases_everything(tmp_path: Path) -> None:
    conf = tmp_path / "app.conf"
    write(conf, "one")

    async def scenario() -> None:
        rec = Recorder()
        hub = WatchHub(mode="inotify")
        watcher = start(rec, Watch(str(conf)), hub=hub)
        assert hub.watched() == {str(tmp_path): "inotify"}
        await watcher.stop()
        assert hub.watched() == {}
        assert not hub.closed  # a shared hub stays open for the other jobs
        write(conf, "two")
        await asyncio.sleep(SETTLE / 2)
        assert rec.triggers == []
        hub.close()

    run(scenario())


def test_jobs_share_one_hub(tmp_path: Path) -> None:
    write(tmp_path / "a.conf", "a")

    async def scenario() -> None:
        hub = WatchHub(mode="inotify")
        web, worker = Recorder(), Recorder()
        pattern = str(tmp_path / "*.conf")
        first = start(web, Watch(pattern), hub=hub)
        second = worker.watcher("worker", Watch(pattern), hub=hub)
        second.start()
        write(tmp_path / "a.conf", "b")
        await web.wait_for(1)
        await worker.wait_for(1)
        assert "signalling process worker" in worker.log_lines[0]
        await first.stop()
        await second.stop()
        hub.close()

    run(scenario())


def test_a_malformed_glob_is_warned_about_once(tmp_path: Path) -> None:
    async def scenario() -> None:
        rec = Recorder()
        watcher = start(rec, Watch(str(tmp_path / "[")))
        warnings = [line for line in rec.log_lines if "failed to watch" in line]
        assert len(warnings) == 1
        assert f'msg="failed to watch {tmp_path}/[: syntax error in pattern"' in warnings[0]
        await watcher.stop()

    run(scenario())


def test_run_stops_when_cancelled(tmp_path: Path) -> None:
    conf = tmp_path / "app.conf"
    write(conf, "one")

    async def scenario() -> None:
        rec = Recorder()
        watcher = rec.watcher("web", Watch(str(conf)))
        task = asyncio.create_task(watcher.run())
        await asyncio.sleep(0.1)
        assert watcher.running
        write(conf, "two")
        await rec.wait_for(1)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        assert not watcher.running

    run(scenario())
