"""MT loop checks (REP101 repeated sentence, REP102 repeated phrase) against their case table."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from casetable import run_flag_case, run_pass_case
from mtclean.api import build_engine
from mtclean.document import Document

CASES = Path(__file__).parent / "cases"
TABLE = yaml.safe_load((CASES / "loops.yaml").read_text(encoding="utf-8"))
ENGINE = build_engine(select=["REP101", "REP102"])


@pytest.mark.parametrize("case", TABLE["flag"], ids=[c["id"] for c in TABLE["flag"]])
def test_flag(case):
    run_flag_case(ENGINE, case)


@pytest.mark.parametrize("case", TABLE["pass"], ids=[c["id"] for c in TABLE["pass"]])
def test_pass(case):
    run_pass_case(ENGINE, case)


def test_long_loop_text_is_linear_enough():
    text = ("The committee met again to discuss the budget for next year. " * 20000)
    start = time.perf_counter()
    found = ENGINE.check(Document(text))
    assert len(found) == 19999
    assert time.perf_counter() - start < 20
