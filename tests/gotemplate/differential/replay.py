"""Rendering differential cases with our engine, exactly as ``mittnite up`` would.

The params reach the template through the production path: the HCL body is decoded by
mittnite's own configuration loader inside a ``file`` block and turned into the template's
``*files.templateData`` by :func:`mittnite.render.template_data`. The process environment is
replaced by :data:`fixtures.ENV` while rendering, because ``expandenv`` reads it and date
functions read ``TZ`` (Go's ``time.Local``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from mittnite.gotemplate.errors import TemplateError, TemplateExecError
from mittnite.gotemplate.exec import parse

from ..sprig.cases import decoded_params
from .fixtures import ENV, PARAMS, TEMPLATE_NAMES

_SURROGATE = re.compile("[\udc80-\udcff]")


def go_json_text(text: str) -> str:
    """``text`` as it arrives through Go's ``encoding/json``: every byte that is not valid
    UTF-8 (a surrogate escape here) becomes one U+FFFD, as tplref's batch output has it."""
    return _SURROGATE.sub("\ufffd", text)


@contextmanager
def case_environment() -> Iterator[None]:
    """Run with exactly :data:`fixtures.ENV` as the process environment (``TZ=UTC``)."""
    from mittnite.golang.gotime_zone import reload_local

    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(ENV)
    reload_local()
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
        reload_local()


class Renderer:
    """Renders cases; decoded params and the template data are built once per params body."""

    def __init__(self) -> None:
        from mittnite.gotemplate.sprig import FUNCS
        from mittnite.render import template_data

        self.funcs = FUNCS
        self.data: list[Any] = []
        for body in PARAMS:
            params = None if body is None else decoded_params(body)
            self.data.append((params, template_data))

    def render(self, template: str, params: int, name: int) -> tuple[str, str | None]:
        """Our ``(output, error)``; after an execution error the output is what had been
        written, as in tplref."""
        decoded, build = self.data[params]
        try:
            parsed = parse(TEMPLATE_NAMES[name], template, self.funcs)
        except TemplateError as problem:
            return "", go_json_text(str(problem))
        # A fresh data root per case (template_data builds new containers): templates may
        # mutate the dicts they reach (``set``).
        root = build(decoded, ENV)
        try:
            return go_json_text(parsed.render(root)), None
        except TemplateExecError as problem:
            return go_json_text(problem.partial_output), go_json_text(str(problem))
