"""Suppressions: inline HTML comments (Markdown) and the `.mtcleanignore` sidecar."""

from __future__ import annotations

import json

import pytest

from conftest import rule_yaml
from mtclean import suppress
from mtclean.document import Document
from mtclean.engine import Engine
from mtclean.rules import load_file


@pytest.fixture
def rules(write):
    body = (rule_yaml("USR001", pattern="colour", replacement="color")
            + rule_yaml("USR002", pattern="utilise", replacement="use", category="grammar",
                        flag="We utilise it.", fixed="We use it.",
                        passing="We use it.").split("rules:\n", 1)[1])
    return write("usr.yaml", body)


@pytest.fixture
def engine(rules):
    return Engine(load_file(rules))


def _lines(engine, text, path="-"):
    doc = Document(text, path)
    return sorted((f.line, f.rule) for f in suppress.apply_all(doc, engine.check(doc)))


def test_no_comment_reports_everything(engine):
    assert _lines(engine, "colour\nutilise\n") == [(1, "USR001"), (2, "USR002")]


def test_trailing_ignore_covers_its_own_line_only(engine):
    text = "A colour. <!-- mtclean: ignore USR001 -->\nA colour.\n"
    assert _lines(engine, text) == [(2, "USR001")]


def test_ignore_alone_on_a_line_covers_the_next_line(engine):
    text = "<!-- mtclean: ignore USR001 -->\nA colour.\nA colour.\n"
    assert _lines(engine, text) == [(3, "USR001")]


def test_ignore_next_line(engine):
    text = "A colour. <!-- mtclean: ignore-next-line USR001 -->\nA colour.\nA colour.\n"
    assert _lines(engine, text) == [(1, "USR001"), (3, "USR001")]


def test_ignore_only_named_rules(engine):
    text = "colour utilise <!-- mtclean: ignore USR002 -->\n"
    assert _lines(engine, text) == [(1, "USR001")]


def test_ignore_without_ids_silences_all_rules(engine):
    text = "colour utilise <!-- mtclean: ignore -->\ncolour\n"
    assert _lines(engine, text) == [(2, "USR001")]


def test_ids_may_be_categories_or_prefixes(engine):
    assert _lines(engine, "colour utilise <!-- mtclean: ignore grammar -->\n") == [(1, "USR001")]
    assert _lines(engine, "colour utilise <!-- mtclean: ignore USR -->\n") == []


def test_several_ids_comma_or_space_separated(engine):
    assert _lines(engine, "colour utilise <!-- mtclean: ignore USR001, USR002 -->\n") == []
    assert _lines(engine, "colour utilise <!-- mtclean: ignore USR001 USR002 -->\n") == []


def test_disable_enable_region(engine):
    text = ("colour\n<!-- mtclean: disable USR001 -->\ncolour\nutilise\n"
            "<!-- mtclean: enable USR001 -->\ncolour\n")
    assert _lines(engine, text) == [(1, "USR001"), (4, "USR002"), (6, "USR001")]


def test_disable_without_enable_runs_to_the_end(engine):
    text = "colour\n<!-- mtclean: disable -->\ncolour\nutilise\n"
    assert _lines(engine, text) == [(1, "USR001")]


def test_ignore_file(engine):
    text = "colour\nutilise\n\n<!-- mtclean: ignore-file -->\n"
    assert _lines(engine, text) == []
    text = "<!-- mtclean: ignore-file USR002 -->\ncolour\nutilise\n"
    assert _lines(engine, text) == [(2, "USR001")]


def test_comment_is_case_insensitive_and_spacing_tolerant(engine):
    assert _lines(engine, "colour <!--mtclean:IGNORE USR001-->\n") == []


def test_unrelated_html_comment_does_nothing(engine):
    assert _lines(engine, "colour <!-- note: ignore USR001 -->\n") == [(1, "USR001")]


def test_findings_inside_the_comment_are_dropped(engine):
    text = "<!-- mtclean: ignore-next-line USR002 colour -->\nclean\n"
    assert _lines(engine, text) == []


def test_suppressed_findings_are_not_fixed(run_cli, rules, write):
    p = write("doc.md", "A colour. <!-- mtclean: ignore USR001 -->\nA colour.\n")
    res = run_cli("fix", "--rules", rules, "--select", "USR", p)
    assert res.exit_code == 0
    assert p.read_text() == "A colour. <!-- mtclean: ignore USR001 -->\nA color.\n"


# --- sidecar .mtcleanignore ----------------------------------------------------------

def _check_json(run_cli, rules, path):
    res = run_cli("check", "--rules", rules, "--select", "USR", "--output-format", "json", path)
    assert res.exit_code in (0, 1), res.stderr
    return sorted((f["line"], f["rule"]) for f in json.loads(res.stdout))


TEXT = "A colour here.\nWe utilise it.\nAnother colour.\n"


def test_sidecar_by_rule(run_cli, rules, write):
    p = write("news/story.txt", TEXT)
    write("news/.mtcleanignore", "story.txt USR001\n")
    assert _check_json(run_cli, rules, p) == [(2, "USR002")]


def test_sidecar_by_line(run_cli, rules, write):
    p = write("news/story.txt", TEXT)
    write("news/.mtcleanignore", "# reviewed by the desk\nstory.txt USR001 line 3\n")
    assert _check_json(run_cli, rules, p) == [(1, "USR001"), (2, "USR002")]


def test_sidecar_by_flagged_text(run_cli, rules, write):
    p = write("news/story.txt", TEXT)
    write("news/.mtcleanignore", 'story.txt USR002 "utilise"\n*.txt USR001 "color"\n')
    assert _check_json(run_cli, rules, p) == [(1, "USR001"), (3, "USR001")]


def test_sidecar_glob_and_category(run_cli, rules, write):
    p = write("news/story.txt", TEXT)
    q = write("news/other.md", TEXT)
    write("news/.mtcleanignore", "*.txt grammar\n")
    assert _check_json(run_cli, rules, p) == [(1, "USR001"), (3, "USR001")]
    assert _check_json(run_cli, rules, q) == [(1, "USR001"), (2, "USR002"), (3, "USR001")]


def test_sidecar_only_applies_in_its_directory(run_cli, rules, write):
    write("news/.mtcleanignore", "*.txt USR001\n")
    p = write("news/sub/story.txt", TEXT)
    assert _check_json(run_cli, rules, p) == [(1, "USR001"), (2, "USR002"), (3, "USR001")]


def test_sidecar_malformed_lines_are_skipped(run_cli, rules, write):
    p = write("news/story.txt", TEXT)
    write("news/.mtcleanignore", 'lonely\nstory.txt USR001 line x\nstory.txt "unclosed\n'
          "story.txt USR002\n")
    assert _check_json(run_cli, rules, p) == [(1, "USR001"), (3, "USR001")]


def test_sidecar_ignored_for_stdin(run_cli, rules, write):
    write(".mtcleanignore", "* USR001\n")
    res = run_cli("check", "--rules", rules, "--select", "USR", "--output-format", "json",
                  "-", input=TEXT)
    assert len(json.loads(res.stdout)) == 3


def test_read_sidecar_entries(tmp_path):
    side = tmp_path / ".mtcleanignore"
    side.write_text('a.txt CAP001 line 4\nb.txt QUO001 "the text"\n*.md SPC\n')
    entries = suppress.read_sidecar(side)
    assert [(e.glob, e.rule, e.line, e.text) for e in entries] == [
        ("a.txt", "CAP001", 4, None), ("b.txt", "QUO001", None, "the text"), ("*.md", "SPC", None, None)]


def test_sidecar_edited_during_a_run_takes_effect(tmp_path, monkeypatch):
    """The sidecar is cached for batch speed, but an edit is seen after the re-check delay."""
    from mtclean import suppress

    monkeypatch.setattr(suppress, "_RECHECK_SECONDS", 0.0)
    target = tmp_path / "story.txt"
    target.write_text("x\n", encoding="utf-8")
    assert suppress.sidecar_for(str(target)) == []
    (tmp_path / ".mtcleanignore").write_text("story.txt CAP001\n", encoding="utf-8")
    assert [e.rule for e in suppress.sidecar_for(str(target))] == ["CAP001"]
    (tmp_path / ".mtcleanignore").unlink()
    assert suppress.sidecar_for(str(target)) == []
