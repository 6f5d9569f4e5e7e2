"""What every supervised piece needs from the run it belongs to."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from ..core.clock import Clock
    from ..logs.logger import Logger
    from ..runtime.inotify import WatchHub
    from ..runtime.reaper import Reaper
    from .output import OutputRouting


class RunContext:
    """Shared, read-mostly settings and services of one ``mittnite up``."""

    def __init__(
        self,
        *,
        logger: Logger,
        reaper: Reaper,
        clock: Clock,
        stop_timeout: float = 10.0,
        keep_running: bool = False,
        prefix_output: bool = False,
        log_buffer_bytes: int = 64 * 1024,
        stdout_fd: int = 1,
        stderr_fd: int = 2,
        timestamp_factory: Callable[[str, str], Callable[[], str]] | None = None,
        output: OutputRouting | None = None,
    ) -> None:
        self.logger = logger
        self.reaper = reaper
        self.clock = clock
        self.stop_timeout = stop_timeout
        self.keep_running = keep_running
        self.prefix_output = prefix_output
        self.log_buffer_bytes = log_buffer_bytes
        self.stdout_fd = stdout_fd
        self.stderr_fd = stderr_fd
        self.timestamp_factory = timestamp_factory
        self._watch_hub: WatchHub | None = None
        self._output = output

    def output(self) -> OutputRouting:
        """Where job output goes: sinks for mittnite's stdout/stderr (created on first use)."""
        if self._output is None:
            from .output import OutputRouting

            self._output = OutputRouting(self.stdout_fd, self.stderr_fd)
        return self._output

    def watch_hub(self) -> WatchHub:
        """One inotify descriptor for all jobs' watches (created on first use)."""
        if self._watch_hub is None:
            from ..runtime.inotify import WatchHub

            self._watch_hub = WatchHub()
        return self._watch_hub

    def close(self) -> None:
        if self._watch_hub is not None:
            self._watch_hub.close()
            self._watch_hub = None

    def environment(self, extra: tuple[str, ...] | None) -> list[bytes]:
        """mittnite's environment plus a job's ``env``, entry by entry, as Go builds it.

        The last entry of a name wins, entries without ``=`` are passed verbatim (see
        :mod:`mittnite.runtime.environ`).
        """
        from ..runtime.environ import child_environment

        return child_environment(extra)
