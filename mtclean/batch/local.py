"""Run chunks on local worker processes: results in input order, a bounded number in flight.

`Pool.imap` would read the whole input ahead of the workers; here at most `window`
chunks exist at once, so memory stays flat whatever the input size.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import time
from collections import deque
from contextlib import contextmanager
from typing import Iterable, Iterator

from .pipeline import ChunkResult, Settings, Unit, context, process_chunk


def _die_with_parent(parent: int) -> None:
    """End this worker when the parent dies, even by SIGKILL: the kernel's parent-death
    signal on Linux, and everywhere a thread that notices the worker was orphaned."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="mtclean-parent-watch", daemon=True).start()


def _init(settings: Settings, parent: int) -> None:
    _die_with_parent(parent)
    # Ctrl-C reaches the whole process group: let the parent alone decide to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Each worker builds and warms its engine itself, all at once, while the parent reads
    # ahead: the start-up is paid in parallel rather than once in the parent before any
    # worker can begin. (The large word data are tries mapped from one cache file, so
    # they are shared between workers all the same.)
    context(settings).warm()
    _tune_collector()


# Cleaning makes millions of short-lived containers (findings, spans, tuples) and almost
# no reference cycles: a 2 MB run leaves some 450 cyclic objects for the collector. At
# Python's default threshold (a young collection every 700 net allocations) the collector
# ran every few records and took 2-3% of one worker's time for nothing; collecting every
# 10,000 keeps the young generation small all the same, so memory stays flat.
_YOUNG_THRESHOLD = 10_000


def _tune_collector() -> tuple[int, int, int]:
    """Tune the cyclic collector for a run of chunks; return the thresholds it had.
    Start-up objects (the engine, its rules and word data) are frozen first: they are
    never garbage, and full collections then skip them."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(_YOUNG_THRESHOLD, before[1], before[2])
    return before


@contextmanager
def _collector_tuned():
    """`_tune_collector` for an in-process run, undone after it (the caller may be a
    program that goes on to other work; one that froze objects itself is left alone)."""
    if gc.get_freeze_count():
        yield
        return
    before = _tune_collector()
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def _mp_context():
    """fork on Linux (workers start at once, with the modules already imported);
    elsewhere forkserver/spawn."""
    import multiprocessing

    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def run_local(chunks: Iterable[list[Unit]], settings: Settings, workers: int) -> Iterator[ChunkResult]:
    """Yield each chunk's result in input order, using `workers` processes (1: in-process)."""
    if workers <= 1:
        context(settings)  # the engine built before the freeze, as in a worker
        with _collector_tuned():
            for chunk in chunks:
                yield process_chunk(settings, chunk)
        return
    # Imported here: a one-worker run (and its start-up) needs no process pool.
    from concurrent.futures import ProcessPoolExecutor

    window = 2 * workers + 2
    mp = _mp_context()
    with ProcessPoolExecutor(workers, mp_context=mp, initializer=_init,
                             initargs=(settings, os.getpid())) as pool:
        pending: deque = deque()
        try:
            for chunk in chunks:
                pending.append(pool.submit(process_chunk, settings, chunk))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for fut in pending:
                fut.cancel()
