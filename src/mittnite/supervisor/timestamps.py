"""Line timestamps for jobs with ``enableTimestamps`` (Go layouts, local time).

``customTimestampFormat`` (a Go layout) wins over ``timestampFormat`` (a Go
layout *name* such as ``RFC3339`` or ``Kitchen``). The original warns on every
start when ``timestampFormat`` is empty although its README calls RFC3339 the
default; we take the README at its word and only warn about unknown names.
"""

from __future__ import annotations

import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from ..logs.logger import Logger


def timestamp_factory(logger: Logger) -> Callable[[str, str], Callable[[], str]]:
    """A factory building, per job run, a function that formats "now"."""

    def make(name: str, custom: str) -> Callable[[], str]:
        from ..golang.gotime import RFC3339, compile_layout, local_location, named_layout

        if custom:
            logger.info(f"using custom timestamp layout '{custom}'")
            layout = custom
        else:
            found = named_layout(name or "RFC3339")
            if found is None:
                logger.warning(f"unknown timestamp layout '{name}', defaulting to RFC3339")
                layout = RFC3339
            else:
                logger.info(f"logging with timestamp layout '{name or 'RFC3339'}'")
                layout = found
        compiled = compile_layout(layout)
        location = local_location()

        def now() -> str:
            return compiled(time.time_ns(), location)

        return now

    return make
