"""Run chunks on local worker processes: results in input order, a bounded number in flight.

`Pool.imap` would read the whole input ahead of the workers; here at most `window`
chunks exist at once, so memory stays flat whatever the input size.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Iterable, Iterator

from .pipeline import ChunkResult, Settings, Unit, context, process_chunk


def _init(settings: Settings) -> None:
    context(settings)  # build the engine once, before the first chunk arrives


def run_local(chunks: Iterable[list[Unit]], settings: Settings, workers: int) -> Iterator[ChunkResult]:
    """Yield each chunk's result in input order, using `workers` processes (1: in-process)."""
    if workers <= 1:
        for chunk in chunks:
            yield process_chunk(settings, chunk)
        return
    window = 2 * workers + 2
    # forkserver: workers start from a clean interpreter (no inherited threads or files).
    mp = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, mp_context=mp, initializer=_init, initargs=(settings,)) as pool:
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
