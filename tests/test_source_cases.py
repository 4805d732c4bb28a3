"""Case tables of the source-aware checks (tests/cases/source-*.yaml): each flag case
must be reported by its rule on the given span, each pass case must draw no finding from
the table's rules, whatever the professional rendering it uses."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mtclean.api import build_engine
from mtclean.document import Document
from mtclean.source import attach, pair_texts

TABLES = sorted((Path(__file__).parent / "cases").glob("source-*.yaml"))


def _cases(kind: str):
    for path in TABLES:
        table = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in table[kind]:
            yield pytest.param(table["rules"], case, id=f"{path.stem}-{case['id']}")


def _found(rules, case):
    engine = build_engine(select=rules)
    doc = Document(case["text"], context=attach(None, pair_texts(case["text"], case["source"])))
    found = engine.check(doc)
    for f in found:
        assert f.text == case["text"][f.start:f.end]
        assert f.source_span is not None or f.rule in ("SRC003", "SRC040", "SRC041")
        if f.source_span is not None:
            a, b = f.source_span
            assert 0 <= a <= b <= len(max(case["source"].split("\n"), key=len))
    return found


@pytest.mark.parametrize("rules,case", list(_cases("flag")))
def test_flag(rules, case):
    found = [f for f in _found(rules, case) if f.rule == case["rule"]]
    assert found, f"{case['rule']} missed {case['text']!r}"
    assert case["span"] in [f.text for f in found], [f.text for f in found]


@pytest.mark.parametrize("rules,case", list(_cases("pass")))
def test_pass(rules, case):
    found = _found(rules, case)
    assert not found, [(f.rule, f.text, f.message) for f in found]


def test_every_rule_has_cases():
    """Each source rule appears in a table, with flag and pass cases."""
    covered = set()
    for path in TABLES:
        table = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert table["flag"] and table["pass"], path.name
        covered |= {c["rule"] for c in table["flag"]}
    from mtclean.rules import load_rules
    source_rules = {r.id for r in load_rules() if r.id.startswith("SRC")}
    assert source_rules <= covered, source_rules - covered
