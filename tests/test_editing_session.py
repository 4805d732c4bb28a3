"""The shared editing session: incremental re-check == full re-check, undo/redo, Save."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtclean import config as config_mod
from mtclean.document import Document
from mtclean.config import Overrides
from mtclean.editing.prepared import EngineCache
from mtclean.editing.session import SaveConflict, Session, candidates, finding_key
from mtclean.finding import Finding

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted((REPO / "samples").glob("*.txt"))

# Paragraphs of the project's samples plus a few written here, so that every family of
# check (names across paragraphs, headline capitals, repeated sentences) has material.
POOL = [p.strip() for f in SAMPLES for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
POOL += [
    "Harbour Board Approves New Ferry Terminal For The Old Port",
    "Minister Talvik Ormesson opened the terminal. Ormeson said the ferries would run hourly.",
    "The council met on Monday. The council met on Monday.",
    "Ormesson told reporters “the budget is tight\" and left   early .",
    "the  ferry company said it would hire 3 hundred staff（mostly local）。",
]
SNIPPETS = ["", " ", "\n", "\n\n", "the the ", "Ormeson", "Ormesson", ", ", ".", "\"", "“",
            "Kostelnick", "Kostelnik ", "The council met on Monday. ", "Reduce", "，", "  ",
            "（End）", "quickly"]


def _full(session: Session) -> list[dict]:
    """What a fresh session (a full check) finds in the session's current text."""
    p = session.prepared
    doc = Document(session.text, session.path, p.context)
    raw = sorted([*p.local.check(doc), *p.whole.check(doc)], key=Finding.sort_key)
    return [f.as_dict() for f in p.keep(doc, raw)]


def _one_engine(session: Session) -> list[dict]:
    """The same text through one unsplit engine, as `mtclean check` runs it."""
    from mtclean import suppress
    from mtclean.engine import Engine
    p = session.prepared
    doc = Document(session.text, session.path, p.context)
    return [f.as_dict() for f in suppress.apply_all(doc, Engine(p.rules).check(doc))]


@pytest.fixture(scope="module")
def engines():
    return EngineCache(Overrides())


@st.composite
def edits(draw, text_len):
    start = draw(st.integers(0, text_len))
    end = draw(st.integers(start, min(text_len, start + 40)))
    return start, end, draw(st.sampled_from(SNIPPETS))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                    HealthCheck.function_scoped_fixture])
@given(paras=st.lists(st.sampled_from(POOL), min_size=1, max_size=7), data=st.data())
def test_incremental_equals_full(engines, tmp_path, paras, data):
    path = tmp_path / "article.txt"
    text = "\n\n".join(paras) + "\n"
    path.write_text(text, encoding="utf-8")
    s = Session.open(str(path), engines)
    assert [f.as_dict() for f in s.findings] == _one_engine(s)
    for _ in range(data.draw(st.integers(1, 4))):
        start, end, new = data.draw(edits(len(s.text)))
        s.apply_edit(start, end, new)
        assert [f.as_dict() for f in s.findings] == _full(s), (start, end, new)
    assert [f.as_dict() for f in s.findings] == _one_engine(s)
    for f in s.findings:
        assert s.text[f.start:f.end] == f.text
    while s.can_undo:  # undo is an edit too: still incremental == full, back to the start
        s.undo()
        assert [f.as_dict() for f in s.findings] == _full(s)
    assert s.text == text and not s.dirty


def test_undo_redo_restore_text_and_findings(engines, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("The trade fair opened in the the northern city.\n", encoding="utf-8")
    s = Session.open(str(path), engines)
    rep = next(f for f in s.findings if f.rule == "REP001")
    before = [f.as_dict() for f in s.findings]
    s.apply_edit(rep.start, rep.end, rep.fix.replacement)
    assert "the the" not in s.text and s.dirty
    assert all(f.rule != "REP001" for f in s.findings)
    s.undo()
    assert s.text == path.read_text(encoding="utf-8") and not s.dirty
    assert [f.as_dict() for f in s.findings] == before
    s.redo()
    assert "the the" not in s.text
    assert s.undo() is not None and s.undo() is None  # nothing more to undo


def test_dismiss_moves_with_edits_and_undoes(engines, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Prices rose , traders said.\n\nShares fell , analysts said.\n", encoding="utf-8")
    s = Session.open(str(path), engines)
    first, second = [f for f in s.findings if f.rule == "SPC002"]
    s.dismiss(second)
    assert [f.start for f in s.findings if f.rule == "SPC002"] == [first.start]
    s.apply_edit(0, 0, "Wednesday: ")  # text before it moves the dismissed finding along
    assert [f.rule for f in s.findings].count("SPC002") == 1
    s.undo()
    s.undo()  # the dismissal itself
    assert [f.rule for f in s.findings].count("SPC002") == 2


def test_save_writes_atomically_and_refuses_a_changed_file(engines, tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbfOfficials said , on Monday.\r\n")
    s = Session.open(str(path), engines)
    f = next(f for f in s.findings if f.rule == "SPC002")
    s.apply_edit(f.start, f.end, "")
    assert path.read_bytes() == b"\xef\xbb\xbfOfficials said , on Monday.\r\n"  # nothing yet
    assert s.save()
    assert path.read_bytes() == b"\xef\xbb\xbfOfficials said, on Monday.\r\n"  # BOM, CRLF kept
    assert not s.save()  # nothing pending
    s.apply_edit(0, 0, "Late: ")
    path.write_text("someone else's version\n", encoding="utf-8")
    with pytest.raises(SaveConflict, match="changed on disk"):
        s.save()
    assert path.read_text(encoding="utf-8") == "someone else's version\n"
    s.reload()
    assert s.text == "someone else's version\n" and not s.dirty


def test_config_change_rebuilds_engine(tmp_path):
    cache = EngineCache(Overrides())
    path = tmp_path / "a.txt"
    path.write_text("Prices rose , traders said.\n", encoding="utf-8")
    s = Session.open(str(path), cache)
    assert any(f.rule == "SPC002" for f in s.findings)
    first = s.prepared
    assert cache.get(str(path)) is first  # kept while nothing changes
    (tmp_path / ".mtclean.toml").write_text('ignore = ["SPC002"]\n', encoding="utf-8")
    s.recheck()
    assert s.prepared is not first
    assert not any(f.rule == "SPC002" for f in s.findings)
    config_mod.discover.cache_clear()


def test_name_candidates_offer_the_other_spelling(engines, tmp_path):
    path = tmp_path / "n.txt"
    path.write_text((REPO / "samples" / "names-and-capitals.txt").read_text(encoding="utf-8"),
                    encoding="utf-8")
    s = Session.open(str(path), engines)
    name = next(f for f in s.findings if f.category == "name-consistency")
    options = candidates(name, s.findings)
    assert options[0] == name.fix.replacement and len(options) >= 1
    assert s.find(finding_key(name)) is name


def test_files_under_one_config_share_its_engines(tmp_path):
    cache = EngineCache(Overrides())
    (tmp_path / "sub").mkdir()
    a, b = tmp_path / "a.txt", tmp_path / "sub" / "b.txt"
    for p in (a, b):
        p.write_text("Prices rose , traders said.\n", encoding="utf-8")
    pa, pb = cache.get(str(a)), cache.get(str(b))
    assert pa.local is pb.local and pa.whole is pb.whole  # built once
    (tmp_path / "sub" / ".mtclean.toml").write_text('ignore = ["SPC"]\n', encoding="utf-8")
    pb2 = cache.get(str(b))
    assert pb2.local is not pa.local and cache.get(str(a)) is pa  # only b's config changed
    assert not any(r.id.startswith("SPC") for r in pb2.rules)
    config_mod.discover.cache_clear()


# Segment pairs written for this test: a garbled number, a name spelled two ways, a dropped
# number, a question turned into a statement, an untranslated segment.
PAIRS = [
    ("港口去年吞吐集装箱1235万标箱。", "The port handled 12.53 million containers last year."),
    ("张继科周日在上海夺冠。", "Zhang Jike won the title in Shanghai on Sunday."),
    ("张继科说：“这是我最好的一场比赛。”", "Zhang Jiko said it was his best match."),
    ("市政府拨款3.5亿元用于修路。", "The city government set aside 350 million yuan for roads."),
    ("工厂雇用了三千五百名工人。", "The factory employs workers."),
    ("球迷们还会来吗？", "The fans will come back."),
    ("地铁新线明年开通。", "地铁新线明年开通。"),
]
SOURCE_SNIPPETS = ["", " ", "\n", "Zhang Jike", "Zhang Jiko", "12.35 million", "3,500 ", "?",
                   "\"", "the the ", "Shanghai"]


def _full_with_source(session: Session) -> list[dict]:
    """A full check of the session's text against its source, as `mtclean check --source`
    runs it: one unsplit engine, suppressions, then what the source overrules."""
    from mtclean import suppress
    from mtclean.engine import Engine
    from mtclean.source.align import attach
    from mtclean.source.keep import source_keep
    p = session.prepared
    doc = Document(session.text, session.path, attach(p.context, session.alignment))
    return [f.as_dict() for f in source_keep(suppress.apply_all)(doc, Engine(p.rules).check(doc))]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.sampled_from(PAIRS), min_size=1, max_size=6), data=st.data())
def test_with_a_source_the_recheck_equals_a_full_check(engines, tmp_path, rows, data):
    path, source = tmp_path / "article.txt", tmp_path / "article.zh"
    path.write_text("\n".join(t for _, t in rows) + "\n", encoding="utf-8")
    source.write_text("\n".join(s for s, _ in rows) + "\n", encoding="utf-8")
    s = Session.open(str(path), engines, source_path=str(source))
    assert [f.as_dict() for f in s.findings] == _full_with_source(s)
    for _ in range(data.draw(st.integers(1, 4))):
        start = data.draw(st.integers(0, len(s.text)))
        end = data.draw(st.integers(start, min(len(s.text), start + 30)))
        s.apply_edit(start, end, data.draw(st.sampled_from(SOURCE_SNIPPETS)))
        assert [f.as_dict() for f in s.findings] == _full_with_source(s)
    while s.can_undo:
        s.undo()
        assert [f.as_dict() for f in s.findings] == _full_with_source(s)


def test_with_a_source_the_session_reports_source_findings(engines, tmp_path):
    path, source = tmp_path / "article.txt", tmp_path / "article.zh"
    path.write_text("\n".join(t for _, t in PAIRS[:3]) + "\n", encoding="utf-8")
    source.write_text("\n".join(s for s, _ in PAIRS[:3]) + "\n", encoding="utf-8")
    s = Session.open(str(path), engines, source_path=str(source))
    rules = {f.rule: f for f in s.findings}
    assert rules["SRC002"].text == "12.53 million" and rules["SRC020"].text == "Zhang Jiko"
    f = rules["SRC002"]
    s.apply_edit(f.start, f.end, "12.35 million")
    assert "SRC002" not in {f.rule for f in s.findings}
    plain = Session.open(str(path), engines)  # without the source: no source-aware finding
    assert not [f for f in plain.findings if f.rule.startswith("SRC")]
