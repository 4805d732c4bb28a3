"""Teaching mtclean (ignore always, this spelling is right, disable a rule): after the
teaching is written, checking again no longer shows the finding, and nothing is clobbered."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtclean import config as config_mod
from mtclean import fixes, suppress
from mtclean.api import build_engine
from mtclean.document import CheckContext, Document
from mtclean.editing import teach

NAMES = ("Foreign Minister Arvid Kostelnik met the press on Friday.\n\n"
         "Kostelnik said talks would resume next month.\n\n"
         "Kostelnick added that a deal could come this year.\n")


def findings(path: Path, text: str | None = None):
    """Check a file the way the command line does: its config, lexicons and sidecar."""
    teach.forget_cached()
    text = path.read_text(encoding="utf-8") if text is None else text
    cfg = config_mod.for_path(str(path))
    engine = build_engine(tuple(cfg.select), tuple(cfg.ignore), tuple(map(str, cfg.extend_rules)))
    doc = Document(text, str(path), CheckContext(names=cfg.names))
    return suppress.apply_all(doc, engine.check(doc))


def one(found, rule, text=None):
    hits = [f for f in found if f.rule == rule and (text is None or f.text == text)]
    assert hits, f"no {rule} finding in {found}"
    return hits[0]


def apply(path: Path, t: teach.Teaching) -> str:
    """Apply a teaching's document edits to the file and write its other files."""
    text = path.read_text(encoding="utf-8")
    if t.edits:
        text = fixes.apply(text, list(t.edits))
        path.write_text(text, encoding="utf-8")
    teach.write_files(t)
    return text


def test_ignore_always_plain_text_writes_a_sidecar_keyed_by_text(tmp_path):
    p = tmp_path / "report.txt"
    p.write_text("Trade grew , officials said.\n\nPrices rose , traders said.\n", encoding="utf-8")
    f = one(findings(p), "SPC002")
    t = teach.ignore_always(p.read_text(), str(p), f)
    assert not t.edits
    apply(p, t)
    side = (tmp_path / ".mtcleanignore").read_text()
    assert 'report.txt  SPC002  " "' in side
    assert [x.rule for x in findings(p)] == []  # both spaces are the same text
    # keyed by text, not offsets: an edit above keeps it silenced
    assert [x.rule for x in findings(p, "New first line.\n\n" + p.read_text())] == []


def test_sidecar_entry_is_appended_not_clobbered_and_not_repeated(tmp_path):
    p = tmp_path / "a [draft].txt"
    p.write_text("Trade grew , officials said.\n", encoding="utf-8")
    side = tmp_path / ".mtcleanignore"
    side.write_text("# ours\nother.txt  CAP001  line 3", encoding="utf-8")
    f = one(findings(p), "SPC002")
    apply(p, teach.ignore_always(p.read_text(), str(p), f))
    lines = side.read_text().splitlines()
    assert lines[:2] == ["# ours", "other.txt  CAP001  line 3"]
    assert lines[2] == "'a [[]draft].txt'  SPC002  \" \""
    assert findings(p) == []
    again = teach.ignore_always(p.read_text(), str(p), f)
    assert again.files == ()


def test_write_refuses_when_the_file_changed_meanwhile(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("Trade grew , officials said.\n", encoding="utf-8")
    t = teach.ignore_always(p.read_text(), str(p), one(findings(p), "SPC002"))
    (tmp_path / ".mtcleanignore").write_text("r.txt  CAP001\n", encoding="utf-8")
    with pytest.raises(teach.TeachError, match="changed on disk"):
        teach.write_files(t)
    assert (tmp_path / ".mtcleanignore").read_text() == "r.txt  CAP001\n"


def test_ignore_always_markdown_adds_an_inline_comment_on_the_line(tmp_path):
    p = tmp_path / "story.md"
    p.write_text("# Title\r\n\r\nPrices rose , traders said.\r\nNext line , too.\r\n", encoding="utf-8")
    text = p.read_bytes().decode()
    f = one(findings(p, text), "SPC002", " ")
    t = teach.ignore_always(text, str(p), f)
    assert not t.files
    (e,) = t.edits
    text = fixes.apply(text, [e])
    assert "traders said. <!-- mtclean: ignore SPC002 -->\r\nNext" in text
    assert [(x.rule, x.line) for x in findings(p, text)] == [("SPC002", 4)]


def test_markdown_ignore_extends_an_existing_comment(tmp_path):
    p = tmp_path / "s.md"
    text = "Prices rose , said  the  traders. <!-- mtclean: ignore SPC001 -->\n"
    f = one(findings(p, text), "SPC002")
    (e,) = teach.ignore_always(text, str(p), f).edits
    new = fixes.apply(text, [e])
    assert new == "Prices rose , said  the  traders. <!-- mtclean: ignore SPC001,SPC002 -->\n"
    assert findings(p, new) == []


def test_plain_text_ignore_is_not_offered_for_a_multiline_span(tmp_path):
    p = tmp_path / "x.txt"
    f = one(findings(p, "Prices rose , traders said.\n"), "SPC002")
    f.text = "a\nb"
    assert teach.ignore_always("", str(p), f) is None


def test_disable_rule_plain_text_and_markdown(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text("Prices rose , traders said.\n\nCosts fell , buyers said.\n", encoding="utf-8")
    apply(p, teach.disable_rule(p.read_text(), str(p), one(findings(p), "SPC002")))
    assert (tmp_path / ".mtcleanignore").read_text().splitlines()[-1] == "x.txt  SPC002"
    assert findings(p) == []

    m = tmp_path / "y.md"
    m.write_text("Prices rose , traders said.\n\nCosts  fell , buyers said.", encoding="utf-8")
    apply(m, teach.disable_rule(m.read_text(), str(m), one(findings(m), "SPC002")))
    assert m.read_text().endswith("said.\n\n<!-- mtclean: ignore-file SPC002 -->\n")
    assert [x.rule for x in findings(m)] == ["SPC001"]
    apply(m, teach.disable_rule(m.read_text(), str(m), one(findings(m), "SPC001")))
    assert m.read_text().endswith("<!-- mtclean: ignore-file SPC002,SPC001 -->\n")
    assert findings(m) == []


def test_spelling_is_right_creates_and_registers_a_lexicon(tmp_path):
    p = tmp_path / "story.txt"
    p.write_text(NAMES, encoding="utf-8")
    f = one(findings(p), "NAME001", "Kostelnick")
    t = teach.spelling_is_right(str(p), f, root=tmp_path)
    assert {c.path.name for c in t.files} == {".mtclean.toml", "mtclean-names.yaml"}
    apply(p, t)
    assert (tmp_path / ".mtclean.toml").read_text() == 'names = ["mtclean-names.yaml"]\n'
    # the house spelling is now Kostelnick: the other spelling is the one flagged
    after = findings(p)
    assert not any(x.text == "Kostelnick" for x in after)
    assert {(x.rule, x.text, x.fix.replacement) for x in after if x.rule.startswith("NAME")} == {
        ("NAME002", "Kostelnik", "Kostelnick")}


def test_spelling_is_right_edits_an_existing_lexicon_keeping_comments(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.mtclean]\nnames = ["style/names.yaml"]\n', encoding="utf-8")
    lex = tmp_path / "style" / "names.yaml"
    lex.parent.mkdir()
    lex.write_text("version: 1\n# house names\nnames:\n  - canonical: Lind\n    variants: [Lindt]\n"
                   "distinct:\n  - [Shanxi, Shaanxi]\n", encoding="utf-8")
    p = tmp_path / "story.txt"
    p.write_text(NAMES, encoding="utf-8")
    apply(p, teach.spelling_is_right(str(p), one(findings(p), "NAME001"), root=tmp_path))
    body = lex.read_text()
    assert "# house names" in body and "canonical: Kostelnick" in body and "Lindt" in body
    assert "[project]" in (tmp_path / "pyproject.toml").read_text()
    assert not any(x.text == "Kostelnick" for x in findings(p))


def test_spelling_is_right_records_distinct_names_when_the_other_is_pinned(tmp_path):
    (tmp_path / ".mtclean.toml").write_text("# cfg\nnames = ['n.yaml']\n", encoding="utf-8")
    (tmp_path / "n.yaml").write_text("version: 1\nnames:\n  - canonical: Kostelnik\n",
                                     encoding="utf-8")
    p = tmp_path / "story.txt"
    p.write_text(NAMES, encoding="utf-8")
    f = one(findings(p), "NAME001", "Kostelnick")
    apply(p, teach.spelling_is_right(str(p), f, root=tmp_path))
    assert "distinct:\n  - [Kostelnick, Kostelnik]" in (tmp_path / "n.yaml").read_text()
    assert not [x for x in findings(p) if x.rule.startswith("NAME")]


def test_spelling_is_right_only_for_name_findings(tmp_path):
    p = tmp_path / "x.txt"
    f = one(findings(p, "Prices rose , traders said.\n"), "SPC002")
    assert teach.spelling_is_right(str(p), f) is None


@pytest.mark.parametrize("line, expected", [
    ("Prices rose , traders said.  ", "Prices rose , traders said. <!-- mtclean: ignore SPC002 -->  "),
    ("Prices rose , traders said.\\", "Prices rose , traders said. <!-- mtclean: ignore SPC002 -->\\"),
    ("Prices rose , traders said. ", "Prices rose , traders said. <!-- mtclean: ignore SPC002 -->"),
])
def test_markdown_ignore_keeps_a_hard_line_break(tmp_path, line, expected):
    p = tmp_path / "hb.md"
    text = line + "\nNext line.\n"
    f = one(findings(p, text), "SPC002")
    (e,) = teach.ignore_always(text, str(p), f).edits
    new = fixes.apply(text, [e])
    assert new == expected + "\nNext line.\n"
    assert not [x for x in findings(p, new) if x.rule == "SPC002"]


def test_spelling_is_right_follows_the_lexicons_own_indentation(tmp_path):
    (tmp_path / ".mtclean.toml").write_text('names = ["n.yaml"]\n', encoding="utf-8")
    lex = tmp_path / "n.yaml"
    lex.write_text("version: 1\nnames:\n- canonical: Lind\n  variants: [Lindt]\n", encoding="utf-8")
    p = tmp_path / "story.txt"
    p.write_text(NAMES, encoding="utf-8")
    apply(p, teach.spelling_is_right(str(p), one(findings(p), "NAME001")))
    assert lex.read_text() == ("version: 1\nnames:\n- canonical: Kostelnick\n  variants: [Kostelnik]\n"
                               "- canonical: Lind\n  variants: [Lindt]\n")
    assert not any(x.text == "Kostelnick" for x in findings(p))


@pytest.mark.parametrize("spelling, other", [("Yes", "Yess"), ("O'Brien", "O'Brian"),
                                             ("Zoë", "Zoe"), ("Null", "Nul")])
def test_lexicon_entries_are_quoted_as_yaml_needs(tmp_path, spelling, other):
    from mtclean.lexicon.name_lexicon import load_lexicons
    from mtclean.finding import Finding, Fix

    p = tmp_path / "x.txt"
    p.write_text("text\n", encoding="utf-8")
    f = Finding("NAME001", "name-consistency", "warning", "m", 0, len(spelling), spelling,
                Fix(other, "unsafe"), path=str(p))
    teach.write_files(teach.spelling_is_right(str(p), f, root=tmp_path))
    lex = load_lexicons([str(tmp_path / "mtclean-names.yaml")])
    assert lex.canonical_of(other) == spelling and lex.canonical_of(spelling) == spelling


def test_titles_name_blank_text():
    assert [teach.quoted(t) for t in (" ", "   ", "\t", "Kostelnik")] == [
        "a space", "3 spaces", "blank space", "“Kostelnik”"]
