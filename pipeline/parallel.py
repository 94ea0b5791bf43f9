"""Worker processes for the CPU-bound stages (cleaning with trafilatura, extraction).

One pool per asset run, fed in small chunks, results back in input order, so the output
is the same whatever the worker count. Inputs are small (a URI, a hash, a text): workers
read the bytes themselves, so the parent never holds a partition's raw pages."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

WORKERS_ENV = "DEMARCHE_WORKERS"
# Below this many items a pool's start-up (fork, warm-up, pickling) costs more than it saves.
MIN_POOL_ITEMS = 64
CHUNKSIZE = 8  # items per message: amortises pickling without starving the last worker


def worker_count(requested: int | None = None) -> int:
    """`requested`, else $DEMARCHE_WORKERS, else one per CPU."""
    if requested is None and os.environ.get(WORKERS_ENV):
        requested = int(os.environ[WORKERS_ENV])
    return max(1, requested if requested is not None else (os.cpu_count() or 1))


def _context():
    # fork: workers inherit the imported trafilatura, the gazetteer and the compiled patterns
    # instead of importing them again (spawn costs about a second per worker).
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _worker_init(warm_up: Callable[[], object] | None = None) -> None:
    # Forked workers inherit the parent's handlers (Dagster's raise an error on SIGTERM):
    # a worker is stopped by its pool, and interrupts are the parent's to handle.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if warm_up is not None:
        try:
            warm_up()  # e.g. load a model now, while the parent still reads the first batch
        except Exception:  # noqa: BLE001 - a pool whose initializer raises respawns workers forever:
            pass  # the first task meets the same error where the stage handles errors


class WorkerPool:
    """`workers` processes reused for several maps (one per batch of a partition), or this
    process alone when a pool would not pay for itself (one worker, under MIN_POOL_ITEMS items)."""

    def __init__(self, workers: int, n_items: int, warm_up: Callable[[], object] | None = None):
        """warm_up: run in each worker as it starts (a picklable function)."""
        self._pool = None
        if workers > 1 and n_items >= MIN_POOL_ITEMS:
            self._pool = _context().Pool(min(workers, n_items), initializer=_worker_init, initargs=(warm_up,))

    def imap(self, func: Callable[[T], R], items: Iterable[T], chunksize: int = CHUNKSIZE) -> Iterator[R]:
        """map(func, items), results in input order."""
        if self._pool is None:
            return map(func, items)
        return self._pool.imap(func, items, chunksize=chunksize)

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._pool is None:
            return
        if exc_type is None:
            self._pool.close()
        else:  # an error, or the consumer stopped early
            self._pool.terminate()
        self._pool.join()


def ordered_map(func: Callable[[T], R], items: Iterable[T], n_items: int, workers: int) -> Iterator[R]:
    """map(func, items), in `workers` processes when there are enough items."""
    with WorkerPool(workers, n_items) as pool:
        yield from pool.imap(func, items)
