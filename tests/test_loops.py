"""MT loop checks (REP101 repeated sentence, REP102 repeated phrase) against their case table."""

from __future__ import annotations

import re

import time

from hypothesis import given, settings
from hypothesis import strategies as st
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


# The REP102 fast path must never hide a loop the full scan would flag.
LOOP_WORDS = st.sampled_from(["the", "The", "THE", "of", "growth", "Growth", "x-ray", "it’s",
                              "don't", "2020", "a", "new", "“new", "plan”", "(plan)", "plan,",
                              "\u2014", "é", "_", "\u2060"])
LOOP_SEPS = st.sampled_from([" ", " ", " ", ", ", "  ", "\t", "\n", "-", "’"])


LOOP_TEXT = st.lists(st.tuples(LOOP_WORDS, LOOP_SEPS), max_size=12).map(
    lambda xs: "".join(w + s for w, s in xs))
# Random text, and random text around a phrase followed by a copy (perhaps in upper case).
LOOP_CASES = st.one_of(LOOP_TEXT, st.tuples(LOOP_TEXT, LOOP_TEXT, st.booleans(), LOOP_TEXT).map(
    lambda t: t[0] + t[1].strip() + " " + (t[1].strip().upper() if t[2] else t[1].strip()) + t[3]))


@settings(max_examples=1000, deadline=None)
@given(LOOP_CASES)
def test_repeated_phrase_prefilter_is_a_precondition(text):
    from mtclean.checks import loops
    if not loops._may_loop(Document(text)):
        assert loops._PHRASE.search(text) is None
        assert not [w for w in loops._loop_windows(text)
                    if list(loops._phrases_in(text, w[0], w[1], 1, 0))]


def _tandem_by_shifts(runs):
    """The plain definition: k = 2-8 runs equal to the k runs k places later."""
    return any(all(runs[i + t] == runs[i + k + t] for t in range(k))
               for k in range(2, 9) for i in range(len(runs) - 2 * k + 1))


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from("abc"), max_size=30))
def test_tandem_search_matches_its_definition(runs):
    from mtclean.checks import loops
    assert loops._has_tandem(runs) == _tandem_by_shifts(runs)


# REP101 returns early when the text has no sentence boundary (see loops._SPLIT_POINT).
SENT_PIECES = st.sampled_from([
    "Prices rose", "prices rose", "PRICES ROSE", "again in May", ".", "!", "?", "…", "。", "！",
    "？", "”", "»", ")", "'", "\"", " ", " ", "\n", "\n\n", "\t", "\u3000", "\u00a0", "\u2029",
    "U.S.", "Mr.", "1.5", "The", "中国", "“"])


@settings(max_examples=1500, deadline=None)
@given(st.lists(SENT_PIECES, max_size=30).map("".join))
def test_repeated_sentence_fast_path_is_exact(text):
    from mtclean.checks import loops
    if loops._SPLIT_POINT.search(text) is None:
        doc = Document(text)
        groups = list(loops._by_paragraph(doc.sentences, doc.paragraphs))
        assert all(len(group) == 1 for group in groups)
        for group in groups:
            assert not list(loops._repeats(text, group, 1, 2))


# `_SPLIT_POINT` as four plain alternatives: what its one-class-first form must match.
_SPLIT_POINT_PLAIN = re.compile(
    r"[.!?…。！？](?:(?<=[。！？])|(?:[\"'”’»)\]\u300d\u300f]|\[\d{1,3}\])*+\s"
    r"|(?<=[^\W_A-Z]{2}[.!?])(?=[^\W\d_a-z]))|[•▪◦‣●■⁃]|\)\s|\n[ \t\u3000]*[-*]")


@settings(max_examples=3000, deadline=None)
@given(st.one_of(st.lists(SENT_PIECES, max_size=30).map("".join),
                 st.text(alphabet=list("aAz1 \n\t.!?…。！？•▪◦‣●■⁃)(][\"'”’»0-*_\u3000\u300d\u300f"),
                         max_size=16)))
def test_split_point_matches_its_plain_form(text):
    from mtclean.checks import loops
    got, want = loops._SPLIT_POINT.search(text), _SPLIT_POINT_PLAIN.search(text)
    assert (got and got.span()) == (want and want.span())


def test_repeated_phrase_prefilter_is_linear_on_common_pairs():
    """A pair frequent in a long text ("of the" every eight words) must not cost quadratic time."""
    from mtclean.checks import loops
    text = " ".join(f"of the w{i} x{i} y{i} z{i} u{i} v{i}" for i in range(20000))
    assert len(text) < loops._CHUNK
    start = time.perf_counter()
    assert not loops._may_loop(Document(text))
    assert time.perf_counter() - start < 5


# Sentences and the marks that make the splitter hesitate (abbreviations, initials,
# acronyms, times, list markers, quotes), joined into paragraphs whose blocks repeat,
# exactly or with a small edit: what `_may_repeat` must never wave through.
_SENTENCES = [
    "The U.S. Senate passed the bill on Monday.", "Mr. Li said the plan would work.",
    "Prices rose again in May.", "It was 4 a.m. when the talks ended.", "J. K. Rowling spoke.",
    "“We will go,” he said.", "Exports fell 3.5 percent in the first quarter!",
    "Is the port open?", "1. Register online", "a) pick a date", "- bring your passport",
    "Acme Co. The firm grew.", "the rest followed.", "中国 exports rose.", "See p. 4 of the report."]
_GLUE = [" ", "  ", "\n", "\n\n", " \u3000", "", "\t"]


@st.composite
def _paragraphs_with_copies(draw):
    parts = []
    for _ in range(draw(st.integers(1, 5))):
        block = draw(st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=3))
        text = " ".join(block)
        parts.append(text)
        if draw(st.booleans()):  # a copy right after it, maybe slightly changed
            copy = text
            edit = draw(st.sampled_from(["", "case", "space", "letter", "glue"]))
            if edit == "case":
                copy = copy.upper()
            elif edit == "space":
                copy = copy.replace(" ", "  ", 1)
            elif edit == "letter" and len(copy) > 3:
                k = draw(st.integers(0, len(copy) - 1))
                copy = copy[:k] + "x" + copy[k + 1:]
            elif edit == "glue":
                copy = copy.replace(" ", "", 1)
            parts.append(copy)
    return "".join(p + draw(st.sampled_from(_GLUE)) for p in parts)


@settings(max_examples=3000, deadline=None)
@given(_paragraphs_with_copies(), st.integers(1, 5), st.integers(0, 3))
def test_may_repeat_never_hides_a_repeat(text, min_words, max_edits):
    """Every sentence is a run of the pieces `_may_repeat` tests, and a text it passes
    over has no finding from `_repeats` in any paragraph."""
    from mtclean import segment
    from mtclean.checks import loops
    doc = Document(text)
    pieces = segment.split_sentences(text, doc.paragraphs, every_stop=True)
    starts, ends = {a for a, _ in pieces}, {b for _, b in pieces}
    assert all(a in starts and b in ends for a, b in doc.sentences)
    if not loops._may_repeat(text, min_words, max_edits):
        for sents in loops._by_paragraph(doc.sentences, doc.paragraphs):
            assert not list(loops._repeats(text, sents, min_words, max_edits)), sents


def test_may_repeat_passes_over_plain_prose_and_keeps_copies():
    from mtclean.checks import loops
    plain = "The U.S. Senate passed the bill on Monday. Mr. Li said the plan would work."
    assert not loops._may_repeat(plain, 4, 2)
    for copy in ("Prices rose again in May. Prices rose again in May.",
                 # one letter changed, in a sentence long enough for REP101 to allow it
                 "Exports of steel rose again in May, the ministry said. "
                 "Exports of steel rose again in May, the ministry saud.",
                 "Mr. Li said the plan would work. Mr. Li said the plan would work."):
        assert loops._may_repeat(copy, 4, 2), copy
        assert list(loops._repeats(copy, list(Document(copy).sentences), 4, 2)), copy
