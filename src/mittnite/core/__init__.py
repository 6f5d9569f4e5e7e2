"""Sans-I/O state machines: they take events and a clock and return actions.

Nothing in this package touches the operating system; the asyncio adapters
in :mod:`mittnite.supervisor` feed events in and carry actions out. That
keeps restart, back-off, lazy activation and debounce logic testable in
milliseconds with a fake clock.
"""
