"""Run the same per-record pipeline on a Dask cluster.

Distribution, retries and rescheduling after a lost worker are Dask's: chunks are
submitted as tasks to a `distributed.Client` and collected in input order with a bounded
number in flight (streaming, flat memory). `clean_bag` is the library form for users who
already hold their corpus in a `dask.bag`.
"""

from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import CancelledError
from collections import deque
from typing import Iterable, Iterator

from ..errors import MtcleanError
from .pipeline import ChunkResult, Settings, Unit, clean_records, process_chunk


class DaskError(MtcleanError):
    """The scheduler cannot be reached or the cluster has no workers."""


def connect(address: str, timeout: float = 10.0):
    from distributed import Client

    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise DaskError(f"cannot reach the Dask scheduler at {address} ({exc}); "
                        "start one with `dask scheduler` and pass its address") from None


def run_dask(chunks: Iterable[list[Unit]], settings: Settings, address: str,
             window: int | None = None) -> Iterator[ChunkResult]:
    """Yield chunk results in input order, computed on the cluster at `address`."""
    client = connect(address)
    try:
        workers = len(client.scheduler_info().get("workers", {})) or 1
        window = window or 4 * workers + 2
        run = uuid.uuid4().hex[:12]
        pending: deque = deque()
        for i, chunk in enumerate(chunks):
            pending.append(client.submit(process_chunk, settings, chunk, key=f"mtclean-{run}-{i}",
                                         retries=2))
            if len(pending) >= window:
                yield _take(pending.popleft())
        while pending:
            yield _take(pending.popleft())
    finally:
        client.close()


def _take(fut) -> ChunkResult:
    from distributed import KilledWorker

    try:
        res = fut.result()
    except MtcleanError:
        raise
    except KilledWorker as exc:
        raise DaskError(f"Dask gave up on a chunk after its workers died repeatedly ({exc}); "
                        "check the workers' memory and logs, then rerun with --resume") from None
    except (OSError, TimeoutError, CancelledError, asyncio.CancelledError) as exc:
        raise DaskError(f"lost the Dask cluster mid-run ({type(exc).__name__}: {exc}); "
                        "rerun with --resume to continue") from None
    fut.release()
    return res


def _clean_partition(part: list, settings: Settings, text_field: str, doc_field: str | None) -> list:
    return list(clean_records(part, settings, text_field=text_field, doc_field=doc_field,
                              name="<dask partition>"))


def clean_bag(bag, settings: Settings = Settings(), text_field: str = "text",
              doc_field: str | None = None):
    """Map the batch pipeline over a dask.bag of dict records; return a bag of cleaned dicts.

    A document's records should sit in one partition (consecutively) for the cross-record
    checks to see them together; each partition is cleaned independently.
    """
    return bag.map_partitions(_clean_partition, settings, text_field, doc_field)
