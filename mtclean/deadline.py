"""Wall-clock time limits for regex searches.

The `regex` module's own `timeout=` counts CPU time, so on a busy machine a catastrophic
pattern ran 5-6 times longer than its stated limit. `regex` checks for signals while it
matches, so a real-time interval timer (SIGALRM) can stop a search at the wall-clock
limit. That works only in the main thread of a POSIX process; elsewhere (Dask worker
threads, Windows) the CPU-time timeout, always passed as well, is the limit.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Iterator

_CAN_ALARM = hasattr(signal, "setitimer") and hasattr(signal, "SIGALRM")


class WallTimeout(TimeoutError):
    """A search ran past its wall-clock limit."""


def _raise(signum, frame):
    raise WallTimeout("wall-clock limit reached")


@contextmanager
def wall_limit(seconds: float) -> Iterator[None]:
    """Raise WallTimeout (a TimeoutError) in the body after `seconds` of real time."""
    if not _CAN_ALARM or threading.current_thread() is not threading.main_thread():
        yield
        return
    try:
        old_handler = signal.signal(signal.SIGALRM, _raise)
    except ValueError:  # not the main interpreter
        yield
        return
    started = time.monotonic()
    old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-3))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)
        if old_delay > 0:  # someone else's timer was running: put it back
            left = old_delay - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3), old_interval)
