"""The wall-clock watch (mtclean/deadline.py): where it guards a search, `regex`'s own
CPU-time timeout is left out (it costs about 2 µs a search), so the alarm alone must stop
a catastrophic search there; elsewhere the timeout is still passed."""

from __future__ import annotations

import threading
import time

import pytest
import regex

from mtclean import deadline

pytestmark = pytest.mark.skipif(not deadline._CAN_ALARM, reason="no SIGALRM interval timer")


def test_guarded_only_inside_an_armed_watch_in_the_main_thread():
    assert not deadline.guarded()
    seen = []
    with deadline.watching(5.0):
        assert deadline.guarded()
        worker = threading.Thread(target=lambda: seen.append(deadline.guarded()))
        worker.start()
        worker.join()
    assert seen == [False]  # the alarm interrupts the main thread only
    assert not deadline.guarded()


def test_the_alarm_alone_stops_a_search_passed_no_timeout():
    slow = regex.compile(r"(?:(a|aa)+)+c")
    t = time.monotonic()
    with pytest.raises(TimeoutError):
        with deadline.watching(0.3):
            assert deadline.guarded()
            deadline.start(0.3)
            try:
                slow.search("a" * 60 + "b")  # years without the alarm
            finally:
                deadline.stop()
    assert time.monotonic() - t < 5, "the alarm did not interrupt the search"


def test_a_check_inside_an_armed_watch_arms_no_other():
    assert isinstance(deadline.watch(lambda text: 5.0, "x"), deadline.watching)
    with deadline.watching(5.0):
        inner = deadline.watch(lambda text: 1 / 0, "x")  # the period is not even worked out
        assert not isinstance(inner, deadline.watching)
        with inner:
            assert deadline.guarded()
        assert deadline.guarded()  # leaving it disarms nothing
