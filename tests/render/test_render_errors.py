"""Errors of the ``file`` directive: the original's Go text first, then what it left out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mittnite.config.load import load
from mittnite.render import RenderError, render_all


def render_error(tmp_path: Path, target: str, template: str = "ok\n") -> str:
    conf = tmp_path / "conf"
    conf.mkdir(exist_ok=True)
    (tmp_path / "t.tpl").write_text(template)
    (conf / "files.hcl").write_text(f'\n\nfile "{target}" {{\n from = "{tmp_path / "t.tpl"}"\n}}\n')
    ignition, _ = load(str(conf))
    with pytest.raises(RenderError) as info:
        render_all(ignition.files)
    return str(info.value)


def test_a_syntax_error_names_the_template_file_and_the_file_block(tmp_path: Path) -> None:
    target = tmp_path / "out.conf"
    message = render_error(tmp_path, str(target), "line one\n{{ .Params.x }\n")
    assert message == (
        f'template: {target}:2: unexpected "}}" in operand '
        f"(template file {tmp_path / 't.tpl'}; file block at {tmp_path / 'conf' / 'files.hcl'}:3:1)"
    )


def test_a_parent_that_is_a_regular_file_is_named_as_such(tmp_path: Path) -> None:
    (tmp_path / "plain.txt").write_text("I am a file\n")
    target = tmp_path / "plain.txt" / "deeper" / "out.conf"
    message = render_error(tmp_path, str(target))
    # Go's MkdirAll text (the original's), then the reason in words - not "file exists"
    assert message == (
        f"mkdir {tmp_path / 'plain.txt'}: not a directory ({tmp_path / 'plain.txt'} is a "
        f"regular file, so {target} cannot be created below it)"
    )
    assert "file exists" not in message


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
@pytest.mark.parametrize(
    ("target", "start"),
    [
        ("/proc/mittnite-render-test/out.conf", "mkdir /proc/mittnite-render-test: "),
        ("/proc/mittnite-render-test.conf", "open /proc/mittnite-render-test.conf: "),
    ],
)
def test_a_target_under_proc_says_why_it_cannot_be_created(
    tmp_path: Path, target: str, start: str
) -> None:
    message = render_error(tmp_path, target)
    assert message == (
        f"{start}no such file or directory "
        "(/proc is a kernel file system: no files can be created there)"
    )
