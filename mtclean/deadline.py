"""Wall-clock time limits for regex searches.

The `regex` module's own `timeout=` counts CPU time, so on a busy machine a catastrophic
pattern ran 5-6 times longer than its stated limit. `regex` checks for signals while it
matches, so a real-time interval timer (SIGALRM) can stop a search at the wall-clock
limit. That works only in the main thread of a POSIX process; elsewhere (Dask worker
threads, Windows) the CPU-time timeout, always passed as well, is the limit.

System calls cost microseconds and a corpus has millions of short segments, so the timer
is armed once per check (`watching`), not once per search, and the handler stays
installed between checks unless another handler was there before: each search only notes its
own deadline (`limit`), and when the alarm goes off the handler either raises (the
running search is past its deadline) or re-arms the timer for the deadline still ahead.
"""

from __future__ import annotations

import signal
import threading
import time

from _signal import getsignal as _getsignal

_CAN_ALARM = hasattr(signal, "setitimer") and hasattr(signal, "SIGALRM")
_MAIN = threading.main_thread()
_get_ident = threading.get_ident


class WallTimeout(TimeoutError):
    """A search ran past its wall-clock limit."""


class _State:
    """The deadline of the search running now (0: none), when the alarm is due, the
    watch's period and depth."""

    deadline = 0.0
    next_alarm = 0.0
    period = 0.0
    depth = 0


def _arm(now: float, ahead: float) -> None:
    ahead = max(ahead, 1e-3)
    signal.setitimer(signal.ITIMER_REAL, ahead)
    _State.next_alarm = now + ahead


def _on_alarm(signum, frame):
    if not _State.depth:  # left installed between checks: nothing to stop
        return
    deadline = _State.deadline
    now = time.monotonic()
    if deadline and now >= deadline:
        _State.deadline = 0.0
        _arm(now, _State.period)  # keep watching the searches after this one
        raise WallTimeout("wall-clock limit reached")
    _arm(now, deadline - now if deadline else _State.period)


class watching:  # noqa: N801 (used like the context-manager function it replaced)
    """Arm the wall-clock watch for a block of searches; `period` is the longest limit
    any of them gets (the first alarm comes after it). A class, not a generator-based
    context manager: it is entered once per checked document, millions of times a run."""

    __slots__ = ("period", "active", "previous", "started", "old")

    def __init__(self, period: float):
        self.period = period
        self.active = False

    def __enter__(self) -> None:
        if (not _CAN_ALARM or _State.depth or threading.current_thread() is not _MAIN):
            return
        previous = _getsignal(signal.SIGALRM)  # the raw handler: no enum conversion
        if previous is not _on_alarm:
            try:
                signal.signal(signal.SIGALRM, _on_alarm)
            except ValueError:  # not the main interpreter
                return
        self.previous = previous
        self.active = True
        period = self.period
        self.started = started = time.monotonic()
        _State.depth, _State.period, _State.deadline = 1, period, 0.0
        _State.next_alarm = started + period
        self.old = signal.setitimer(signal.ITIMER_REAL, period)

    def __exit__(self, *exc) -> None:
        if not self.active:
            return
        self.active = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        _State.depth, _State.deadline = 0, 0.0
        previous = self.previous
        if previous is not _on_alarm and callable(previous):  # someone's handler (e.g. pytest-timeout): restore
            signal.signal(signal.SIGALRM, previous)
        old_delay, old_interval = self.old
        if old_delay > 0:  # someone else's timer was running: put it back
            left = old_delay - (time.monotonic() - self.started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3), old_interval)


class _Idle:
    """What `watch` returns when a watch is armed already: a context that does nothing."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc) -> None:
        return None


_IDLE = _Idle()


def watch(period_of, text: str) -> watching | _Idle:
    """`watching(period_of(text))` for the check of `text`, or, inside an armed watch (a
    batch chunk), an idle context: `watching` would not arm a second one anyway, and the
    check of each segment then costs no object and no call to work out its period."""
    return _IDLE if _State.depth else watching(period_of(text))


def guarded() -> bool:
    """True inside an armed `watching`, in the thread the alarm interrupts (the main one):
    the alarm stops a search at its wall-clock limit, which comes no later than the same
    limit in CPU time (a thread's CPU time never runs ahead of the clock). A search there
    need not pass `regex` its own timeout, which costs about 2 µs a search."""
    return _State.depth == 1 and _get_ident() == _MAIN.ident  # (a forked worker's own)


def start(seconds: float) -> None:
    """Let the search about to run take `seconds` of real time (inside `watching`; outside
    it only the CPU-time timeout applies). Pair with `stop()` in a `finally`; plain
    functions, as this runs for every pattern on every segment."""
    now = time.monotonic()
    _State.deadline = now + seconds
    if _State.depth and _State.deadline < _State.next_alarm:  # a shorter limit (a screen)
        _arm(now, seconds)


def stop() -> None:
    _State.deadline = 0.0
