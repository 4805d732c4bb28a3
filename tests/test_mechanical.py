"""The mechanical families (cjk-residue, spacing, quotes, repetition, boilerplate, encoding)
against their case table, including the must-not-flag list and documented weaknesses."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

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


# Plain-text fast paths (REP001, REP102) must never hide a match of the exact pattern.
PLAIN_ALPHABET = list("aAbBeEsSkKzZ09_ \t\n'’-.,;:!?\"()“”—‿\u200d\u2060")
PLAIN_ALPHABET += ["The", "THE"]


def test_general_punctuation_has_no_letters_digits_or_case():
    import regex
    for cp in range(0x2000, 0x2070):
        ch = chr(cp)
        assert not regex.match(r"[\p{L}\p{N}]", ch) and ch.lower() == ch, hex(cp)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PLAIN_ALPHABET), max_size=40).map("".join))
def test_repeated_word_prefilter_is_a_precondition(text):
    from mtclean.checks import repetition
    if not repetition._may_repeat(Document(text)):
        assert repetition._REPEAT.search(text) is None


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([c for c in PLAIN_ALPHABET if c not in "'’-"]), max_size=40)
       .map("".join))
def test_repeated_word_prefilter_without_apostrophes_or_hyphens(text):
    """The word-run path (no ' ’ or - in the text) is a precondition too."""
    from mtclean.checks import repetition
    if not repetition._may_repeat(Document(text)):
        assert repetition._REPEAT.search(text) is None


QUOTE_TEXTS = ["It was a “turning point\" and a \"new start” for “the town.“ Then”",
               "Officials called it a “historic step. He said, ”We are ready.\" Then “they "
               "left."]


@pytest.mark.parametrize("text", QUOTE_TEXTS)
def test_quote_rules_agree_alone_and_together(text):
    """QUO001/2/4 share one cached analysis: each must still report exactly its own part."""
    together = build_engine(select=["QUO001", "QUO002", "QUO004"]).check(Document(text))
    alone = [f for rule in ("QUO004", "QUO001", "QUO002")
             for f in build_engine(select=[rule]).check(Document(text))]
    key = lambda f: (f.rule, f.start, f.end, f.message)  # noqa: E731
    assert sorted(map(key, together)) == sorted(map(key, alone))
    assert {f.rule for f in together} == {"QUO001", "QUO002", "QUO004"}


# Pieces around quotation marks: every neighbour `_role` tells apart (spaces of both
# kinds, U+001F which str.isspace counts and regex's \s does not, brackets, dashes,
# commas, colons, apostrophes, letters, digits, line and paragraph breaks).
_AROUND = st.sampled_from([
    "word", "No", "5", ",", ":", ".", "!", " ", " ", " ", "\u00a0", "\u3000", "\x1f", "\t",
    "\n", "\n\n", "(", ")", "—", "-", "/", "‘", "’", "'", "é", "中"])
_MARK = st.sampled_from(["“", "”", '"'])


@st.composite
def _quotations(draw):
    """Text between pairs of marks: mostly what looks like quotations, each mark's
    neighbours drawn from `_AROUND`, so the marks' roles vary one at a time."""
    out = []
    for _ in range(draw(st.integers(0, 4))):
        out += draw(st.lists(_AROUND, max_size=3))
        out.append(draw(_MARK))
        out += draw(st.lists(_AROUND, max_size=3))
        out.append(draw(_MARK))
    out += draw(st.lists(_AROUND, max_size=3))
    return "".join(out)


@settings(max_examples=6000, deadline=None)
@given(_quotations())
@example("word“\x1fword”")  # “ before U+001F: a space to str.isspace, so it closes
@example("“No,”No")  # ” after a comma and before a letter opens
@example("a “b ”c")  # ... and after a space
@example('a "No,"No')  # " after a comma before a letter opens (two straight openers pair)
@example('x"y"')  # " after a letter closes
def test_well_paired_quotes_have_no_finding(text):
    """The one-regex test `_quote_findings` trusts: a text it passes gets nothing from
    the full pairing analysis, in any paragraph."""
    from mtclean.checks import quotes
    if quotes._well_paired(text):
        assert list(quotes._pair_quotes(Document(text))) == []


def test_quote_classes_match_what_role_reads():
    """`_SPACE` is exactly `str.isspace` (which `_role` asks), and the opening context
    is `_OPENER_BEFORE` with "," and ":"."""
    import re
    import sys

    from mtclean.checks import quotes
    space = re.compile(f"[{quotes._SPACE}]")
    chars = map(chr, range(sys.maxunicode + 1))
    assert [c for c in chars if bool(space.fullmatch(c)) != c.isspace()] == []
    opens = re.compile(f"[{quotes._OPENS_AFTER}]")
    assert {c for c in map(chr, range(0x3000)) if opens.fullmatch(c)} == (quotes._OPENER_BEFORE - {""}) | {",", ":"}


def test_well_paired_takes_the_common_quotations():
    from mtclean.checks import quotes
    for text in ('He said "yes" and left.', "“No,” she said.", 'Li said, "We will go."\n\n"Now," he added.',
                 "the “so-called” plan (“a test”)"):
        assert quotes._well_paired(text), text
    for text in ('He said "yes and left.', "a ”word“ here", 'x"y"', "“mixed\" marks"):
        assert not quotes._well_paired(text), text


_TERM_WORDS = ["green", "credit", "Green", "Effect", "post-90s", "U.S.", "plan", "the", "a", "x-ray", "2"]
_TERM_SEPARATORS = [" ", " ", "-", ", ", "'", ""]


@st.composite
def _terms_and_tail(draw):
    """A document quoting some terms, and a text after an unclosed mark that starts with
    one of them or with something close (the same words joined otherwise, a prefix)."""
    def phrase():
        words = draw(st.lists(st.sampled_from(_TERM_WORDS), min_size=1, max_size=4))
        seps = [draw(st.sampled_from(_TERM_SEPARATORS)) for _ in words[1:]]
        return words[0] + "".join(s + w for s, w in zip(seps, words[1:]))
    terms = draw(st.lists(st.builds(lambda: None).map(lambda _: phrase()), min_size=1, max_size=5))
    tail = draw(st.sampled_from(terms)) if draw(st.booleans()) else phrase()
    tail += draw(st.sampled_from([" scheme", "-ChinaNews", ".", ", and", "s", " 2", ""]))
    return terms, tail


@settings(max_examples=1500, deadline=None)
@given(_terms_and_tail())
def test_known_term_index_finds_what_a_scan_of_every_term_finds(case):
    """`known_term` looks terms up by their first two words; it must find exactly the
    term a comparison with every quoted term finds (the longest one the text starts
    with, as whole words)."""
    from mtclean.checks import quote_close

    terms, tail = case
    text = " ".join(f"“{t}” x." for t in terms) + " Then “" + tail + " ends here."
    start = text.rindex("“")
    limit = len(text) - len(" ends here.") + 1
    quoted = quote_close.quoted_terms(Document(text))
    every = [(t, a) for bucket in quoted.values() for t, a in bucket]
    best = None
    for term, at in every:
        end = start + 1 + len(term)
        if (at != start and end < limit and text.startswith(term, start + 1)
                and not text[end].isalnum() and (best is None or end > best)):
            best = end
    assert quote_close.known_term(text, start, limit, quoted) == best
