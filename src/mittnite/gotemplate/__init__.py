"""A self-contained implementation of Go's text/template with sprig v3.3.0 functions.

Public API::

    from mittnite.gotemplate import parse, render_string, template_data

    template = parse("/etc/app.conf", text, funcs)   # TemplateParseError on bad text
    output = template.render(template_data(env, params))  # TemplateExecError on failure

``funcs`` is a ``FuncMap`` (name -> ``GoFunc``, see ``funcs.py``); ``sprig.FUNCS`` holds the
sprig functions. The value model (how Go values and types are represented) is in
``values.py``. Submodules are imported on first use to keep ``import mittnite.gotemplate``
cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mittnite.gotemplate.errors import (
        GoError,
        GoPanic,
        TemplateError,
        TemplateExecError,
        TemplateParseError,
    )
    from mittnite.gotemplate.exec import Template, parse, render, render_string, template_data
    from mittnite.gotemplate.funcs import FuncMap, GoFunc, gofunc

__all__ = [
    "FuncMap",
    "GoError",
    "GoFunc",
    "GoPanic",
    "Template",
    "TemplateError",
    "TemplateExecError",
    "TemplateParseError",
    "gofunc",
    "parse",
    "render",
    "render_string",
    "template_data",
]

_HOMES = {
    "GoError": "errors",
    "GoPanic": "errors",
    "TemplateError": "errors",
    "TemplateExecError": "errors",
    "TemplateParseError": "errors",
    "Template": "exec",
    "parse": "exec",
    "render": "exec",
    "render_string": "exec",
    "template_data": "exec",
    "FuncMap": "funcs",
    "GoFunc": "funcs",
    "gofunc": "funcs",
}


def __getattr__(name: str) -> Any:
    """Import the public names lazily (PEP 562), so importing the package costs nothing."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
