"""Run a blocking driver call (PyMySQL, pymongo, a directory read) off the event loop.

Why not :func:`asyncio.to_thread`: its executor threads are joined when the
loop shuts down, so a database call stuck in a connect would hold up
mittnite's exit until the driver's own timeout. A daemon thread per call
never delays shutdown: when the caller is cancelled the thread's result is
simply dropped, and the driver's timeouts end the thread soon after.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeVar

    T = TypeVar("T")


async def run_blocking(function: Callable[[], T], *, name: str = "mittnite-probe") -> T:
    """Call ``function`` in a fresh daemon thread and await its result."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(value: T | None, error: BaseException | None) -> None:
        if future.done():
            return  # the caller gave up (cancelled or timed out)
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)  # type: ignore[arg-type]  # value is a T when error is None

    def run() -> None:
        value: T | None = None
        failure: BaseException | None = None
        try:
            value = function()
        except BaseException as error:
            failure = error
        # A closed loop raises RuntimeError: nobody is waiting any more.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle, value, failure)

    threading.Thread(target=run, name=name, daemon=True).start()
    return await future
