"""The ``file`` directive and ``mittnite renderfiles``, with real files and processes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from mittnite.config.load import load
from mittnite.render import RenderError, render_all


def setup(tmp_path: Path, template: str, target: str, extra: str = "") -> Path:
    conf = tmp_path / "conf"
    conf.mkdir(exist_ok=True)
    (tmp_path / "t.tpl").write_text(template)
    (conf / "a.hcl").write_text(
        f'file "{target}" {{\n from = "{tmp_path / "t.tpl"}"\n{extra}\n'
        ' params = {\n  name = "web"\n  n = 3\n  nested = { a = 1 }\n }\n}\n'
    )
    return conf


def render(conf: Path) -> list[str]:
    ignition, _ = load(str(conf))
    messages: list[str] = []
    render_all(ignition.files, log=messages.append)
    return messages


def test_renders_params_and_env_with_go_types(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GREETING", "hi")
    target = tmp_path / "deep" / "dir" / "out.txt"
    conf = setup(
        tmp_path,
        '{{ .Params.name }} {{ .Params.n }} {{ printf "%T" .Params.nested }} '
        "{{ (index .Params.nested 0).a }} {{ .Env.GREETING }} [{{ .Params.nope }}]\n",
        str(target),
    )
    messages = render(conf)
    assert target.read_text() == "web 3 []map[string]interface {} 1 hi [<no value>]\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()
    assert messages == [f"creating configuration file {target} from template {tmp_path / 't.tpl'}"]


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def test_failing_template_leaves_the_old_file_untouched(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("previous content\n")
    target.chmod(0o640)
    conf = setup(tmp_path, 'before {{ fail "boom" }} after', str(target))
    with pytest.raises(RenderError) as info:
        render(conf)
    # Go's text first (scripts match it), then where the template and the block are
    assert str(info.value) == (
        f'template: {target}:1:10: executing "{target}" at <fail "boom">: error calling fail: boom'
        f" (template file {tmp_path / 't.tpl'}; file block at {conf / 'a.hcl'}:1:1)"
    )
    assert target.read_text() == "previous content\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []
    # a successful render keeps the existing mode
    setup(tmp_path, "new\n", str(target))
    render(conf)
    assert target.read_text() == "new\n" and stat.S_IMODE(target.stat().st_mode) == 0o640


def test_overwrite_false_keeps_an_existing_target(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("mine\n")
    conf = setup(tmp_path, "rendered\n", str(target), " overwrite = false")
    assert render(conf) == [f"skipping already existing configuration file {target}"]
    assert target.read_text() == "mine\n"


def test_symlinked_target_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old\n")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    conf = setup(tmp_path, "new\n", str(link))
    render(conf)
    assert link.is_symlink() and real.read_text() == "new\n"


def test_parse_error_and_missing_template(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    conf = setup(tmp_path, "{{ env \"HOME\" }}", str(target))
    with pytest.raises(RenderError, match=rf'template: {target}:1: function "env" not defined'):
        render(conf)
    (tmp_path / "t.tpl").unlink()
    with pytest.raises(RenderError, match=rf"open {tmp_path / 't.tpl'}: no such file or directory"):
        render(conf)
    assert not target.exists()


def run_renderfiles(conf: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mittnite", "renderfiles", "-c", str(conf), *command],
        capture_output=True, text=True, timeout=60,
    )


def test_renderfiles_execs_the_command(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    conf = setup(tmp_path, "{{ .Params.name }}", str(target))
    result = run_renderfiles(conf, "sh", "-c", 'cat "$0"; echo " pid=$$"; exit 7', str(target))
    assert result.returncode == 7
    assert result.stdout.startswith("web pid=")
    assert "additional command/args provided - executing: '[sh -c" in result.stderr


def test_renderfiles_same_process_and_failure_before_command(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    conf = setup(tmp_path, "{{ .Params.name }}", str(target))
    process = subprocess.Popen(
        [sys.executable, "-m", "mittnite", "renderfiles", "-c", str(conf), "sh", "-c", "echo $$"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    out, _ = process.communicate(timeout=60)
    assert int(out) == process.pid  # exec: the command replaced mittnite
    setup(tmp_path, "{{ fail \"no\" }}", str(target))
    result = run_renderfiles(conf, "echo", "should not run")
    assert result.returncode == 1 and "should not run" not in result.stdout
    assert "failed while rendering files from ignition config, err: 'template:" in result.stderr
    result = run_renderfiles(conf)
    assert result.returncode == 1
