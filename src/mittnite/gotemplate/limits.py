"""Budgets that keep a hostile or mistaken template from exhausting time or memory.

Go's engine has no such limits: ``repeat 1000000000 "x"`` allocates a gigabyte and
``range until 1000000000`` runs for minutes (the original mittnite then dies of memory
exhaustion or blocks its start). An init must not: every rendered file gets a budget, and
exceeding it is an ordinary execution error, reported Go-style with the template name
and position (``template: NAME:1:3: executing "NAME" at <repeat ...>: error calling
repeat: ...``), so the file is not written and nothing crashes.

The budgets are far above what configuration files need:

* one value (a string, or the bytes of a ``printf`` result) up to :data:`MAX_VALUE_BYTES`;
* one list (``until``, ``untilStep``, ``seq``, splits, concatenations) up to
  :data:`MAX_LIST_LENGTH` elements;
* one rendered file up to :data:`MAX_OUTPUT_BYTES` of output;
* one rendering up to :data:`MAX_STEPS` evaluation steps (actions, commands, loop
  iterations), which bounds its time;
* templates nested up to :data:`MAX_NESTING` levels deep (parentheses and blocks);
  recursive ``{{template}}`` calls end with Go's ``exceeded maximum template depth``
  error once the (raised) Python stack is used up.

Where Go itself fails (a negative ``repeat`` count, a length overflow) its exact error
text is kept; these limits only cover what Go would have tried to do.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from mittnite.gotemplate.errors import GoError

__all__ = [
    "MAX_LIST_LENGTH",
    "MAX_NESTING",
    "MAX_OUTPUT_BYTES",
    "MAX_STEPS",
    "MAX_VALUE_BYTES",
    "LimitError",
    "check_length",
    "check_size",
]

MAX_VALUE_BYTES = 16 << 20
MAX_LIST_LENGTH = 1 << 20
MAX_OUTPUT_BYTES = 64 << 20
MAX_STEPS = 5_000_000
MAX_NESTING = 1000
_FRAMES = 12_000
"""Python frames granted while parsing or executing: :data:`MAX_NESTING` levels take up
to about 6,000. Not more: C code (``json``, ``==`` on nested lists, ``str`` of nested
values) also recurses against this limit, and the C stack must hold it."""
_room_lock = threading.Lock()
_room_users = 0
_room_previous = 0


class LimitError(GoError):
    """A budget was exceeded; reported like a function's error (``error calling NAME: ...``)
    or, outside a function call, at the node being executed."""


def _mib(count: int) -> str:
    return f"{count >> 20} MiB"


def check_size(size: int) -> None:
    """Fail if a string of ``size`` bytes would exceed :data:`MAX_VALUE_BYTES` (callers that
    only know a string's length in characters pass that: it never exceeds the bytes)."""
    if size > MAX_VALUE_BYTES:
        raise LimitError(
            f"result of {size} bytes exceeds mittnite's limit of {_mib(MAX_VALUE_BYTES)} per value"
        )


def check_length(length: int) -> None:
    """Fail if a list of ``length`` elements would exceed :data:`MAX_LIST_LENGTH`."""
    if length > MAX_LIST_LENGTH:
        raise LimitError(
            f"result of {length} elements exceeds mittnite's limit of {MAX_LIST_LENGTH} "
            "elements per list"
        )


def output_exceeded() -> str:
    """The message for a file whose output outgrew :data:`MAX_OUTPUT_BYTES`."""
    return f"output exceeds mittnite's limit of {_mib(MAX_OUTPUT_BYTES)} per rendered file"


def steps_exceeded() -> str:
    """The message for a rendering that took more than :data:`MAX_STEPS` steps."""
    return f"execution exceeds mittnite's limit of {MAX_STEPS} steps per rendered file"


def nesting_exceeded() -> str:
    """The message for a template nested deeper than :data:`MAX_NESTING` levels."""
    return f"nesting exceeds mittnite's limit of {MAX_NESTING} levels"


@contextmanager
def recursion_room() -> Iterator[None]:
    """Raise Python's recursion limit to :data:`_FRAMES` while templates are parsed or run
    (never lower it), and restore it when the last user is done."""
    global _room_users, _room_previous
    with _room_lock:
        if _room_users == 0:
            _room_previous = sys.getrecursionlimit()
            if _room_previous < _FRAMES:
                sys.setrecursionlimit(_FRAMES)
        _room_users += 1
    try:
        yield
    finally:
        with _room_lock:
            _room_users -= 1
            if _room_users == 0:
                sys.setrecursionlimit(_room_previous)
