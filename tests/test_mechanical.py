"""The mechanical families (cjk-residue, spacing, quotes, repetition, boilerplate, encoding)
against their case table, including the must-not-flag list and documented weaknesses."""

from __future__ import annotations

from pathlib import Path

import pytest

from casetable import load_table, table_tests
from mtclean.api import build_engine
from mtclean.document import Document

TABLE = load_table("mechanical.yaml")
FAMILIES = ["cjk-residue", "spacing", "quotes", "repetition", "boilerplate", "encoding"]
ENGINE = build_engine(select=FAMILIES)


test_flag, test_pass = table_tests(TABLE, ENGINE)


@pytest.mark.xfail(strict=True, raises=AssertionError, reason="documented weakness (mechanical.yaml)")
@pytest.mark.parametrize("case", TABLE["known_failures"], ids=[c["id"] for c in TABLE["known_failures"]])
def test_known_failure(case):
    found = [f for f in ENGINE.check(Document(case["text"])) if f.rule == case["rule"]]
    assert any(f.text == case["span"] for f in found), case["why"]
    if "fixed" in case:
        fixed, _, _ = ENGINE.fix(Document(case["text"]), unsafe=True)
        assert fixed == case["fixed"], case["why"]


def test_clean_sample_has_no_findings_and_is_not_rewritten(tmp_path):
    """The professional sample must be clean for every rule, not only these families."""
    sample = Path(__file__).parent.parent / "samples" / "clean-news.txt"
    text = sample.read_text(encoding="utf-8")
    engine = build_engine()
    assert engine.check(Document(text, str(sample))) == []
    fixed, edits, _ = engine.fix(Document(text), unsafe=True)
    assert fixed == text and edits == []
