"""Run every example of every rule: flagged texts must be flagged and fixed as written,
passing texts must not be flagged, and a rule without examples fails."""

from __future__ import annotations

import pytest

from mtclean.document import Document
from mtclean.engine import Engine
from mtclean.rules import load_rules
from mtclean.source import attach, pair_texts

RULES = load_rules()


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_has_examples(rule):
    assert rule.flag_examples, f"{rule.id} has no 'flag' examples"
    assert rule.pass_examples, f"{rule.id} has no 'pass' examples"


def _cases():
    for r in RULES:
        for i, ex in enumerate(r.flag_examples):
            yield pytest.param(r, ex, ("flag", i), id=f"{r.id}-flag{i}")
        for i, text in enumerate(r.pass_examples):
            yield pytest.param(r, text, ("pass", i), id=f"{r.id}-pass{i}")


def _doc(rule, text: str, key: tuple[str, int]) -> Document:
    """The example as a document, paired with its `source:` when it has one."""
    source = rule.example_sources.get(key)
    return Document(text, context=attach(None, pair_texts(text, source) if source is not None else None))


@pytest.mark.parametrize("rule,example,key", list(_cases()))
def test_rule_example(rule, example, key):
    engine = Engine([rule])
    if key[0] == "pass":
        found = engine.check(_doc(rule, example, key))
        assert not found, f"{rule.id} flagged a must-pass text: {[f.text for f in found]}"
        return
    found = engine.check(_doc(rule, example.text, key))
    assert found, f"{rule.id} missed {example.text!r}"
    for f in found:
        assert f.text == example.text[f.start:f.end]
    if example.fixed is not None:
        fixed, _, _ = engine.fix(_doc(rule, example.text, key), unsafe=True)
        assert fixed == example.fixed
