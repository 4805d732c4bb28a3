"""Gates (mtclean/gate.py) are preconditions only: wherever a check's trigger or a rule's
`requires` is absent, the rule itself (run ungated) finds nothing. Texts come from every rule example, every case table and
random strings built from the characters the checks care about."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mtclean import checks
from mtclean.api import build_engine
from mtclean.document import Document
from mtclean.gate import Gate
from casetable import CASES

RULES = [r for r in build_engine(select=["ALL"]).rules if r.kind == "check"]
GATED = [r for r in RULES if checks.gate(r.check)]


def _table_texts() -> list[str]:
    texts = []
    for path in sorted(CASES.glob("*.yaml")):
        table = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key in ("flag", "pass"):
            texts.extend(c["text"] for c in table.get(key, []) if isinstance(c, dict) and "text" in c)
    return texts


TEXTS = _table_texts() + [e.text for r in RULES for e in r.flag_examples] \
    + [t for r in RULES for t in r.pass_examples]


def _ungated_hits(rule, text: str) -> list:
    return list(checks.get(rule.check)(Document(text), rule) or ())


def test_some_checks_are_gated():
    assert len(GATED) >= 9, [r.id for r in GATED]


@pytest.mark.parametrize("rule", GATED, ids=[r.id for r in GATED])
def test_trigger_never_hides_a_hit_on_known_texts(rule):
    trig = checks.gate(rule.check)
    for text in TEXTS:
        if trig.search(text) is None:
            assert not _ungated_hits(rule, text), (rule.id, text)


@pytest.mark.parametrize("rule", GATED, ids=[r.id for r in GATED])
def test_every_flag_example_fires_the_trigger(rule):
    trig = checks.gate(rule.check)
    for ex in rule.flag_examples:
        assert trig.search(ex.text), (rule.id, ex.text)


# Letters, digits, spacing, ASCII and typographic punctuation, CJK, full-width forms.
ALPHABET = list("aAbBeEnNoOsStTzZ019 \n\t.,;:!?'\"()[]-—“”‘’«»") + \
    list("，。、：；！？（）【】《》「」　０１Ａａ中国人说")
WORDS = st.sampled_from(["the", "The", "said", "Li", "Wei", "Pilipson", "Pillipson", "in",
                         "2020", "U.S.", "NATO", "Close", "ten", "thousand", "yuan", "per",
                         "cent", "of", "a", "and", "Network", "Satellite", "Russian"])
TOKENS = st.one_of(WORDS, st.text(alphabet=ALPHABET, min_size=1, max_size=3))


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENS, max_size=40).map(lambda xs: " ".join(xs)))
def test_trigger_never_hides_a_hit_on_random_text(text):
    for rule in GATED:
        if checks.gate(rule.check).search(text) is None:
            assert not _ungated_hits(rule, text), rule.id


NON_ASCII = [r for r in GATED if checks.gate(r.check).non_ascii]


@pytest.mark.parametrize("rule", NON_ASCII, ids=[r.id for r in NON_ASCII])
def test_non_ascii_triggers_match_no_ascii_character(rule):
    """ASCII text skips these checks unsearched, so their trigger must not match ASCII."""
    gate = checks.gate(rule.check)
    trig = Gate(trigger=gate.trigger, ascii=gate.ascii, shape=gate.shape)  # without non_ascii
    assert not [c for c in map(chr, range(128)) if trig.search(c)]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_non_ascii_checks_find_nothing_in_ascii_text(text):
    for rule in NON_ASCII:
        gate = checks.gate(rule.check)
        assert gate.search(text) is None
        assert Gate(trigger=gate.trigger, ascii=gate.ascii, shape=gate.shape).search(text) is None
        assert not _ungated_hits(rule, text), rule.id


CJK_ONLY = [r for r in GATED if checks.gate(r.check).cjk]
# Every character below the CJK range (gate.CJK_RANGE): Latin, accents, Greek, Cyrillic,
# General Punctuation (curly quotes, dashes), symbols.
BELOW_CJK = [chr(c) for c in [*range(0x1100), *range(0x1200, 0x2E80)]]


def test_cjk_checks_are_declared():
    assert {"CJK001", "CJK004", "CJK005"} <= {r.id for r in CJK_ONLY}
    assert not any(checks.gate(r.check).cjk for r in GATED if r.id == "ENC001")  # any non-ASCII


@pytest.mark.parametrize("rule", CJK_ONLY, ids=[r.id for r in CJK_ONLY])
def test_cjk_triggers_match_no_character_below_the_cjk_range(rule):
    """Text without a CJK-range character skips these checks unsearched, so their trigger
    must match no other character."""
    gate = checks.gate(rule.check)
    trig = Gate(trigger=gate.trigger, ascii=gate.ascii, shape=gate.shape)  # without cjk
    assert not [c for c in BELOW_CJK if trig.search(c)]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(BELOW_CJK), max_size=60))
def test_cjk_checks_find_nothing_below_the_cjk_range(text):
    for rule in CJK_ONLY:
        assert checks.gate(rule.check).search(text) is None
        assert not _ungated_hits(rule, text), rule.id


ALL_RULES = build_engine(select=["ALL"]).rules
REQUIRING = [r for r in ALL_RULES if r.requires]


def test_some_rules_declare_requires():
    assert {r.id for r in REQUIRING} >= {"SPC001", "SPC002"}


def _rule_hits(rule, text: str) -> list:
    from mtclean.engine import _ungated_runner

    return list(_ungated_runner(rule)(Document(text)))


def test_a_rule_files_gate_is_its_requires_and_shape():
    for rule in REQUIRING:
        gate = rule.gate
        assert gate and gate.requires == rule.requires and gate.shape == rule.shape
        for text in [e.text for e in rule.flag_examples]:
            assert gate.search(text), (rule.id, text)


@pytest.mark.parametrize("rule", REQUIRING, ids=[r.id for r in REQUIRING])
def test_requires_never_hides_a_hit_on_known_texts(rule):
    for text in TEXTS + [e.text for r in ALL_RULES for e in r.flag_examples]:
        if not any(n in text for n in rule.requires):
            assert not _rule_hits(rule, text), (rule.id, text)


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENS, max_size=40).map(lambda xs: "".join(xs)))
def test_requires_never_hides_a_hit_on_random_text(text):
    for rule in REQUIRING:
        if not any(n in text for n in rule.requires):
            assert not _rule_hits(rule, text), rule.id


def test_trigger_forms_agree():
    """A regex, a tuple of substrings, a predicate and `requires` state the same
    precondition alike."""
    forms = [Gate(trigger=r"owned|based"), Gate(trigger=("owned", "based")),
             Gate(trigger=lambda doc: "owned" in doc.text or "based" in doc.text),
             Gate(requires=("owned", "based"))]
    for text in ["a state-owned firm", "Beijing-based", "nothing here", ""]:
        assert len({f.search(text) for f in forms}) == 1, text
    with pytest.raises(TypeError):
        Gate(trigger=("",))
    assert not Gate() and Gate().search("anything")


WITH_ASCII = [r for r in GATED if checks.gate(r.check).ascii is not None]
# ASCII pieces around what the triggers look for: stops, quotes, brackets, every kind of
# ASCII whitespace (and \x1c-\x1f, which str.isspace counts), capitals and lowercase.
ASCII_PIECES = st.sampled_from(["Officials", "said", "the", "A", "b", ".", "!", "?", '"', "'",
                                ")", "(", " ", "  ", "\t", "\n", "\r\n", "\x0b", "\x0c",
                                "\x1c", "\x1f", "\x85", "“", "”", "’", "e.g", "U.S.", "3.5"])


def test_some_triggers_have_an_ascii_form():
    assert {"SB001"} <= {r.id for r in WITH_ASCII}  # SB003 became a predicate (first word)


@settings(max_examples=3000, deadline=None)
@given(st.lists(ASCII_PIECES, max_size=12).map("".join))
def test_ascii_form_answers_like_the_regex_on_ascii_text(text):
    """On ASCII text the stdlib form decides; it must agree with the regex exactly."""
    import re

    import regex

    for rule in WITH_ASCII:
        trig = checks.gate(rule.check)
        full = regex.compile(trig.trigger, regex.V1).search(text) is not None
        if text.isascii():
            assert (re.search(trig.ascii, text) is not None) == full, (rule.id, text)
        assert bool(Gate(trigger=trig.trigger, ascii=trig.ascii).test(Document(text))) == full, (rule.id, text)


def test_ascii_form_needs_a_regex_trigger():
    with pytest.raises(TypeError):
        Gate(trigger=("x",), ascii="x")
    with pytest.raises(ValueError):
        Gate(non_ascii=True)


def test_a_guard_answers_like_its_gate():
    """The engine runs a rule through `Gate.guard` (common forms tested inline): it must
    let a rule run exactly where `Gate.test` passes."""
    from mtclean.engine import gates

    guarded = [(g, g.guard(lambda doc: ("ran",))) for r in ALL_RULES for g in gates(r)]
    guarded += [(g, g.guard(lambda doc: ("ran",))) for g in (
        Gate(requires=("a",)), Gate(requires=("a", "b")), Gate(trigger=("x", "y", "z")),
        Gate(trigger=r"\p{Lu}\p{Ll}"), Gate(trigger=r"[.!?][A-Z]", ascii=r"[.!?][A-Z]"))]
    assert len(guarded) > 20
    for text in TEXTS[:400] + ["", "a", "ab", "xyz", "Ab", "ok.Then", "naïve Éa"]:
        doc = Document(text)
        for gate, run in guarded:
            assert bool(run(doc)) == bool(gate.test(doc)), (text, gate.requires, gate.trigger)
