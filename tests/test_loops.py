"""MT loop checks (REP101 repeated sentence, REP102 repeated phrase) against their case table."""

from __future__ import annotations

import time


from casetable import load_table, table_tests
from mtclean.api import build_engine
from mtclean.document import Document

TABLE = load_table("loops.yaml")
ENGINE = build_engine(select=["REP101", "REP102"])


test_flag, test_pass = table_tests(TABLE, ENGINE)


def test_long_loop_text_is_linear_enough():
    text = ("The committee met again to discuss the budget for next year. " * 20000)
    start = time.perf_counter()
    found = ENGINE.check(Document(text))
    assert len(found) == 19999
    assert time.perf_counter() - start < 20
