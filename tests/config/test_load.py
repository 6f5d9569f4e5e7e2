"""Finding and merging configuration files, as the original walks its config dir."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mittnite.config.load import decode_directory, find_config_files, load
from mittnite.config.problems import ConfigError

from .conftest import MakeDir


def test_walk_order_is_lexical_and_recursive_with_hidden_entries(config_dir: MakeDir) -> None:
    root = config_dir(
        {
            "b.hcl": 'job "b" { command = "/b" }',
            "a.hcl": 'job "a" { command = "/a" }',
            "sub/.hidden/d.hcl": 'job "d" { command = "/d" }',
            "sub/c.hcl": 'job "c" { command = "/c" }',
            "zz/e.hcl": 'job "e" { command = "/e" }',
            "notes.txt": 'job "ignored" { command = "/x" }',
            "noext_hcl": 'job "f" { command = "/f" }',
        }
    )
    paths, problems = find_config_files(root)
    assert problems == []
    relative = [os.path.relpath(p, root) for p in paths]
    assert relative == ["a.hcl", "b.hcl", "noext_hcl", "sub/.hidden/d.hcl", "sub/c.hcl", "zz/e.hcl"]
    ignition, _ = load(root)
    assert [j.name for j in ignition.jobs] == ["a", "b", "f", "d", "c", "e"]


def test_trailing_slash_and_missing_dir(config_dir: MakeDir, tmp_path: Path) -> None:
    root = config_dir({"a.hcl": 'job "a" { command = "/a" }'})
    ignition, _ = load(root + "/")
    assert [j.name for j in ignition.jobs] == ["a"]
    with pytest.raises(ConfigError) as info:
        load(str(tmp_path / "missing"))
    assert str(info.value) == f"error: lstat {tmp_path / 'missing'}: no such file or directory"


def test_no_config_files_is_an_error(config_dir: MakeDir) -> None:
    root = config_dir({"readme.md": "x"})
    with pytest.raises(ConfigError) as info:
        load(root)
    assert info.value.errors[0].message == f"could not find any configuration files in {root}"


def test_a_single_file_may_be_given(config_dir: MakeDir) -> None:
    root = config_dir({"one.hcl": 'job "a" { command = "/a" }'})
    ignition, _ = load(os.path.join(root, "one.hcl"))
    assert [j.name for j in ignition.jobs] == ["a"]


def test_symlinked_config_dir_is_followed(config_dir: MakeDir, tmp_path: Path) -> None:
    root = config_dir({"a.hcl": 'job "a" { command = "/a" }'})
    link = tmp_path / "link.d"
    link.symlink_to(root)
    ignition, _ = load(str(link))
    assert [j.name for j in ignition.jobs] == ["a"]


def test_symlinked_subdirectories_are_not_descended(config_dir: MakeDir, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.hcl").write_text('job "x" { command = "/x" }')
    root = config_dir({"a.hcl": 'job "a" { command = "/a" }'})
    (Path(root) / "linked").symlink_to(other)
    ignition, _ = load(root)
    assert [j.name for j in ignition.jobs] == ["a"]


def test_kubernetes_configmap_layout_is_loaded_once(tmp_path: Path) -> None:
    root = tmp_path / "mittnite.d"
    data = root / "..2026_11_28_10_00_00.123456789"
    data.mkdir(parents=True)
    (data / "jobs.hcl").write_text('job "web" { command = "/web" }\nboot "b" { command = "/b" }')
    (root / "..data").symlink_to(data.name)
    (root / "jobs.hcl").symlink_to("..data/jobs.hcl")
    ignition, _ = load(str(root))
    assert [j.name for j in ignition.jobs] == ["web"]
    assert [b.name for b in ignition.boot_jobs] == ["b"]


def test_directory_named_hcl_is_an_error_but_other_files_are_still_read(
    config_dir: MakeDir,
) -> None:
    root = config_dir(
        {
            "conf.hcl/inner.txt": "x",
            "a.hcl": 'job "ok" { command = "/bin/true" }',
            "b.hcl": 'job "bad" { command = [ }',
        }
    )
    with pytest.raises(ConfigError) as info:
        load(root)
    messages = [str(p) for p in info.value.errors]
    assert messages == [
        f"{root}/b.hcl:1:25: error: expected a list element or ']', found '}}'",
        f"error: read {root}/conf.hcl: is a directory",
    ]


def test_every_broken_file_is_reported(config_dir: MakeDir) -> None:
    root = config_dir(
        {
            "a.hcl": 'job "x" {\n  canFail = "yes"\n}\n',
            "b.hcl": 'job "y" {\n  command = "/bin/true\n}\n',
            "c.hcl": 'job "z" { command = "/bin/true" }',
        }
    )
    with pytest.raises(ConfigError) as info:
        load(root)
    lines = [str(p) for p in info.value.errors]
    assert lines == [
        f'{root}/a.hcl:2:13: error: job "x": canFail: expected true or false, found the string "yes" (write true without quotes)',
        f"{root}/b.hcl:2:23: error: string started at 2:13 is not terminated (missing closing '\"')",
    ]


def test_unknown_keys_warn_with_position_and_suggestion(config_dir: MakeDir) -> None:
    root = config_dir(
        {
            "a.hcl": 'job "x" {\n  command = "/bin/true"\n  maxAttempt = 3\n}\n'
            'probe "db" {\n  mysql {\n    user = "root"\n  }\n}\n'
        }
    )
    ignition, problems = load(root)
    assert ignition.jobs[0].max_attempts is None
    warnings = [str(p) for p in problems]
    assert (
        f"{root}/a.hcl:3:3: warning: job \"x\": unknown key 'maxAttempt' is ignored (did you mean 'maxAttempts'?)"
        in warnings
    )
    assert any(
        w.startswith(f"{root}/a.hcl:7:5: warning: probe \"db\": mysql: unknown key 'user'")
        and "credentials {" in w
        for w in warnings
    )


def test_duplicate_jobs_are_kept_and_the_first_is_used(config_dir: MakeDir) -> None:
    root = config_dir(
        {"a.hcl": 'job "a" { command = "/one" }', "b.hcl": 'job "a" { command = "/two" }'}
    )
    ignition, problems = load(root)
    assert [j.command for j in ignition.jobs] == ["/one", "/two"]
    assert [j.command for j in ignition.unique_jobs] == ["/one"]
    assert any("defined again" in str(p) and f"{root}/a.hcl:1:1" in str(p) for p in problems)


def test_escaped_bytes_survive_and_raw_invalid_utf8_is_refused(config_dir: MakeDir) -> None:
    root = config_dir({})
    Path(root, "a.hcl").write_bytes(b'job "a" { command = "/bin/\\xff" }')
    ignition, _ = decode_directory(root)
    assert ignition.jobs[0].command.encode("utf-8", "surrogateescape") == b"/bin/\xff"
    # hcl v1 refuses raw bytes that are not UTF-8 anywhere in a file.
    Path(root, "a.hcl").write_bytes(b'job "a" { command = "/bin/true" } # \xff')
    _, problems = decode_directory(root)
    assert [str(p) for p in problems] == [
        f"{root}/a.hcl:1:37: error: invalid UTF-8 (byte 0xff); save the file as UTF-8"
    ]


# -- hostile directories: every one ends with a clear error, in bounded time ----------------

MITTNITE = [sys.executable, "-m", "mittnite"]


def validate_process(
    directory: str, without_root_file_access: bool = False
) -> subprocess.CompletedProcess[str]:
    """``mittnite validate -c DIRECTORY`` as a real process; the timeout only catches hangs.

    ``without_root_file_access`` drops the capabilities that let root read any file
    (the tests run as root), so permissions apply.
    """
    prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    return subprocess.run(
        [*(prefix if without_root_file_access else []), *MITTNITE, "validate", "-c", directory],
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_clean_failure(result: subprocess.CompletedProcess[str], expected: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert expected in result.stderr, result.stderr


def test_fifo_and_devices_named_hcl_are_refused_without_blocking(config_dir: MakeDir) -> None:
    root = config_dir({"a.hcl": 'job "a" { command = "/bin/true" }'})
    os.mkfifo(os.path.join(root, "pipe.hcl"))
    os.symlink("/dev/zero", os.path.join(root, "zero.hcl"))
    result = validate_process(root)
    assert_clean_failure(
        result,
        f"error: read {root}/pipe.hcl: a FIFO, not a regular file; configuration files must "
        "be regular files (or symlinks to them)",
    )
    assert f"error: read {root}/zero.hcl: a character device, not a regular file" in result.stderr


def test_huge_files_are_refused_before_reading(config_dir: MakeDir) -> None:
    root = config_dir({})
    with open(os.path.join(root, "big.hcl"), "wb") as handle:
        handle.truncate(64 * 1024 * 1024 * 1024)  # sparse: 64 GiB claimed, nothing stored
    result = validate_process(root)
    assert_clean_failure(result, f"error: read {root}/big.hcl: the file is larger than 4 MiB")


def test_many_files_together_are_bounded(config_dir: MakeDir, monkeypatch: pytest.MonkeyPatch) -> None:
    from mittnite.config import load as load_module

    monkeypatch.setattr(load_module, "MAX_TOTAL_SIZE", 100)
    root = config_dir({f"{n}.hcl": f'job "j{n}" {{ command = "/bin/true" }}\n' for n in range(5)})
    _, problems = decode_directory(root)
    assert [p.message for p in problems] == [
        f"read {root}/{n}.hcl: the configuration files together exceed 100 bytes"
        for n in (2, 3, 4)
    ]


def test_deep_nesting_and_giant_numbers_are_errors_with_positions(config_dir: MakeDir) -> None:
    digits = "9" * 5000
    root = config_dir(
        {
            "a.hcl": 'job "a" {\n command = "/bin/true"\n maxAttempts = ' + digits + "\n}\n",
            "b.hcl": 'job "b" {\n command = "/bin/true"\n maxAttempts = "' + digits + '"\n}\n',
            "c.hcl": 'file "/t" {\n from = "x"\n params = { n = ' + digits + " }\n}\n",
            "d.hcl": "x = " + "[" * 5000 + "]" * 5000 + "\n",
            "e.json.hcl": '{"x": ' + '{"y": ' * 5000 + "1" + "}" * 5001,
            "f.hcl": 'job "f" {\n listen ":' + digits + '" { forward = ":1" }\n}\n',
        }
    )
    _, problems = decode_directory(root)
    errors = [
        (os.path.basename(p.source.file), p.source.line, p.message)
        for p in problems
        if p.severity == "error" and p.source is not None
    ]
    short = "9" * 37 + "..."
    assert errors == [
        ("a.hcl", 3, f'job "a": maxAttempts: the number {short} is out of range for a whole '
         "number (-9223372036854775808 to 9223372036854775807)"),
        ("b.hcl", 3, f'job "b": maxAttempts: the string "{"9" * 36}... is out of range for a '
         "whole number (-9223372036854775808 to 9223372036854775807)"),
        ("c.hcl", 3, f'file "/t": params.n: the number {short} is out of range for a whole '
         "number (-9223372036854775808 to 9223372036854775807)"),
        ("d.hcl", 1, "nesting is deeper than 100 levels"),
        ("e.json.hcl", 1, "nesting is deeper than 100 levels"),
        ("f.hcl", 2, f'job "f": listen ":{digits}": address :{digits}: port 999999999... is '
         "out of range"),
    ]


@pytest.mark.parametrize("directory", ["", "/"])
def test_empty_or_root_config_dir_is_an_error_not_a_filesystem_walk(directory: str) -> None:
    result = validate_process(directory)
    assert_clean_failure(result, "error: lstat : no such file or directory")
    assert "name the directory holding the *.hcl files" in result.stderr


def test_too_many_entries_stop_the_walk(config_dir: MakeDir, monkeypatch: pytest.MonkeyPatch) -> None:
    from mittnite.config import load as load_module

    monkeypatch.setattr(load_module, "MAX_WALK_ENTRIES", 10)
    root = config_dir({f"sub/{n}.txt": "" for n in range(20)})
    _, problems = find_config_files(root)
    assert [p.message for p in problems] == [
        f"{root} holds more than 10 files and directories; is it really the configuration "
        "directory? (every *hcl file below it is read)"
    ]


def test_unreadable_files_and_directories_are_named(tmp_path: Path) -> None:
    root = tmp_path / "conf"
    (root / "locked").mkdir(parents=True)
    (root / "a.hcl").write_text('job "a" { command = "/bin/true" }')
    (root / "secret.hcl").write_text('job "s" { command = "/bin/true" }')
    os.chmod(root / "secret.hcl", 0)
    os.chmod(root / "locked", 0)
    result = validate_process(str(root), without_root_file_access=True)
    assert_clean_failure(result, f"error: open {root}/locked: permission denied")
    assert f"error: open {root}/secret.hcl: permission denied" in result.stderr


def test_json_flavour_tolerances_load_as_in_hcl_v1_with_warnings(config_dir: MakeDir) -> None:
    root = config_dir(
        {
            "a.hcl": '{"job": {"x": {"command": "/bin/true", "args": ["a", true, "b"],}}}'
            ' trailing',
            "b.hcl": '{"job": {"y": {"command": "/bin/true" "canFail": true}}, "boot": {}}',
        }
    )
    ignition, problems = load(root)
    assert [(j.name, j.args, j.can_fail) for j in ignition.jobs] == [
        ("x", ("a", "b"), False),
        ("y", None, False),  # the missing ',' ends the job's object: canFail is never read
    ]
    assert [f"{os.path.basename(p.source.file)}:{p.source.column}: {p.message}"
            for p in problems if p.source] == [
        "a.hcl:54: the boolean true in this list is dropped (hcl v1 ignores booleans in JSON "
        "lists); quote it if you mean the string",
        "a.hcl:69: content after the end of the configuration object is ignored",
        "b.hcl:39: expected ',' or '}' after this entry, found a string \"canFail\": hcl v1 "
        "ends the object here (taking this token as its end) and the enclosing ones at the "
        "next tokens; the rest of the file is not read as intended",
        "b.hcl:54: content after the end of the configuration object is ignored",
    ]
