"""Property tests (hypothesis) for the rewriter: plans never overlap, applying a plan is a
pure function that keeps text outside the edits byte-identical, findings stay in range, and
fixing is idempotent for the whole built-in rule set."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mtclean import fixes
from mtclean.api import build_engine
from mtclean.document import Document
from mtclean.finding import Finding, Fix

# Tokens that provoke the rule families: words, abbreviations, numbers, spacing, Latin and
# CJK punctuation, curly and straight quotes, brackets, ideographic spaces, line breaks,
# Han text, wire-copy tags and mojibake.
TOKENS = [
    "The", "the", "talks", "ended", "said", "Mr.", "U.S.", "Beijing", "Zhang", "Wei",
    "had", "that", "is", "a", "37.5%", "3", "2021", "million", "10,000",
    " ", " ", " ", "  ", ".", ",", ":", "?", "!", "“", "”", "\"", "'", "’", "(", ")", "[", "]",
    "。", "，", "：", "（", "）", "、", "《", "》", "\u3000", "\n", "\n\n", "\r\n",
    "中国", "会议", "经济", "ＡＢ", "１２", "(End)", "【Editor: Li】", "â€™", "Ã©",
]
texts = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)
SLOW = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


# --- plan and apply on synthetic findings ---------------------------------------------

@st.composite
def text_and_findings(draw):
    text = draw(st.text(alphabet="ab .,“”\n中", max_size=30))
    n = len(text)
    found = []
    for _ in range(draw(st.integers(0, 12))):
        a = draw(st.integers(0, n))
        b = draw(st.integers(a, min(n, a + 6)))
        rep = draw(st.sampled_from(["", "x", " ", "yy", ". "]))
        safety = draw(st.sampled_from(["safe", "unsafe", "display"]))
        fix = Fix(rep, safety) if draw(st.integers(0, 4)) else None
        found.append(Finding(rule=draw(st.sampled_from(["AAA001", "BBB002", "CCC003"])),
                             category="spacing", severity="warning", message="m",
                             start=a, end=b, text=text[a:b], fix=fix))
    return text, found


def _really_overlap(a: fixes.Edit, b: fixes.Edit) -> bool:
    """Independent statement of the overlap rule from the fixes module docstring."""
    if a.start == a.end and b.start == b.end:
        return a.start == b.start
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return max(a.start, b.start) < min(a.end, b.end)


@given(text_and_findings(), st.booleans())
@settings(max_examples=200, deadline=None)
def test_plan_edits_never_overlap_and_stay_in_range(tf, unsafe):
    text, found = tf
    edits = fixes.plan(found, unsafe)
    allowed = ("safe", "unsafe") if unsafe else ("safe",)
    for e in edits:
        assert 0 <= e.start <= e.end <= len(text)
        assert e.safety in allowed
    assert edits == sorted(edits, key=lambda e: (e.start, e.end))
    for i, a in enumerate(edits):
        for b in edits[i + 1:]:
            assert not _really_overlap(a, b), (a, b)


@given(text_and_findings(), st.booleans(), st.randoms())
@settings(max_examples=200, deadline=None)
def test_plan_is_deterministic_whatever_the_finding_order(tf, unsafe, rnd):
    text, found = tf
    shuffled = list(found)
    rnd.shuffle(shuffled)
    assert fixes.plan(found, unsafe) == fixes.plan(shuffled, unsafe)


@given(text_and_findings(), st.booleans())
@settings(max_examples=200, deadline=None)
def test_plan_is_maximal(tf, unsafe):
    """Every allowed fix left out of the plan clashes with an edit in it."""
    text, found = tf
    edits = fixes.plan(found, unsafe)
    ok = ("safe", "unsafe") if unsafe else ("safe",)
    chosen = {(e.start, e.end, e.replacement) for e in edits}
    for f in found:
        if f.fix is None or f.fix.safety not in ok:
            continue
        e = fixes.Edit(f.start, f.end, f.fix.replacement)
        if (e.start, e.end, e.replacement) in chosen:
            continue
        assert any(_really_overlap(e, a) or (a.start, a.end) == (e.start, e.end) for a in edits)


@given(text_and_findings(), st.booleans())
@settings(max_examples=200, deadline=None)
def test_apply_is_pure_and_keeps_text_outside_edits(tf, unsafe):
    text, found = tf
    edits = fixes.plan(found, unsafe)
    snapshot = (str(text), list(edits))
    out = fixes.apply(text, edits)
    assert (text, edits) == snapshot  # inputs untouched
    assert fixes.apply(text, edits) == out  # same inputs, same output
    # Walk the output: every stretch between edits is the original text, byte for byte.
    pos_in, pos_out = 0, 0
    for e in edits:
        gap = text[pos_in:e.start]
        assert out[pos_out:pos_out + len(gap)] == gap
        pos_out += len(gap)
        assert out[pos_out:pos_out + len(e.replacement)] == e.replacement
        pos_out += len(e.replacement)
        pos_in = e.end
    assert out[pos_out:] == text[pos_in:]
    assert out.encode("utf-8").endswith(text[pos_in:].encode("utf-8"))


def test_apply_rejects_overlapping_edits():
    with pytest.raises(ValueError):
        fixes.apply("abcdef", [fixes.Edit(0, 3, "x"), fixes.Edit(2, 4, "y")])


def test_conflict_order_is_documented_order():
    """Wider span first at one start; then safe before unsafe; then rule id."""
    f = lambda a, b, rep, safety="safe", rule="AAA001": Finding(
        rule, "spacing", "warning", "m", a, b, "", Fix(rep, safety))
    assert fixes.plan([f(0, 2, "x"), f(0, 4, "y")]) == [fixes.Edit(0, 4, "y", "AAA001", "safe")]
    assert [e.replacement for e in fixes.plan([f(1, 3, "u", "unsafe"), f(1, 3, "s")], True)] == ["s"]
    assert [e.rule for e in fixes.plan([f(1, 3, "b", rule="BBB001"), f(1, 3, "a", rule="AAA002")])] == ["AAA002"]
    # insertions at the edge of an edit are kept; inside it they are not
    plan = fixes.plan([f(2, 4, "x"), f(2, 2, "+"), f(4, 4, "-"), f(3, 3, "!")])
    assert [(e.start, e.end) for e in plan] == [(2, 2), (2, 4), (4, 4)]
    # an insertion between two accepted edits must not hide a later overlap
    plan = fixes.plan([f(2, 5, "x"), f(2, 2, "+"), f(3, 4, "y")])
    assert [(e.start, e.end) for e in plan] == [(2, 2), (2, 5)]


# --- the real engine on generated texts ----------------------------------------------

@pytest.fixture(scope="module")
def engine():
    return build_engine()


@given(texts)
@SLOW
def test_findings_are_in_range_with_exact_positions(engine, text):
    doc = Document(text)
    for f in engine.check(doc):
        assert 0 <= f.start <= f.end <= len(text), f
        assert f.text == text[f.start:f.end], f
        assert (f.line, f.column) == doc.position(f.start), f
        assert (f.end_line, f.end_column) == doc.position(f.end), f
        assert f.source == "rules"


@given(texts)
@SLOW
@example("The talks  ended ,he said。Then")
@example("“He said. ”")
def test_fix_is_idempotent_safe(engine, text):
    once, _, _ = engine.fix(Document(text))
    twice, edits, _ = engine.fix(Document(once))
    assert twice == once, f"second fix changed {once!r} -> {twice!r} via {edits}"


@given(texts)
@SLOW
def test_fix_is_idempotent_unsafe(engine, text):
    once, _, _ = engine.fix(Document(text), unsafe=True)
    twice, edits, _ = engine.fix(Document(once), unsafe=True)
    assert twice == once, f"second fix changed {once!r} -> {twice!r} via {edits}"


@given(texts)
@SLOW
def test_fix_leaves_no_safe_fix_behind(engine, text):
    """After `fix`, checking again proposes no safe fix (the loop really converged)."""
    once, _, remaining = engine.fix(Document(text))
    again = engine.check(Document(once))
    assert not fixes.plan(again), [(f.rule, f.text, f.fix) for f in again if f.fix and f.fix.safety == "safe"]
