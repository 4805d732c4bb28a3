"""The sentence and paragraph splitter against its case table (tests/cases/segment.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
import yaml

from mtclean import segment

TABLE = yaml.safe_load((Path(__file__).parent / "cases" / "segment.yaml").read_text(encoding="utf-8"))


def case_text(case: dict) -> str:
    """A case's text; when the table leaves it out, its sentences joined by one space."""
    return case["text"] if "text" in case else " ".join(case["sentences"])


def _check_spans(text: str, spans: list[tuple[int, int]]) -> None:
    """Spans are ordered, disjoint, in range, and neither start nor end on whitespace."""
    prev = 0
    for a, b in spans:
        assert prev <= a < b <= len(text)
        assert not text[a].isspace() and not text[b - 1].isspace()
        prev = b


@pytest.mark.parametrize("case", TABLE["sentences"], ids=[c["id"] for c in TABLE["sentences"]])
def test_sentences(case):
    text = case_text(case)
    spans = segment.split_sentences(text)
    _check_spans(text, spans)
    assert [text[a:b] for a, b in spans] == case["sentences"]
    if "spans" in case:
        assert [list(s) for s in spans] == case["spans"]


@pytest.mark.parametrize("case", TABLE["paragraphs"], ids=[c["id"] for c in TABLE["paragraphs"]])
def test_paragraphs(case):
    text = case["text"]
    spans = segment.paragraphs(text)
    _check_spans(text, spans)
    assert [text[a:b] for a, b in spans] == case["paragraphs"]
    if "spans" in case:
        assert [list(s) for s in spans] == case["spans"]


@pytest.mark.parametrize("case", TABLE["known_failures"], ids=[c["id"] for c in TABLE["known_failures"]])
def test_known_failures(case):
    """Documented weaknesses: strict xfail, so a fix turns into a visible XPASS."""
    text = case_text(case)
    got = [text[a:b] for a, b in segment.split_sentences(text)]
    if got == case["sentences"]:
        pytest.fail(f"known failure {case['id']!r} now passes: move it to 'sentences'")
    pytest.xfail(case["why"])


def test_sentences_respect_window():
    """Splitting a window (one paragraph) returns spans inside that window only."""
    text = "Intro text. Skip me.\n\nThe vote passed. It was close.\n\nOutro."
    a = text.index("The vote")
    b = text.index("close.") + len("close.")
    spans = segment.sentences(text, a, b)
    assert [text[s:e] for s, e in spans] == ["The vote passed.", "It was close."]
    assert all(a <= s < e <= b for s, e in spans)


def test_splitter_does_not_alter_text():
    text = "Mr. Li arrived.  “Good,” he said.\u3000It rained。Then it stopped."
    copy = str(text)
    segment.sentences(text)
    segment.paragraphs(text)
    assert text == copy


def test_table_has_required_phenomena():
    """The table must keep covering what the issue names: abbreviations, decimals,
    initials, quotes and brackets."""
    texts = " ".join(case_text(c) for c in TABLE["sentences"])
    for needle in ("U.S.", "Mr.", "Feb.", "37.5%", "E. M.", "“", "(", "[", "\n1. ", "a) ", "ii.",
                   "•", "p. 55", "No. 5", "Rs. 300", "Art. 12", "fig. 3", "P.M. Mr.", "than I.",
                   "J. K. Rowling", "...", ". . .", "…", '.")', "et al.", "10:45", "https://",
                   "@example"):
        assert needle in texts
    assert len(TABLE["sentences"]) >= 200


@pytest.mark.timeout(120)
@pytest.mark.parametrize("run", [".", "!", "?", "…", "。", ".\"", ". ", "!)", "Mr. "])
def test_long_punctuation_runs_take_linear_time(run):
    """200,000 characters of the same punctuation must not trigger a backtracking search
    from every position (the old pattern needed minutes for 5,000 dots)."""
    text = run * (200_000 // len(run))
    spans = segment.sentences(text)
    _check_spans(text, spans)


_PIECES = ["The", "talks", "U.S.", "Mr.", "Feb.", "37.5%", "J.", "no.", "Inc.", " ", "  ", ".",
           "...", "!", "?", "“", "”", "\"", "(", ")", "[", "]", "。", "！", "，", "\u3000",
           "\n", "\n\n", "\r\n", "中国", "😀"]


@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
@settings(max_examples=300, deadline=None)
def test_spans_are_ordered_trimmed_and_cover_all_text(text):
    """Every non-space character belongs to exactly one sentence of its paragraph."""
    paras = segment.paragraphs(text)
    _check_spans(text, paras)
    covered = set()
    for pa, pb in paras:
        sents = segment.sentences(text, pa, pb)
        _check_spans(text, sents)
        assert all(pa <= a and b <= pb for a, b in sents)
        for a, b in sents:
            covered.update(range(a, b))
    assert {i for i, c in enumerate(text) if not c.isspace()} <= covered


_LIST_PIECES = ["1.", "2.", "3)", "a.", "b)", "(c)", "ii.", "iii.", "1.)", "•", "-", "*", "I.",
                "The", "vote", "passed", "said", " ", " ", " ", "\n", "\n\n", ".", ",", "“",
                "U.S.", "a.m.", "Mr.", "J.", "No.", "5", "x", "(", ")"]


@given(st.lists(st.sampled_from(_LIST_PIECES), max_size=40).map("".join))
@example("1. 2. (c)")  # a marker before "(" then a lowercase letter (hypothesis found it)
@example("b) then 1. (a) x")  # markers at the very start of the text
@settings(max_examples=1000, deadline=None)
def test_marker_gate_changes_nothing(text):
    """Texts the cheap gate sends to the stop-only scan split exactly as with the full scan."""
    full = []
    for a, b in segment.paragraphs(text):
        full.extend(segment._judge(text, a, b, list(segment._SCAN.finditer(text, a, b))))
    assert segment.split_sentences(text) == full
    assert [s for a, b in segment.paragraphs(text) for s in segment.sentences(text, a, b)] == full
