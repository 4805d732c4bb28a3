"""The fused pattern screen answers "no" only when no member rule can match."""

from __future__ import annotations

import dataclasses

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from mtclean.api import build_engine
from mtclean.document import Document
from mtclean.engine import Engine
from mtclean.rules import Rule
from mtclean.screen import build_screens, fusable

def _rule(rid: str, pattern: str, flags: int = regex.V1, **kw) -> Rule:
    r = Rule(id=rid, name=rid.lower(), category="spacing", severity="warning", message="m",
             rationale="test", kind="pattern", source_file="<test>", **kw)
    r.pattern = regex.compile(pattern, flags)
    return r


# The built-in pattern rules, and two written here in the style of the glued quote and
# bracket patterns (those rules, SPC005/SPC006, are checks now), so a screen has five.
BUILTIN = [r for r in build_engine(select=["ALL"]).rules if r.kind == "pattern"] + [
    _rule("T105", r"[“(](?<=\p{L}[,;:]?[“(])(?=\p{L})(?!(?:s|es|ies)\))"),
    _rule("T106", r"([”)])(?<=[\p{L}\p{N}.!?][”)])(?=\p{L}{2})|([”)])(?<=,[”)])(?=\p{Ll}{2})")]


def test_rules_with_requires_are_not_screened():
    """Rules with a `requires` gate are cheaper alone; a lone rule needs no screen."""
    screens, rest = build_screens(BUILTIN)
    screened = {r.id for s in screens for r in s.rules}
    assert not screened & {r.id for r in BUILTIN if r.requires}
    assert screened | {r.id for r in rest} == {r.id for r in BUILTIN}


def test_group_references_are_not_fused():
    assert not fusable(_rule("T001", r"\b(\w+) \1\b"))
    assert not fusable(_rule("T002", r"(?P<w>\w+) (?P=w)"))
    assert fusable(_rule("T003", r"(\w+) -"))


def test_verbose_comment_does_not_swallow_the_next_pattern():
    a = _rule("T004", "foo  # a comment", regex.V1 | regex.VERBOSE)
    b = _rule("T005", "bar", regex.V1 | regex.VERBOSE)
    (screen,), _ = build_screens([a, b])
    assert screen.may_match("a bar here", 1.0)
    assert not screen.may_match("nothing", 1.0)


def test_different_flags_get_different_screens():
    rules = [_rule("T006", "x y"), _rule("T007", "q r"),
             _rule("T008", "abc", regex.V1 | regex.IGNORECASE), _rule("T009", "def", regex.V1 | regex.IGNORECASE)]
    screens, rest = build_screens(rules)
    assert len(screens) == 2 and not rest
    ic = next(s for s in screens if s.pattern.flags & regex.IGNORECASE)
    assert ic.may_match("ABC", 1.0) and not ic.may_match("X Y", 1.0)


def test_screened_engine_finds_what_each_rule_finds_alone():
    text = "Prices rose  sharply ,and the“state” fell(again) today;then calm."
    rules = [dataclasses.replace(r, requires=()) for r in BUILTIN]  # all five in one screen
    engine = Engine(rules)
    assert len(engine._screens) == 1
    fused = {(f.rule, f.start, f.end) for f in engine.check(Document(text))}
    alone = {(f.rule, f.start, f.end) for r in rules for f in Engine([r]).check(Document(text))}
    assert fused == alone and len(fused) >= 4


ALPHABET = list("abcXYZ019 \n\t.,;:!?()“”\"'’%-") + ["es", "ies", "s)"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=30).map("".join))
def test_screen_says_no_only_when_no_rule_matches(text):
    (screen,), _ = build_screens([dataclasses.replace(r, requires=()) for r in BUILTIN])
    if not screen.may_match(text, 5.0):
        assert not any(r.pattern.search(text) for r in screen.rules)
