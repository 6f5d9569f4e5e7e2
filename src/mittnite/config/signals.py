"""Signal names and numbers as configurations write them (``SIGHUP``, ``hup``, ``1``)."""

from __future__ import annotations

MAX_SIGNAL = 64


class SignalError(ValueError):
    """Not a signal; ``hint`` suggests what was probably meant."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


def signal_names() -> dict[str, int]:
    """``SIGTERM`` → 15 for every signal this platform knows."""
    import signal

    return {s.name: int(s) for s in signal.Signals}


def parse_signal(text: str) -> int:
    """A signal given as number (``15``) or name (``SIGTERM``, ``term``)."""
    stripped = text.strip()
    if stripped.isascii() and stripped.isdigit():
        if len(stripped) > 3 or not 0 < int(stripped) <= MAX_SIGNAL:
            raise SignalError(
                f"signal number {stripped} is out of range", f"use 1 to {MAX_SIGNAL}"
            )
        return int(stripped)
    name = stripped.upper()
    if not name.startswith("SIG"):
        name = "SIG" + name
    names = signal_names()
    if name in names:
        return names[name]
    import difflib

    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}?" if close else "use a name like SIGTERM or a number"
    raise SignalError(f"unknown signal {text!r}", hint)
