"""A `multiprocessing` pool seen as a `concurrent.futures.Executor`, as a Dask client's is.

The standard library's own process executor cannot stop its workers mid-task before Python
3.14; a pool can, so a Ctrl-C ends a build's workers at once.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from multiprocessing.pool import Pool
from typing import Any, TypeVar

Result = TypeVar("Result")


class PoolExecutor(Executor):
    """Runs each call in a worker of `pool`, in the order they are submitted."""

    def __init__(self, pool: Pool) -> None:
        self.pool = pool

    def submit(self, fn: Callable[..., Result], /, *args: Any, **kwargs: Any) -> Future[Result]:
        """Send `fn(*args, **kwargs)` to the pool; its future is running as it is sent."""
        future: Future[Result] = Future()
        future.set_running_or_notify_cancel()
        self.pool.apply_async(
            fn, args, kwargs, callback=future.set_result, error_callback=future.set_exception
        )
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Let the workers finish what they were sent (`wait`), unless `cancel_futures`; then
        end them."""
        if wait and not cancel_futures:
            self.pool.close()
            self.pool.join()
        self.pool.terminate()
