"""Thin asyncio adapters over the operating system: processes, signals, pipes.

Standard library only, Linux only. The supervisor combines them; nothing here knows about
jobs or configuration. Modules, one job each:

* ``reaper``      the single ``waitpid`` loop that collects every child's exit status
* ``spawn``       starting a child in its own process group, the ``Child`` handle
* ``exitstatus``  decoded wait statuses with Go's texts (``exit status 3``)
* ``lookpath``    Go's rules for finding a command in ``$PATH``
* ``goerrors``    Go's error texts for commands that cannot start
* ``signals``     signals as loop events; signalling process groups
* ``timers``      named one-shot timers, as the pure machines ask for them
* ``cleanslate``  undoing inherited signal state at startup
* ``pipes``       reading a child's output, with back-pressure and partial-line timing
* ``ptys``        pseudo-terminals for jobs whose output goes to mittnite's terminal
* ``sink``        writing to a destination that may stall, never blocking the loop
* ``sink_thread`` the writer-thread fallback of ``sink``
* ``splice``      moving whole-line blocks of job output inside the kernel
* ``inotify``     file-change notifications for watches (with a polling fallback)
* ``deferred_ssl`` keeping OpenSSL out of an idle init
* ``httpserve``   one HTTP/1.1 server connection, Go's answers (probe server, control API)
* ``environ``     the container's environment, restored; jobs' environments as Go builds them
* ``forkexec``    fork + exec with an environment given entry by entry
* ``earlysignals`` SIGTERM/SIGINT from the first instruction until the event loop listens
* ``descendants`` the process tree below mittnite; stopping all of it at shutdown
* ``listen``      listening sockets as Go's ``net.Listen`` opens them (TCP, unix)
* ``dial``, ``pump``, ``forward``  forwarding a ``listen`` block's connections upstream
* ``proxyproto``  PROXY protocol v1/v2 headers sent to the upstream
* ``activation``  socket activation: sockets handed to a job at fd 3.. (``LISTEN_FDS``)
* ``sockdiag``    how busy an activated socket is (queued and held connections)
"""

from __future__ import annotations

# Names are resolved on first use: importing one light module of this package
# (``deferred_ssl``) must not import asyncio through the others. The function
# ``spawn`` is imported from ``mittnite.runtime.spawn`` (a package attribute of
# that name is the submodule once it has been imported).
_HOMES = {
    "CleanSlateReport": "cleanslate",
    "prepare_process_for_supervision": "cleanslate",
    "ExitStatus": "exitstatus",
    "signal_name": "exitstatus",
    "SpawnError": "goerrors",
    "OutputReader": "pipes",
    "OutputPipe": "pipes",
    "open_output_pipe": "pipes",
    "Reaper": "reaper",
    "ReaperClosedError": "reaper",
    "FORWARDED_SIGNALS": "signals",
    "HANDLED_SIGNALS": "signals",
    "SHUTDOWN_SIGNALS": "signals",
    "SignalSubscription": "signals",
    "install_signal_handlers": "signals",
    "kill_group": "signals",
    "Child": "spawn",
}

__all__ = [
    "FORWARDED_SIGNALS",
    "HANDLED_SIGNALS",
    "SHUTDOWN_SIGNALS",
    "Child",
    "CleanSlateReport",
    "ExitStatus",
    "OutputPipe",
    "OutputReader",
    "Reaper",
    "ReaperClosedError",
    "SignalSubscription",
    "SpawnError",
    "install_signal_handlers",
    "kill_group",
    "open_output_pipe",
    "prepare_process_for_supervision",
    "signal_name",
]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mittnite.runtime.cleanslate import CleanSlateReport, prepare_process_for_supervision
    from mittnite.runtime.exitstatus import ExitStatus, signal_name
    from mittnite.runtime.goerrors import SpawnError
    from mittnite.runtime.pipes import OutputPipe, OutputReader, open_output_pipe
    from mittnite.runtime.reaper import Reaper, ReaperClosedError
    from mittnite.runtime.signals import (
        FORWARDED_SIGNALS,
        HANDLED_SIGNALS,
        SHUTDOWN_SIGNALS,
        SignalSubscription,
        install_signal_handlers,
        kill_group,
    )
    from mittnite.runtime.spawn import Child


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
