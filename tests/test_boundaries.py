"""sentence-boundary checks (SB001-SB005) against their case table, plus the invariants
every boundary fix must keep (offsets exact, fixing twice changes nothing more)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from casetable import load_table, table_tests
from mtclean import checks
from mtclean.api import build_engine
from mtclean.document import Document

CASES = Path(__file__).parent / "cases"
TABLE = load_table("sentence_boundary.yaml")
ENGINE = build_engine(select=["sentence-boundary"])


test_flag, test_pass = table_tests(TABLE, ENGINE)


def test_seed_style_fragment_is_flagged_without_fix():
    text = "Moscow said so on Monday. Another example of the approach\", which aims at pressure."
    found = [f for f in ENGINE.check(Document(text)) if f.rule == "SB005"]
    assert [f.text for f in found] == ["Another example of the approach\""]
    assert found[0].fix is None


def test_hard_wrapped_long_lines_still_flag_a_stray_break():
    line = "word " * 30
    text = (line + "and the\nrest of it.\n\n") * 3 + "Final paragraph here.\nend"
    found = [f for f in ENGINE.check(Document(text)) if f.rule == "SB002"]
    assert len(found) == 3  # lines longer than wrap_width are not hard wrapping


KNOWN = yaml.safe_load((CASES / "known_failures_mt.yaml").read_text(encoding="utf-8"))["cases"]
MT_ENGINE = build_engine(select=["sentence-boundary", "entity-translation", "numbers", "REP101",
                                 "REP102"])


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="documented weakness (tests/cases/known_failures_mt.yaml)")
@pytest.mark.parametrize("case", KNOWN, ids=[c["id"] for c in KNOWN])
def test_known_failure(case):
    found = [f for f in MT_ENGINE.check(Document(case["text"])) if f.rule == case["rule"]]
    if case["want"] == "flag":
        assert any(f.text == case["span"] for f in found), case["why"]
    else:
        assert not found, case["why"]


_PIECES = st.sampled_from([
    "The", "the", "said", "U.S.", "3.5", "Officials", "said.Officials", "3rd.The", ".", "?",
    " ", " ", "\n", "\n\n", "\"", "“", "”", "iPhone", "e.g.", "and", "x", "Xinhua.net",
    "3 hundred million", "1.5 ten thousand", "２０", "the Russian Satellite Network",
    "the development of", "Prices rose again in May.", "\r\n",
])


@settings(max_examples=80, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_offsets_exact_and_fix_idempotent(text):
    """Every family here: spans index the text exactly; fixing twice changes nothing more."""
    doc = Document(text)
    for f in MT_ENGINE.check(doc):
        assert 0 <= f.start <= f.end <= len(text)
        assert f.text == text[f.start:f.end]
    once, _, _ = MT_ENGINE.fix(Document(text), unsafe=True)
    twice, _, _ = MT_ENGINE.fix(Document(once), unsafe=True)
    assert twice == once


def _ungated(rule_id: str, text: str) -> list:
    """Run a check directly, without the engine's trigger in front of it."""
    rule = next(r for r in ENGINE.rules if r.id == rule_id)
    return list(checks.get(rule.check)(Document(text), rule) or ())


@pytest.mark.parametrize("text, spans", [
    ("The mayor said \"we will see\" and then the plan failed\", aides added.", []),
    ("Quoted first: “fine” then more text, with a stray mark” after it.", []),
    ("Officials met.\n\nA new paragraph with the plan\", which failed.",
     ["A new paragraph with the plan\""]),
])
def test_fragment_check_looks_only_at_the_first_mark_of_a_paragraph(text, spans):
    """The SB005 trigger skips a closing mark with another mark before it on its line;
    that is sound only while the check itself ignores every mark but the first."""
    hits = _ungated("SB005", text)
    assert [text[h.start:h.end] for h in hits] == spans
    assert bool(checks.gate("fragment-before-closing-quote").search(text)) == bool(spans)
