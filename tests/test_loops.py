"""MT loop checks (REP101 repeated sentence, REP102 repeated phrase) against their case table."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from mtclean.api import build_engine
from mtclean.document import Document

CASES = Path(__file__).parent / "cases"
TABLE = yaml.safe_load((CASES / "loops.yaml").read_text(encoding="utf-8"))
ENGINE = build_engine(select=["REP101", "REP102"])


def run_flag_case(engine, case):
    """The case's rule reports its span with the expected safety, and fixing gives `fixed`."""
    doc = Document(case["text"])
    found = [f for f in engine.check(doc) if f.rule == case["rule"]]
    assert found, f"{case['rule']} missed {case['text']!r}"
    for f in found:
        assert f.text == case["text"][f.start:f.end]
    exact = [f for f in found if f.text == case["span"]]
    assert exact, f"expected span {case['span']!r}, got {[f.text for f in found]}"
    if "safety" in case:
        assert exact[0].fix is not None and exact[0].fix.safety == case["safety"]
    if "fixed" in case:
        fixed, _, _ = engine.fix(Document(case["text"]), unsafe=True)
        assert fixed == case["fixed"]


def run_pass_case(engine, case):
    found = engine.check(Document(case["text"]))
    assert not found, f"flagged a must-pass text: {[(f.rule, f.text) for f in found]}"


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
