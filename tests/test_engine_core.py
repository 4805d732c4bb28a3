"""The engine's core: prepared matchers live with their rule, edited rule files are taken up,
one fix loop for one text and for a document's records, one selector matcher."""

from __future__ import annotations

import dataclasses
import gc
import os
import subprocess
import sys

import pytest

from mtclean import check_text, fix_text
from mtclean.api import build_engine
from mtclean.document import Document
from mtclean.engine import Engine
from mtclean.finding import Finding
from mtclean.rules import parse_rule
from mtclean.selectors import SelectorError

from conftest import REPO_ROOT as REPO, rule_yaml


def _phrase_rule(word: str):
    return parse_rule({"id": "TST001", "name": "word", "category": "style", "message": "word",
                       "kind": "phrases", "phrases": [{"match": word, "replacement": word.upper()}],
                       "fix": {"safety": "safe"}}, "<test>")


def test_a_new_rule_never_gets_a_freed_rules_matcher():
    # Old engines cached matchers by id(rule): a rule allocated where a freed one lived
    # was run with the freed rule's automaton ("beta" flagged "alpha").
    words = [f"word{i:03d}x" for i in range(60)]
    for i, word in enumerate(words):
        rule = _phrase_rule(word)
        other = words[i - 1]
        found = Engine([rule]).check(Document(f"Here {other} and {word} stand."))
        assert [f.text for f in found] == [word]
        del rule, found
        gc.collect()


def test_an_edited_rule_file_is_taken_up_by_the_next_check(tmp_path):
    rules = tmp_path / "house.yaml"
    rules.write_text(rule_yaml(pattern="colour", replacement="color"), encoding="utf-8")
    assert [f.text for f in check_text("The colour of flavour.", extra_rules=[rules])
            if f.rule == "USR001"] == ["colour"]
    before = rules.stat()
    rules.write_text(rule_yaml(pattern="flavour", replacement="flavor", flag="The flavour.",
                               fixed="The flavor.", passing="The flavor."), encoding="utf-8")
    os.utime(rules, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))
    assert [f.text for f in check_text("The colour of flavour.", extra_rules=[rules])
            if f.rule == "USR001"] == ["flavour"]


def test_a_new_file_in_a_rules_directory_is_taken_up(tmp_path):
    (tmp_path / "a.yaml").write_text(rule_yaml(), encoding="utf-8")
    assert not any(f.rule == "USR002" for f in check_text("The tyre.", extra_rules=[tmp_path]))
    (tmp_path / "b.yaml").write_text(rule_yaml(rid="USR002", pattern="tyre", replacement="tire",
                                               flag="A tyre.", fixed="A tire.", passing="A tire."),
                                     encoding="utf-8")
    assert any(f.rule == "USR002" for f in check_text("The tyre.", extra_rules=[tmp_path]))


def test_one_fix_loop_for_a_text_and_for_records():
    engine = build_engine(select=["SPC001", "REP001"])
    texts = ["It rose  sharply.", "The the vote passed.", "Nothing here."]
    together = engine.fix_records(texts)
    assert [d.text for d in together] == ["It rose sharply.", "The vote passed.", "Nothing here."]
    for text, done in zip(texts, together):
        alone, edits, remaining = engine.fix(Document(text))
        assert (alone, edits, remaining) == (done.text, done.edits, done.remaining)
    # A record's remaining findings have offsets into that record.
    left = engine.fix_records(["Fine.", "Too  many."], unsafe=False,
                              keep=lambda doc, fs: [dataclasses.replace(f, fix=None) for f in fs])
    assert left[1].text == "Too  many." and [(f.start, f.end) for f in left[1].remaining] == [(3, 5)]


def test_fix_text_is_idempotent_on_its_output():
    text = "The  the vote , held today."
    once, _, _ = fix_text(text)
    assert fix_text(once)[0] == once


@pytest.mark.parametrize("tokens,hint", [
    (["CJK01"], "did you mean CJK001"),
    (["!!!"], "run `mtclean rules`"),
    (["NOPE999"], "unknown rule selector 'NOPE999'"),
])
def test_unknown_selectors_are_errors_with_the_nearest_ids(tokens, hint):
    with pytest.raises(SelectorError, match="unknown rule selector") as exc:
        build_engine(select=tokens)
    assert hint in str(exc.value)


def test_known_selectors_of_every_kind_are_accepted():
    for token in ("ALL", "CJK", "CJK001", "spacing", "repeated-word", "grammar", "LT/EN_A_VS_AN", "HARPER"):
        build_engine(select=[token])


def test_ignore_drops_detector_findings_too():
    def detector(doc, prior):
        return [Finding(rule="LT/EN_A_VS_AN", category="grammar", severity="warning",
                        message="a/an", start=0, end=1, text=doc.text[:1], source="languagetool")]

    doc = Document("A apple.")
    kept = build_engine(select=["SPC001"], detectors=[detector]).check(doc)
    assert [f.rule for f in kept] == ["LT/EN_A_VS_AN"]
    for ignore in (["LT/EN_A_VS_AN"], ["LT"], ["grammar"]):
        assert build_engine(select=["SPC001"], ignore=ignore, detectors=[detector]).check(doc) == []


def test_cli_unknown_selectors_exit_2_in_one_line(run_cli, write, tmp_path):
    f = write("a.txt", "Fine text.\n")
    for args, hint in ((["--select", "CJK01"], "--select: unknown rule selector 'CJK01'; did you mean CJK001"),
                       (["--select", "!!!"], "unknown rule selector '!!!'"),
                       (["--ignore", "SPC0001"], "--ignore: unknown rule selector 'SPC0001'; did you mean SPC001")):
        r = run_cli("check", *args, f)
        assert r.exit_code == 2 and hint in r.stderr and len(r.stderr.strip().splitlines()) == 1
    write(".mtclean.toml", 'select = ["NOPE999"]\n')
    r = run_cli("check", f)
    assert r.exit_code == 2 and ".mtclean.toml: select: unknown rule selector 'NOPE999'" in r.stderr
    write(".mtclean.toml", 'per-file-ignores = { "*.txt" = ["SPC02"] }\n')
    r = run_cli("check", f)
    assert r.exit_code == 2 and "per-file-ignores: unknown rule selector 'SPC02'" in r.stderr


def test_quiet_prints_findings_without_the_summary(run_cli, write):
    f = write("a.txt", "It rose  sharply.\n")
    loud, quiet = run_cli("check", f), run_cli("check", "-q", f)
    assert loud.stdout.startswith(quiet.stdout)
    assert "Found " in loud.stdout and "Found " not in quiet.stdout
    assert quiet.stdout.endswith('replace with " "\n') and quiet.exit_code == 1
    assert run_cli("check", "-q", write("b.txt", "Fine.\n")).stdout == ""


def test_importing_the_cli_loads_no_backend():
    code = ("import sys, mtclean.cli; heavy = ('mtclean.batch', 'mtclean.grammar', 'requests', 'dask', "
            "'distributed', 'sentencepiece', 'orjson', 'wordfreq', 'marisa_trie', 'mtclean.lexicon.wordlists', "
            "'mtclean.lexicon.wordstore', 'harper', 'language_tool_python'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m.startswith(heavy)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_plain_check_imports_no_backend_and_no_metadata_machinery():
    code = ("import sys; sys.argv = ['mtclean', 'check', 'samples/clean-news.txt']\n"
            "from mtclean.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "heavy = ('wordfreq', 'requests', 'dask', 'sentencepiece', 'orjson', 'email', 'mtclean.batch',"
            " 'mtclean.grammar', 'importlib.metadata', 'ftfy')\n"
            "print(sorted(m for m in sys.modules if m in heavy or m.startswith(tuple(h + '.' for h in heavy))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=REPO)
    assert out.stdout.strip() == "[]"


def test_word_cache_key_uses_the_installed_versions():
    from importlib.metadata import version

    from mtclean.lexicon import wordstore

    for dist in ("english-words", "wordfreq"):
        assert wordstore._version(dist) == version(dist)


def test_help_lists_every_command_without_loading_the_lazy_ones(run_cli):
    r = run_cli("--help")
    assert r.exit_code == 0
    for name in ("batch", "check", "fix", "languagetool", "rules"):
        assert f"  {name} " in r.stdout


def test_batch_refuses_an_unknown_selector_before_writing(run_cli, write, tmp_path):
    src = write("in.jsonl", '{"text": "A  test."}\n')
    r = run_cli("batch", src, "-o", tmp_path / "out.jsonl", "--select", "SPC02", "-q")
    assert r.exit_code == 2 and "unknown rule selector 'SPC02'; did you mean SPC002" in r.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_without_marisa_trie_rules_work_and_check_says_what_is_missing(tmp_path):
    # sys.modules[name] = None makes `import name` fail as if the package were absent.
    prog = ("import sys; sys.modules['marisa_trie'] = None; sys.argv = ['mtclean', *sys.argv[1:]]\n"
            "from mtclean.cli import main\nmain()\n")
    run = lambda *args: subprocess.run([sys.executable, "-c", prog, *args], capture_output=True,
                                       text=True, cwd=REPO, env=dict(os.environ, MTCLEAN_CACHE_DIR=str(tmp_path)))
    r = run("rules")
    assert r.returncode == 0 and "CAP001" in r.stdout
    r = run("check", "samples/names-and-capitals.txt")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "needs the Python package 'marisa_trie'" in r.stderr and len(r.stderr.strip().splitlines()) == 1
