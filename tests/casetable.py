"""Shared runner for the per-family case tables in tests/cases/*.yaml.

A flag case names the rule, the exact flagged span, optionally the fix safety and the text
after every fix of the family (unsafe included); a pass case must produce no finding.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mtclean.document import Document

CASES = Path(__file__).parent / "cases"


def load_table(name: str) -> dict:
    return yaml.safe_load((CASES / name).read_text(encoding="utf-8"))


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


def table_tests(table: dict, engine):
    """Build the parametrized `test_flag` / `test_pass` pair for one case table."""

    @pytest.mark.parametrize("case", table["flag"], ids=[c["id"] for c in table["flag"]])
    def test_flag(case):
        run_flag_case(engine, case)

    @pytest.mark.parametrize("case", table["pass"], ids=[c["id"] for c in table["pass"]])
    def test_pass(case):
        run_pass_case(engine, case)

    return test_flag, test_pass


def span_table_tests(table: dict, engine, flagged):
    """`test_flag` / `test_pass` for tables whose flag cases list every flagged span of the
    rule, all with unsafe fixes (names, capitals). `flagged(text, rule=None)` finds them."""

    @pytest.mark.parametrize("case", table["flag"], ids=[c["id"] for c in table["flag"]])
    def test_flag(case):
        found = flagged(case["text"], rule=case["rule"])
        assert [f.text for f in found] == case["spans"]
        assert all(f.fix is not None and f.fix.safety == "unsafe" for f in found)
        if "fixed" in case:
            fixed, _, _ = engine.fix(Document(case["text"]), unsafe=True)
            assert fixed == case["fixed"]

    @pytest.mark.parametrize("case", table["pass"], ids=[c["id"] for c in table["pass"]])
    def test_pass(case):
        found = flagged(case["text"])
        assert not found, [(f.rule, f.text, f.message) for f in found]

    return test_flag, test_pass
