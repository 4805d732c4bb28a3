"""Misses and false positives on plain copy (issue 13): the case table misses.yaml run
with every rule, and the batch score of untranslated records."""

from __future__ import annotations

import difflib
import json

import pytest

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from casetable import load_table, table_tests
from mtclean.api import build_engine
from mtclean.batch import score
from mtclean.cli import main
from mtclean.document import Document

TABLE = load_table("misses.yaml")
ENGINE = build_engine()

test_flag, test_pass = table_tests(TABLE, ENGINE)


def test_one_finding_per_untranslated_sentence():
    """CJK004 stays out of a sentence CJK005 reports: one problem, one finding."""
    text = "Rain fell.\n\n北京今天下雨，气温下降了五度。"
    found = ENGINE.check(Document(text))
    assert [f.rule for f in found] == ["CJK005"]


def test_untranslated_share_caps_the_score():
    assert score.quality(20, ["error"], [], untranslated=1.0) == 0.0
    assert score.quality(200, ["error"], [], untranslated=0.5) == 50.0
    assert score.quality(200, [], [], untranslated=0.0) == 100.0


def test_batch_drops_an_all_chinese_record(tmp_path):
    rows = [{"id": 0, "text": "The port handled more cargo in May than a year earlier."},
            {"id": 1, "text": "市场监管总局发布了新的食品安全标准，将于明年实施。"},
            {"id": 2, "text": "Trade rose in May. 出口增长了百分之五。 Imports fell."}]
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    r = CliRunner().invoke(main, ["batch", str(src), "-o", str(out), "--drop-below", "60", "-q"])
    assert r.exit_code == 0, r.output
    kept = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    dropped = [json.loads(l) for l in (tmp_path / "out.dropped.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [k["id"] for k in kept] == [0]
    assert {d["id"]: d["mtclean"]["score"] for d in dropped}[1] == 0.0
    assert sorted(d["id"] for d in dropped) == [1, 2]


def test_fullwidth_digits_give_one_finding_each():
    text = "Output grew ５.２ percent in ２０２３ and the ＧＤＰ２ index rose."
    found = ENGINE.check(Document(text))
    spans = [(f.start, f.end) for f in found]
    assert len(spans) == len(set(spans)) == 3, [(f.rule, f.text) for f in found]
    assert sorted(f.rule for f in found) == ["CJK003", "NUM002", "NUM002"]


def test_doubled_quotes_are_one_finding_per_quotation():
    text = 'The chain runs ""two establishments"" and ""a third"" near the station.'
    found = ENGINE.check(Document(text))
    assert [f.rule for f in found] == ["QUO005", "QUO005"]


# `fix` applies what `check` reports, and what those edits start. A capital lowered
# (CAP001/CAP002, verdicts weighed on the whole document) lies in a sentence that holds a
# reported span: never elsewhere, where only other edits' side effects could cause it.
PIECES = ["The plan would Greatly boost exports.", "Officials said it would Greatly help farmers.",
          "Trade rose in May.", "the port reopened.", "Rain fell。", "Prices rose , traders said.",
          "The Plan Of The Year And The Best would would Greatly help.", "Talks ended.Officials left.",
          "He said \"we are ready.", "Growth was ３ percent.", "It was a a good year.", "Headline Here"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=6),
       st.lists(st.sampled_from([" ", "\n\n"]), min_size=6, max_size=6))
def test_fix_lowers_only_capitals_check_reports(parts, seps):
    text = "".join(p + s for p, s in zip(parts, seps)).rstrip()
    doc = Document(text)
    reported = [(f.start, f.end) for f in ENGINE.check(doc)
                if f.fix is not None and f.fix.safety != "display"]
    fixed, _, _ = ENGINE.fix(Document(text), unsafe=True)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, text, fixed, autojunk=False).get_opcodes():
        if tag == "replace" and text[i1:i2].lower() == fixed[j1:j2] != text[i1:i2]:
            lo, hi = doc.sentence_at(i1) or doc.paragraph_at(i1) or (i1, i2)
            assert any(lo <= b and a <= hi for a, b in reported), (text, fixed, text[i1:i2])


@pytest.mark.parametrize("text", [
    "The plan would Greatly boost exports. Officials said it would Greatly help farmers.",
    ("The plan would Greatly boost exports. The plan would Greatly boost exports.\n\n"
     "Officials said it would Greatly help farmers in the north"),
    ("The plan would Greatly boost exports.\n\nThe plan would Greatly boost exports. "
     "The plan would Greatly boost exports.\n\nIt would Greatly help farmers."),
])
def test_a_capital_used_twice_is_fixed_only_when_reported(text):
    """Two uses in different words make a name; copies of one sentence count once."""
    reported = {f.start for f in ENGINE.check(Document(text)) if f.rule == "CAP001"}
    fixed, edits, _ = ENGINE.fix(Document(text), unsafe=True)
    lowered = [e for e in edits if e.rule == "CAP001"]
    assert len(lowered) <= len(reported)
    if not reported:
        assert "greatly" not in fixed


def test_title_case_is_judged_the_same_before_and_after_a_lowercase_start_is_fixed():
    """A sentence end that a lowercase word follows ends the Title Case test's sentence
    too, so `check` sees the Title Case sentence that `fix` sees once SB003 has run."""
    text = ("The Plan Of The Year And The Best would Greatly boost exports. officials said "
            "it would Greatly help farmers in the north. Trade rose in May.")
    found = {(f.rule, f.start) for f in ENGINE.check(Document(text))}
    assert ("CAP002", text.index("Of The")) in found
    assert ("CAP001", text.rindex("Greatly")) in found


def test_place_names_weigh_population_against_the_word_lists():
    """Countries and cities of a million people are places; a town that shares its name
    with a common word (Temple, Texas) is not, so the word lists decide there."""
    from mtclean.lexicon.wordlists import known_place
    assert known_place("Bangkok") and known_place("Chad") and known_place("Nanjing")
    assert not known_place("Temple") and not known_place("Bangkok".lower())


def test_stray_closing_quote_is_one_finding():
    text = "Talks resumed on Monday. Another sign of the new line\", which aims at pressure."
    assert [f.rule for f in ENGINE.check(Document(text))] == ["QUO001"]


def test_carry_maps_changed_spans_into_the_new_text():
    from mtclean import fixes
    edits = [fixes.Edit(2, 4, ""), fixes.Edit(10, 10, "xyz")]
    # "ab__cdefgh|ij" -> "abcdefghxyzij": the deletion is at 2, the insertion at 8-11.
    assert fixes.carry(edits) == [(2, 2), (8, 11)]
    # A span changed in an earlier round moves with the edits before it.
    assert fixes.carry([fixes.Edit(0, 1, "AB")], [(5, 7)]) == [(0, 2), (6, 8)]


def test_carry_widens_an_edit_that_joins_or_splits_lines_to_its_whole_line():
    from mtclean import fixes
    old = "Flood Warning Issued\nin the north\nRoads closed."
    join = fixes.Edit(20, 21, " ")  # the first line break becomes a space
    new = fixes.apply(old, [join])
    assert new == "Flood Warning Issued in the north\nRoads closed."
    assert fixes.carry([join], [], old, new) == [(0, new.index("\n"))]
    split = fixes.Edit(33, 34, "\n\n")  # the second becomes a paragraph break
    after = fixes.apply(old, [split])
    # The lines on both sides of the new break: the next one now opens a paragraph.
    assert fixes.carry([split], [], old, after) == [(after.index("\n") + 1, len(after))]
    # An edit that empties a line (an editor's tag removed) makes a blank line: the
    # lines on both sides change role.
    tagged = "Work went on.\n[Editor: Li]\nRoads reopened."
    tag = fixes.Edit(14, 26, "")
    bare = fixes.apply(tagged, [tag])
    assert bare == "Work went on.\n\nRoads reopened."
    assert fixes.carry([tag], [], tagged, bare) == [(0, len(bare))]
    # An edit within a line stays as narrow as it was, with or without the texts.
    word = fixes.Edit(0, 5, "Storm")
    assert fixes.carry([word], [], old, fixes.apply(old, [word])) == [(0, 5)] == fixes.carry([word])


def test_batch_records_do_not_end_in_a_space(tmp_path):
    rows = [{"id": 0, "text": "Prices rose。"}, {"id": 1, "text": "Trade fell sharply in May. "},
            {"id": 2, "text": "Exports grew。 "}]
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    r = CliRunner().invoke(main, ["batch", str(src), "-o", str(out), "-q"])
    assert r.exit_code == 0, r.output
    texts = [json.loads(l)["text"] for l in out.read_text(encoding="utf-8").splitlines()]
    assert texts == ["Prices rose.", "Trade fell sharply in May.", "Exports grew."]
