"""The writer-thread fallback of :mod:`mittnite.runtime.sink`.

Where mittnite cannot get a non-blocking descriptor of its own for a
destination (no ``/proc``, no permission to reopen the pipe or terminal), a
thread does the blocking writes; the event loop only hands it buffers and is
told how far it got. Limits, back-pressure and accounting are those of
:class:`~mittnite.runtime.sink.Sink`; a stalled destination blocks the
thread, never the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections import deque

from .sink import _BROKEN, _CLOSED, _OPEN, Sink, _FdOutput


class ThreadedSink(Sink):
    """A sink whose blocking writes happen on a thread (the fallback, see the module doc).

    The loop appends buffers; the thread writes them and reports progress back
    with ``call_soon_threadsafe``. Limits, back-pressure and accounting are
    those of :class:`Sink`.
    """

    idle = False  # nothing is spliced to a thread
    can_splice = False

    def __init__(self, fd: int, **limits: int) -> None:
        super().__init__(_FdOutput(fd, owned=False), **limits)
        self._condition = threading.Condition()
        self._queue: deque[bytes] = deque()
        self._thread: threading.Thread | None = None

    def write(self, data: bytes | memoryview, owner: object = None) -> None:
        size = len(data)
        if not size:
            return
        self.last_writer = owner
        if self._state == _BROKEN:
            self.discarded += size
            return
        if self._state == _CLOSED and self.buffered >= self.high_water:
            self.discarded += size
            return
        if self._loop is None:
            with contextlib.suppress(RuntimeError):  # without a loop the thread counts alone
                self._loop = asyncio.get_running_loop()
        self.buffered += size
        with self._condition:
            self._queue.append(bytes(data))
            self._condition.notify()
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name=f"mittnite-output-{self.fileno}", daemon=True
            )
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._queue:
                    self._condition.wait()
                data = self._queue.popleft()
            view = memoryview(data)
            error: OSError | None = None
            while view:
                try:
                    written = os.write(self.fileno, view)
                except InterruptedError:
                    continue
                except OSError as exc:
                    error = exc
                    break
                view = view[written:]
                self._report(written, None)
            if error is not None:
                self._report(len(view), error)

    def _report(self, written: int, error: OSError | None) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            self.buffered -= written  # the loop is gone: nobody else touches the counter
            return
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self._progress, written, error)

    def _progress(self, written: int, error: OSError | None) -> None:
        if error is not None:
            with self._condition:
                dropped = sum(len(item) for item in self._queue)
                self._queue.clear()
            self.buffered -= written + dropped
            self.discarded += written + dropped
            if self._state == _OPEN:
                self._mark_broken(error)
            self._settle_drained()
            self._wake()
            return
        self.buffered -= written
        if not self.buffered:
            self._settle_drained()
        if self.buffered <= self.low_water:
            self._wake()

    async def drain(self, timeout: float) -> bool:
        if not self.buffered:
            return True
        future = asyncio.get_running_loop().create_future()
        self._drained.append(future)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(future, timeout)
        return not self.buffered

    def close(self) -> None:
        """Exiting: the thread keeps writing what it has (it cannot be interrupted)."""
        if self._state == _OPEN:
            self._state = _CLOSED
        self._settle_drained()
        self._wake()
