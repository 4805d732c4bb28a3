"""Run every example of every rule: flagged texts must be flagged and fixed as written,
passing texts must not be flagged, and a rule without examples fails."""

from __future__ import annotations

import pytest

from mtclean.document import Document
from mtclean.engine import Engine
from mtclean.rules import load_rules

RULES = load_rules()


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_has_examples(rule):
    assert rule.flag_examples, f"{rule.id} has no 'flag' examples"
    assert rule.pass_examples, f"{rule.id} has no 'pass' examples"


def _cases():
    for r in RULES:
        for i, ex in enumerate(r.flag_examples):
            yield pytest.param(r, ex, True, id=f"{r.id}-flag{i}")
        for i, text in enumerate(r.pass_examples):
            yield pytest.param(r, text, False, id=f"{r.id}-pass{i}")


@pytest.mark.parametrize("rule,example,flagged", list(_cases()))
def test_rule_example(rule, example, flagged):
    engine = Engine([rule])
    if not flagged:
        found = engine.check(Document(example))
        assert not found, f"{rule.id} flagged a must-pass text: {[f.text for f in found]}"
        return
    found = engine.check(Document(example.text))
    assert found, f"{rule.id} missed {example.text!r}"
    for f in found:
        assert f.text == example.text[f.start:f.end]
    if example.fixed is not None:
        fixed, _, _ = engine.fix(Document(example.text), unsafe=True)
        assert fixed == example.fixed
