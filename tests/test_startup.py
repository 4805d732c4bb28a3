"""Start-up guards: what a plain `mtclean check` must not load, held in a fresh process so a
new import cannot slip back in unnoticed (benchmarks/startup_bench.py measures the time)."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from mtclean import checks
from mtclean.api import build_engine
from mtclean.document import Document

REPO = Path(__file__).resolve().parent.parent


def _modules_after(*args: str, prefixes: tuple[str, ...]) -> list[str]:
    """The loaded modules under `prefixes` after `mtclean ARGS` ran in a new process."""
    code = ("import sys; sys.argv = ['mtclean', *sys.argv[1:]]\n"
            "from mtclean.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            f"prefixes = {prefixes!r}\n"
            "print(sorted(m for m in sys.modules if m in prefixes or m.startswith(tuple(p + '.' for p in prefixes))))")
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=True, cwd=REPO)
    return ast.literal_eval(out.stdout.strip().splitlines()[-1])


def test_check_without_source_imports_no_source_module():
    for args in (("check", "samples/clean-news.txt"), ("check", "samples/cjk-residue.txt"),
                 ("check", "--diff", "samples/boundaries-and-numbers.txt"), ("rules",)):
        assert _modules_after(*args, prefixes=("mtclean.source", "cn2an", "pypinyin")) == [], args


def test_check_with_source_loads_the_source_checks():
    loaded = _modules_after("check", "--source", "samples/relief-funds.zh", "samples/relief-funds.txt",
                            prefixes=("mtclean.source",))
    assert "mtclean.source.checks" in loaded and "mtclean.source.numbers" in loaded


def test_each_family_lists_exactly_the_checks_it_registers():
    for family in checks.PLUGINS:
        before = set(checks._REGISTRY)
        importlib.import_module(family.module)
        added = {n for n, fn in checks._REGISTRY.items()
                 if fn.__module__.startswith(family.module.rsplit(".", 1)[0] + ".")}
        assert added == family.names, (added ^ family.names)
        assert before <= set(checks._REGISTRY)


def test_a_family_check_is_known_and_its_need_is_stated_without_import():
    assert checks.known("source-number-missing") and checks.needs("source-number-missing") == "source"
    assert checks.needs("fullwidth-punctuation") is None
    assert not checks.known("source-number-mising")


def test_deferred_rules_run_only_on_documents_with_a_source():
    from mtclean.source import attach, pair_texts

    engine = build_engine(select=["SRC001"])
    text, src = "The port handled containers last year.", "该港口去年处理了3.5亿个集装箱。"
    assert engine.check(Document(text)) == []
    found = engine.check(Document(text, context=attach(None, pair_texts(text, src))))
    assert [f.rule for f in found] == ["SRC001"]
    assert engine.check(Document(text)) == []  # and not afterwards either


def test_within_one_edit_agrees_with_levenshtein():
    """translit's own one-edit test (no rapidfuzz import at start-up) against rapidfuzz."""
    import random

    from rapidfuzz.distance import Levenshtein

    from mtclean.lexicon.translit import within_one_edit

    rng = random.Random(11)
    for _ in range(20000):
        a = "".join(rng.choice("abz") for _ in range(rng.randint(0, 6)))
        b = "".join(rng.choice("abz") for _ in range(rng.randint(0, 6)))
        assert within_one_edit(a, b) == (Levenshtein.distance(a, b) <= 1), (a, b)


def test_a_plain_check_does_not_import_rapidfuzz():
    assert _modules_after("check", "samples/clean-news.txt", prefixes=("rapidfuzz",)) == []


def test_parsed_rule_cache_follows_the_file_and_never_keeps_an_error(tmp_path, monkeypatch):
    from mtclean import rules
    from mtclean.errors import RuleFileError

    monkeypatch.setenv("MTCLEAN_CACHE_DIR", str(tmp_path / "cache"))
    f = tmp_path / "mine.yaml"
    body = ("version: 1\nrules:\n  - {id: TST001, name: beta, category: style, message: m, "
            "kind: pattern, pattern: '%s', examples: {flag: ['%s'], pass: ['x']}}\n")
    f.write_text(body % ("beta", "beta"), encoding="utf-8")
    first = rules.load_file(f)
    assert len(list((tmp_path / "cache" / "rules").glob("*.pickle"))) == 1
    again = rules.load_file(f)  # from the cache: equal rules, new objects
    assert repr(again) == repr(first) and again[0] is not first[0] and again[0].pattern.pattern == "beta"
    f.write_text(body % ("alpha", "alpha"), encoding="utf-8")  # same size, new content
    assert rules.load_file(f)[0].pattern.pattern == "alpha"
    f.write_text(body % ("(unclosed", "x"), encoding="utf-8")
    for _ in range(2):  # reported every time, never cached
        with pytest.raises(RuleFileError, match="pattern does not compile"):
            rules.load_file(f)
    assert len(list((tmp_path / "cache" / "rules").glob("*.pickle"))) == 2


def test_unwritable_rule_cache_is_passed_over(tmp_path, monkeypatch):
    from mtclean import rules

    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("MTCLEAN_CACHE_DIR", str(blocker))
    assert [r.id for r in rules.load_file(rules.BUILTIN_RULES_DIR / "spacing.yaml")][:1] == ["SPC001"]
