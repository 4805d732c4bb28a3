"""The entity gazetteer (ENT001): case table, data checks, bad input and speed."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casetable import load_table, table_tests
from mtclean.api import build_engine
from mtclean.lexicon.gazetteer import Entry, Gazetteer, gazetteer_files, load_gazetteer
from mtclean.document import CheckContext, Document
from mtclean.errors import RuleFileError
from mtclean.rules import BUILTIN_RULES_DIR as RULES

TABLE = load_table("entities.yaml")
ENGINE = build_engine(select=["entity-translation"])


test_flag, test_pass = table_tests(TABLE, ENGINE)


def test_every_gazetteer_file_loads_and_has_enough_entries():
    files = gazetteer_files([RULES / "entities"])
    entries = [e for f in files for e in load_gazetteer(f)]
    canonical = {e.canonical for e in entries}
    assert len(canonical) >= 60
    for e in entries:
        assert e.safety in ("safe", "unsafe")
        assert e.match != e.canonical


def test_bad_gazetteer_entry_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nentities:\n  - {match: Foo Bar}\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as err:
        load_gazetteer(bad)
    assert f"{bad}:3" in str(err.value) and "canonical" in str(err.value)


def test_bad_gazetteer_yaml_is_one_line_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nentities: [\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as err:
        load_gazetteer(bad)
    assert "not valid YAML" in str(err.value) and "\n" not in str(err.value)


def test_thousands_of_entries_stay_fast():
    entries = [Entry(f"Literal Agency Number {i}", f"Agency {i}", "", "safe", "", False, "-")
               for i in range(5000)]
    gaz = Gazetteer(entries)
    text = ("The Literal Agency Number 4321 said so. " + "Nothing to see here. " * 20) * 2000
    start = time.perf_counter()
    hits = list(gaz.find(text))
    assert len(hits) == 2000 and hits[0][2].canonical == "Agency 4321"
    assert time.perf_counter() - start < 5


def test_user_gazetteer_from_check_context(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text("version: 1\nentities:\n  - {match: Blue Sky Daily, canonical: Lantian Ribao, safety: safe}\n",
                     encoding="utf-8")
    doc = Document("The Blue Sky Daily said so.", context=CheckContext(entities=[extra]))
    found = ENGINE.check(doc)
    assert [(f.text, f.fix.replacement) for f in found] == [("Blue Sky Daily", "Lantian Ribao")]


def _all_entries():
    return [e for f in gazetteer_files([RULES / "entities"]) for e in load_gazetteer(f)]


def test_every_literal_form_is_found_in_a_sentence():
    missed = []
    for e in _all_entries():
        text = f"Yesterday {e.match} reported the news."
        found = [f for f in ENGINE.check(Document(text)) if f.rule == "ENT001"]
        if not any(f.fix and f.fix.replacement == e.canonical for f in found):
            missed.append(e.match)
    assert not missed


def test_canonical_names_are_never_flagged():
    """Fixing must converge: no canonical name may itself contain a listed literal form."""
    flagged = []
    for e in _all_entries():
        text = f"Yesterday {e.canonical} reported the news."
        if ENGINE.check(Document(text)):
            flagged.append(e.canonical)
    assert not flagged


def test_gazetteer_follows_each_documents_settings(tmp_path):
    """The per-settings cache must not leak one document's extra gazetteer into another."""
    extra = tmp_path / "extra.yaml"
    extra.write_text("version: 1\nentities:\n  - {match: Purple Heron Herald, canonical: Zixu Bao}\n",
                     encoding="utf-8")
    text = "The Purple Heron Herald ran the story."
    with_extra = Document(text, context=CheckContext(entities=[extra]))
    assert [f.text for f in ENGINE.check(with_extra)] == ["Purple Heron Herald"]
    assert ENGINE.check(Document(text)) == []
    assert ENGINE.check(Document(text, context=CheckContext(entities=[str(extra)]))) != []


def test_gazetteer_setting_that_is_no_path_fails_at_once():
    with pytest.raises(TypeError, match="os.PathLike object, not list"):
        CheckContext(entities=[["nested"]])


_GAZ = Gazetteer([e for f in gazetteer_files([RULES / "entities"]) for e in load_gazetteer(f)])
_PIECES = sorted(_GAZ.entries)[::7] + ["the", "The", "said", "Xinhua", "China", "New", "Net"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PIECES),
                          st.sampled_from([" ", ", ", "-", "'", "\u0301", "é", "s", ""])),
                min_size=1, max_size=12))
def test_screen_never_hides_a_form(parts):
    """`may_occur` is a necessary condition: whenever `find` finds a form, it says yes."""
    text = "".join(w + sep for w, sep in parts)
    if list(_GAZ.find(text)):
        assert _GAZ.may_occur(text)


def test_gazetteer_follows_a_rules_settings_changed_in_place(tmp_path):
    """The last-rule memo compares the settings, so an edited option is not missed."""
    import dataclasses

    from mtclean.engine import Engine

    extra = tmp_path / "extra.yaml"
    extra.write_text("version: 1\nentities:\n  - {match: Purple Heron Herald, canonical: Zixu Bao}\n",
                     encoding="utf-8")
    (ent,) = [r for r in ENGINE.rules if r.id == "ENT001"]
    rule = dataclasses.replace(ent, options={"gazetteers": ["entities"]})
    engine = Engine([rule])
    text = "The Purple Heron Herald ran the story."
    assert engine.check(Document(text)) == []
    rule.options["gazetteers"].append(str(extra))
    assert [f.text for f in engine.check(Document(text))] == ["Purple Heron Herald"]
