"""Shape gates (mtclean/shape.py) answer "no" only when the rule or trigger cannot match."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtclean import checks, shape
from mtclean.api import build_engine
from mtclean.document import Document
from mtclean.engine import _ungated_runner
from mtclean.gate import Gate

ALL_RULES = build_engine(select=["ALL"]).rules
SHAPED_RULES = [r for r in ALL_RULES if r.shape]
SHAPED_CHECKS = [r for r in ALL_RULES if r.kind == "check" and checks.gate(r.check).shape]
EXAMPLES = [e.text for r in ALL_RULES for e in r.flag_examples] + [t for r in ALL_RULES for t in r.pass_examples]
# ASCII pieces around what the gated rules look for.
PIECES = st.sampled_from(["Officials", "said", "the", "A", "b", "e", ".", "!", "?", ",", ";", ":",
                          '"', "'", ")", "(", "]", "[", "}", " ", "  ", "\t", "\n", "\x0b", "\x1c",
                          "%", "-", "1", "3.5", "U.S.", "10:30", "1,000", "said:The", "Beijing,Shanghai"])


def test_shape_classes():
    assert shape.shape('Mr. Li said: "Yes," (2019)!\t[x]-%') == b'Aa. Aa aaaa, "Aaa," (0000). (a)__'
    assert shape.shape("naïve") is None
    assert shape.shape("") == b""


def test_some_rules_and_checks_are_shaped():
    assert {"SPC002", "SPC003"} <= {r.id for r in SHAPED_RULES}
    assert {"SB001", "REP101"} <= {r.id for r in SHAPED_CHECKS}  # SB003 gates inside its trigger


def test_needles_are_validated():
    assert shape.parse_needles([",a"]) == (b",a",)
    for bad in ([], [""], ["x"], [3], "é"):
        with pytest.raises(ValueError):
            shape.parse_needles(bad)


def test_non_ascii_text_always_passes():
    gate = shape.gate((b",a",))
    assert (gate(Document("Beijing，shanghai")) and not gate(Document("Beijing shanghai"))
            and gate(Document("Beijing,shanghai")))


def _rule_fires(rule, text: str) -> bool:
    """The rule behind its `requires` alone (without its shape)."""
    doc = Document(text)
    return bool(Gate(requires=rule.requires).test(doc) and list(_ungated_runner(rule)(doc)))


def _trigger_fires(rule, text: str) -> bool:
    """The check's own trigger without its shape: a fresh gate of the same trigger."""
    gate = checks.gate(rule.check)
    return bool(Gate(trigger=gate.trigger, ascii=gate.ascii).search(text))


def _check(text: str) -> None:
    sh = shape.shape(text)
    if sh is None:
        return
    for rule in SHAPED_RULES:
        if not any(n in sh for n in rule.shape):
            assert not _rule_fires(rule, text), (rule.id, text)
    for rule in SHAPED_CHECKS:
        if not any(n in sh for n in checks.gate(rule.check).shape):
            assert not _trigger_fires(rule, text), (rule.id, text)


def test_shape_never_hides_a_hit_on_examples():
    for text in EXAMPLES:
        _check(text)


@settings(max_examples=3000, deadline=None)
@given(st.lists(PIECES, max_size=14).map("".join))
def test_shape_never_hides_a_hit_on_random_text(text):
    _check(text)
