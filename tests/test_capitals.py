"""capitalization checks (CAP001-CAP002): case table, known failures, the seed article,
and the cost on a large single-line input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from casetable import span_table_tests
from mtclean.api import build_engine
from mtclean.lexicon import wordlists
from mtclean.document import Document

CASES = Path(__file__).parent / "cases"
TABLE = yaml.safe_load((CASES / "capitals.yaml").read_text(encoding="utf-8"))
KNOWN = yaml.safe_load((CASES / "known_failures_names_caps.yaml").read_text(encoding="utf-8"))
ENGINE = build_engine(select=["capitalization"])
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_3f48af2f7b2155c0.txt"


def flagged(text, rule=None):
    found = ENGINE.check(Document(text))
    for f in found:
        assert f.text == text[f.start:f.end]
    return [f for f in found if rule is None or f.rule == rule]


test_flag, test_pass = span_table_tests(TABLE, ENGINE, lambda text, rule=None: flagged(text, rule))


def _known(kind):
    return [c for c in KNOWN[kind] if c["category"] == "capitalization"]


@pytest.mark.xfail(strict=True, reason="documented weakness (known_failures_names_caps.yaml)")
@pytest.mark.parametrize("case", _known("flag"), ids=[c["id"] for c in _known("flag")])
def test_known_misses(case):
    assert [f.text for f in flagged(case["text"])] == case["spans"]


@pytest.mark.xfail(strict=True, reason="documented weakness (known_failures_names_caps.yaml)")
@pytest.mark.parametrize("case", _known("pass"), ids=[c["id"] for c in _known("pass")])
def test_known_false_alarms(case):
    assert not flagged(case["text"])


def test_title_case_fix_keeps_institution_names():
    text = "Officials met. The City Health And Wellness Commission Said That Tests Were Done."
    (f,) = flagged(text, "CAP002")
    assert "City Health and Wellness Commission said that tests were done" in (
        text[:f.start] + f.fix.replacement + text[f.end:])


@pytest.mark.skipif(not SEED.exists(), reason="shared seed article not present")
def test_seed_article():
    """The seed article's spurious capitals, and nothing else, in both families."""
    text = SEED.read_text(encoding="utf-8")
    engine = build_engine(select=["capitalization", "name-consistency"])
    found = [(f.rule, f.text, f.fix.replacement) for f in engine.check(Document(text))]
    assert found == [("NAME001", "Pillipson", "Pilipson"), ("CAP001", "Close", "close"),
                     ("CAP001", "Give", "give")]


@pytest.mark.slow
def test_large_single_line_input_stays_linear():
    """A 1 MB one-line document dense with capitals (the slow case) takes seconds."""
    unit = ("the delegation from the Ministry of Commerce met Trade officials, and the most "
            "Close partners refused Give in. Talks Will Resume And The Sides Said That They "
            "Would Meet Again In Spring. ")
    text = unit * (1_000_000 // len(unit))
    start = time.perf_counter()
    found = ENGINE.check(Document(text))
    assert time.perf_counter() - start < 60
    assert found


# Words and text from a few letters, so that words overlap and touch each other often.
_PIECES = st.text(alphabet=list("aAbB'’- .é\u0301"), min_size=1, max_size=4)


def _occurrences(text, words, find_words):
    """word_occurrences with str.find used up to `find_words` words."""
    saved = wordlists._FIND_WORDS
    wordlists._FIND_WORDS = find_words
    try:
        return list(wordlists.word_occurrences(text, words).items())
    finally:
        wordlists._FIND_WORDS = saved


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join), st.lists(_PIECES, max_size=12))
def test_word_occurrences_find_path_matches_automaton(text, words):
    """The str.find path (a few words) finds what the Aho-Corasick path finds."""
    assert _occurrences(text, words, 1 << 30) == _occurrences(text, words, -1)


def test_capital_written_twice_is_evidence_of_a_name():
    """A common word capitalized twice in mid-sentence is left alone; written once, flagged."""
    once = "Residents said the most Close friends stayed home."
    twice = once + " Later the old Close friends came back."
    assert [f.text for f in flagged(once, "CAP001")] == ["Close"]
    assert flagged(twice, "CAP001") == []


def test_rare_word_needs_lowercase_use_elsewhere():
    """A name-like capital ("Will") is flagged only when the text also uses it in lowercase."""
    alone = "The board said its Will was clear to everyone present."
    both = alone + " Its will was also written down."
    assert flagged(alone, "CAP001") == []
    assert [f.text for f in flagged(both, "CAP001")] == ["Will"]


_CAP_PIECES = st.sampled_from(["a", "Ab", "x", "Close", "É", "é", "Z", "'", "’", "-", ",", "'s",
                               " ", " ", ".", "\u0301", "1", "\n", "q" * 20, "—", "’s", "\u200d",
                               " of ", "Yangtzeriverx", "Qqqqqqqqqqqqqqq", "Ab.", " X"])


@settings(max_examples=1500, deadline=None)
@given(st.lists(_CAP_PIECES, max_size=30).map("".join))
def test_candidates_skip_only_words_after_a_capitalized_word(text):
    """The candidate pattern drops a match only when `_previous_word` finds no word."""
    import regex
    from mtclean.checks.capitals import spurious as capitals

    loose = regex.compile(r"(?<=[\p{Ll}\p{M},] )\p{Lu}[\p{Ll}\p{M}]{3,}"
                          r"(?![\p{L}\p{M}\p{N}\-])(?!['’](?!s(?!\p{L}))\p{L})")
    kept = {m.span() for m in capitals._candidates(4).finditer(text)}
    for m in loose.finditer(text):
        if m.span() not in kept:
            assert capitals._previous_word(text, m.start())[0] == ""
    # In plain text the check reads a cheaper pattern: its extra words are rejected alike,
    # and what it leaves out, `_plain_context` rejects (a capitalized word follows).
    doc = Document(text)
    if doc.plain:
        read = {m.span(1) for m in capitals._candidate_matches(doc, 4) if len(m.group(1)) >= 4}
        assert all(capitals._previous_word(text, s)[0] == "" for s, _ in read - kept)
        for s, e in kept - read:
            assert not capitals._plain_context(text, text[s:e], s, e), (text, s)
        words = set(doc.view(capitals._candidate_words))
        assert all(text[s:e] in words for s, e in kept & read)


_TC_PIECES = st.sampled_from(["The", "And", "It", "Its", "Said", "Says", "Ab", "É", "x", "A",
                              " ", " ", ",", ".", "\u0301", "\n", "Of the"])


@settings(max_examples=500, deadline=None)
@given(st.lists(_TC_PIECES, max_size=30).map("".join))
def test_title_case_precondition_holds(text):
    """CAP002's trigger passes whenever the text holds two marks of Title Case."""
    from mtclean.checks.capitals import layout, title_case

    if len(layout.TC_MARK.findall(text)) >= 2:
        assert title_case._two_marks(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(_CAP_PIECES, max_size=30).map("".join), st.integers(0, 200))
def test_previous_word_fast_path_is_exact(text, start):
    from mtclean.checks.capitals import spurious as capitals

    start = min(start, len(text))
    p = start - 2
    comma = p >= 0 and text[p] == ","
    reference = capitals._scan_previous_word(text, p - 1 if comma else p, comma)
    assert capitals._previous_word(text, start) == reference
