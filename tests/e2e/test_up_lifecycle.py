"""``mittnite up`` end to end: jobs, restarts, exit statuses, shutdown, pidfile."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from .conftest import Start
from .harness import processes_with


def test_one_time_job_completes_and_mittnite_exits_zero(mittnite: Start) -> None:
    run = mittnite(
        {
            "a.hcl": 'job "once" {\n command = "/bin/echo"\n args = ["hi there"]\n oneTime = true\n}\n'
        }
    )
    assert run.wait() == 0
    assert run.stdout == "hi there\n"
    assert 'msg="one-time job has ended successfully" job.name=once' in run.stderr


def test_no_jobs_exits_right_after_boot(mittnite: Start) -> None:
    run = mittnite({"a.hcl": 'boot "b" {\n command = "/bin/echo"\n args = ["booted"]\n}\n'})
    started = time.monotonic()
    assert run.wait() == 0
    assert time.monotonic() - started < 10
    assert run.stdout == "booted\n"


def test_job_that_may_not_fail_gives_up_and_stops_everything(mittnite: Start) -> None:
    run = mittnite(
        {
            "a.hcl": 'job "bad" {\n command = "/bin/sh"\n args = ["-c", "exit 3"]\n maxAttempts = 2\n}\n'
            'job "other" {\n command = "sleep"\n args = ["1001"]\n}\n'
        }
    )
    assert run.wait() == 1
    err = run.stderr
    assert 'level=error msg="job exited with error" error="exit status 3" job.name=bad' in err
    assert "job.nextRestartIn=1s" in err
    assert "reached max retries for job bad; last error: exit status 3" in err
    assert 'msg="job stopped" job.name=other' in err
    assert processes_with("sleep 1001") == []


def test_can_fail_job_does_not_change_the_exit_status(mittnite: Start) -> None:
    run = mittnite(
        {"a.hcl": 'job "flaky" {\n command = "/bin/false"\n maxAttempts = 1\n canFail = true\n}\n'}
    )
    assert run.wait() == 0
    assert 'level=warning msg="reached max retries" job.maxAttempts=1 job.name=flaky' in run.stderr


def test_exec_failure_is_reported_like_the_original(mittnite: Start) -> None:
    run = mittnite({"a.hcl": 'job "x" {\n command = "no-such-binary-here"\n maxAttempts = 1\n}\n'})
    assert run.wait() == 1
    assert (
        'error="failed to start job x: exec: \\"no-such-binary-here\\": executable file not '
        'found in $PATH"'
    ) in run.stderr


def test_sigterm_stops_all_jobs_including_one_ignoring_it(mittnite: Start) -> None:
    run = mittnite(
        {
            "a.hcl": 'job "sleeper" {\n command = "sleep"\n args = ["1002"]\n}\n'
            'job "stubborn" {\n command = "/bin/sh"\n'
            ' args = ["-c", "trap \'\' TERM; echo up; while true; do sleep 0.1; done"]\n'
            ' stopTimeout = "1s"\n}\n'
        }
    )
    run.wait_for("up", stream="stdout")
    started = time.monotonic()
    run.signal(signal.SIGTERM)
    assert run.wait() == 0
    elapsed = time.monotonic() - started
    assert elapsed < 1 + 5, elapsed  # grace + margin
    assert 'level=error msg="forcefully killed job" job.name=stubborn' in run.stderr
    assert processes_with("sleep 1002") == []
    assert processes_with("trap '' TERM") == []


def test_other_signals_are_forwarded_to_jobs(mittnite: Start) -> None:
    script = (
        "trap 'echo got HUP' HUP; trap 'echo got USR1' USR1; echo ready; "
        "while true; do sleep 0.05; done"
    )
    run = mittnite({"a.hcl": f'job "t" {{\n command = "/bin/sh"\n args = ["-c", "{script}"]\n}}\n'})
    run.wait_for("ready", stream="stdout")
    run.signal(signal.SIGHUP)
    run.wait_for("got HUP", stream="stdout")
    run.signal(signal.SIGUSR1)
    run.wait_for("got USR1", stream="stdout")
    run.signal(signal.SIGTERM)
    assert run.wait() == 0


def test_pidfile_is_written_and_removed(mittnite: Start, tmp_path: os.PathLike[str]) -> None:
    pidfile = os.path.join(tmp_path, "run", "m.pid")
    run = mittnite(
        {"a.hcl": 'job "s" {\n command = "sleep"\n args = ["1003"]\n}\n'}, "--pidfile", pidfile
    )
    run.wait_for("starting job")
    with open(pidfile) as handle:
        assert int(handle.read()) == run.process.pid
    run.signal()
    assert run.wait() == 0
    assert not os.path.exists(pidfile)


def test_env_and_working_directory(mittnite: Start, tmp_path: os.PathLike[str]) -> None:
    run = mittnite(
        {
            "a.hcl": 'job "e" {\n command = "/bin/sh"\n args = ["-c", "echo $GREETING $HOME; pwd"]\n'
            ' env = ["GREETING=hello", "HOME=/elsewhere"]\n workingDirectory = "/tmp"\n oneTime = true\n}\n'
        }
    )
    assert run.wait() == 0
    assert run.stdout == "hello /elsewhere\n/tmp\n"


def test_output_files_are_appended_and_created(mittnite: Start, tmp_path: os.PathLike[str]) -> None:
    out = os.path.join(tmp_path, "logs", "deep", "out.log")
    with_file = (
        f'job "f" {{\n command = "/bin/sh"\n args = ["-c", "echo to-out; echo to-err >&2"]\n'
        f' stdout = "{out}"\n stderr = "{out}"\n oneTime = true\n}}\n'
    )
    assert mittnite({"a.hcl": with_file}).wait() == 0
    assert mittnite({"a.hcl": with_file}).wait() == 0
    with open(out) as handle:
        assert handle.read() == "to-out\nto-err\nto-out\nto-err\n"


def test_boot_jobs_finish_before_jobs_start(mittnite: Start, tmp_path: os.PathLike[str]) -> None:
    marker = os.path.join(tmp_path, "booted")
    run = mittnite(
        {
            "a.hcl": f'boot "slow" {{\n command = "/bin/sh"\n args = ["-c", "sleep 0.5; touch {marker}; echo boot output"]\n}}\n'
            f'job "check" {{\n command = "/bin/sh"\n args = ["-c", "test -f {marker} && echo saw marker"]\n oneTime = true\n}}\n'
        }
    )
    assert run.wait() == 0
    assert run.stdout == "boot output\nsaw marker\n"


def test_failing_boot_job_aborts_start_up(mittnite: Start) -> None:
    run = mittnite(
        {
            "a.hcl": 'boot "broken" {\n command = "/bin/sh"\n args = ["-c", "exit 4"]\n}\n'
            'job "never" {\n command = "/bin/echo"\n args = ["should not run"]\n}\n'
        }
    )
    assert run.wait() == 1
    assert "should not run" not in run.stdout
    assert "boot job error occurred: exit status 4" in run.stderr


def test_boot_job_that_may_fail_and_one_that_times_out(mittnite: Start) -> None:
    run = mittnite(
        {
            "a.hcl": 'boot "allowed" {\n command = "/bin/false"\n canFail = true\n}\n'
            'job "ok" {\n command = "/bin/echo"\n args = ["started"]\n oneTime = true\n}\n'
        }
    )
    assert run.wait() == 0
    assert "started" in run.stdout
    assert (
        'msg="job failed, but is allowed to fail" error="exit status 1" job.name=allowed'
        in run.stderr
    )
    run = mittnite(
        {"b.hcl": 'boot "hang" {\n command = "sleep"\n args = ["1004"]\n timeout = "300ms"\n}\n'}
    )
    assert run.wait() == 1
    # the timeout is said in its own line; the error field is the process's, as the original's
    assert 'msg="boot job did not finish within 300ms; stopping it" job.name=hang' in run.stderr
    assert 'msg="runner error\'ed during initialization" error="signal: terminated"' in run.stderr
    assert processes_with("sleep 1004") == []


def test_job_output_lines_never_interleave(mittnite: Start) -> None:
    writer = "for i in $(seq 2000); do echo {name}-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; done"
    config = "".join(
        f'job "{name}" {{\n command = "/bin/sh"\n args = ["-c", "{writer.format(name=name)}"]\n oneTime = true\n}}\n'
        for name in ("a", "b", "c")
    )
    run = mittnite({"a.hcl": config}, "--prefix-output")
    assert run.wait() == 0
    lines = run.stdout.splitlines()
    assert len(lines) == 6000
    for line in lines:
        name, _, rest = line.partition(" | ")
        assert rest.startswith(f"{name}-") and rest.endswith("x" * 49), line


def test_keep_running_stays_up_after_jobs_end(mittnite: Start) -> None:
    run = mittnite({"a.hcl": 'job "once" {\n command = "/bin/true"\n oneTime = true\n}\n'}, "-k")
    run.wait_for("one-time job has ended successfully")
    time.sleep(0.5)
    assert run.process.poll() is None
    run.signal()
    assert run.wait() == 0


def test_config_error_exits_one_with_position(mittnite: Start) -> None:
    run = mittnite({"a.hcl": 'job "x" {\n canFail = "yes"\n}\n'})
    assert run.wait() == 1
    assert 'a.hcl:2:12: error: job \\"x\\": canFail: expected true or false' in run.stderr


def test_timestamps_prefix_every_line(mittnite: Start, tmp_path: os.PathLike[str]) -> None:
    out = os.path.join(tmp_path, "ts.log")
    run = mittnite(
        {
            "a.hcl": 'job "k" {\n command = "/bin/sh"\n args = ["-c", "printf \'one\\\\r\\\\ntwo\'"]\n'
            ' enableTimestamps = true\n timestampFormat = "DateOnly"\n oneTime = true\n}\n'
            f'job "c" {{\n command = "/bin/echo"\n args = ["three"]\n enableTimestamps = true\n'
            f' customTimestampFormat = "2006/01/02 MST"\n stdout = "{out}"\n oneTime = true\n}}\n'
        },
        env={"TZ": "UTC"},
    )
    assert run.wait() == 0
    today = time.strftime("%Y-%m-%d", time.gmtime())
    assert run.stdout == f"[{today}] one\n[{today}] two\n"
    with open(out) as handle:
        assert handle.read() == f"[{today.replace('-', '/')} UTC] three\n"
    assert "logging with timestamp layout 'DateOnly'" in run.stderr
    assert "using custom timestamp layout '2006/01/02 MST'" in run.stderr


UNOPENABLE = "/proc/self/no-such-dir/out.log"  # /proc takes no new directories, even from root


def test_boot_job_whose_log_file_cannot_be_opened_fails_like_a_start_error(
    mittnite: Start,
) -> None:
    run = mittnite(
        {
            "a.hcl": f'boot "b" {{\n command = "/bin/true"\n stdout = "{UNOPENABLE}"\n}}\n'
            'job "never" {\n command = "/bin/echo"\n args = ["should not run"]\n}\n'
        }
    )
    assert run.wait() == 1, run.stderr
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr
    failure = "failed to start job b: mkdir /proc/self/no-such-dir: no such file or directory"
    assert f'boot job error occurred: {failure}"' in run.stderr
    assert "should not run" not in run.stdout
    run = mittnite(
        {
            "a.hcl": f'boot "b" {{\n command = "/bin/true"\n stdout = "{UNOPENABLE}"\n'
            " canFail = true\n}\n"
            'job "ok" {\n command = "/bin/echo"\n args = ["started"]\n oneTime = true\n}\n'
        }
    )
    assert run.wait() == 0, run.stderr
    assert run.stdout == "started\n"
    assert f'msg="job failed, but is allowed to fail" error="{failure}" job.name=b' in run.stderr


def test_job_whose_log_file_cannot_be_opened_says_so_in_gos_words(mittnite: Start) -> None:
    run = mittnite(
        {
            "a.hcl": f'job "j" {{\n command = "/bin/true"\n stdout = "{UNOPENABLE}"\n'
            " maxAttempts = 1\n canFail = true\n}\n"
        }
    )
    assert run.wait() == 0, run.stderr
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr
    assert "mkdir /proc/self/no-such-dir: no such file or directory" in run.stderr


def _ignored_signals(pid: int) -> set[int]:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigIgn:"):
            mask = int(line.split()[1], 16)
            return {number for number in range(1, 65) if mask & (1 << (number - 1))}
    raise AssertionError("no SigIgn line")


def test_a_write_to_a_gone_reader_fails_instead_of_killing_mittnite(mittnite: Start) -> None:
    """mittnite ignores SIGPIPE and SIGXFSZ, as the interpreter of the pip install does (the
    static executable too: a log follower that hangs up must not kill the init), while its
    jobs start with both at their default, as under the original."""
    run = mittnite(
        {"a.hcl": 'job "j" {\n command = "/bin/sh"\n args = ["-c", "echo up $$; sleep 1000"]\n}\n'}
    )
    job = int(run.wait_for(r"up (\d+)", stream="stdout").group(1))
    interpreter = {int(signal.SIGPIPE), int(signal.SIGXFSZ)}
    assert interpreter <= _ignored_signals(run.mittnite_pid())
    assert not interpreter & _ignored_signals(job)
    run.signal()
    assert run.wait() == 0
