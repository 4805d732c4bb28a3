"""Screen pattern rules with one fused regex, so a clean segment costs one search, not one
per rule.

`(?:P1)|(?:P2)|…` matches somewhere in a text exactly when at least one Pi does: a
search tries every alternative at every position. So when the fused search finds
nothing, none of the rules can fire and all are skipped; when it finds something, each
rule runs on its own as before (its own groups, replacement and time limit). Patterns
whose meaning depends on group numbers (back-references, conditionals) or on flags that
differ from their neighbours' are not fused.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from . import deadline
from .rules import Rule

# Constructs that refer to groups by number or name; renumbering by fusion would break them.
_GROUP_REFS = regex.compile(r"\\[1-9]|\\g<|\(\?P=|\(\?\(|\(\?&|\(\?R\)|\(\?[0-9+-]")


def fusable(rule: Rule) -> bool:
    """A pattern rule with no group references and no cheaper gate of its own (`requires`,
    `shape`: a fused screen is the gate of the rules that have none)."""
    return (rule.kind == "pattern" and not rule.gate
            and not _GROUP_REFS.search(rule.pattern.pattern))


@dataclass
class Screen:
    """One fused search standing in front of several pattern rules that share flags."""

    pattern: regex.Pattern
    rules: list[Rule]

    def may_match(self, text: str, timeout: float) -> bool:
        """False only when no member rule can match `text`. A search that runs out of time
        answers True, so the members run one by one and the slow one is named."""
        deadline.start(timeout)
        try:
            if deadline.guarded():  # the wall-clock alarm stops it (deadline.py)
                return self.pattern.search(text) is not None
            return self.pattern.search(text, timeout=timeout) is not None
        except TimeoutError:
            return True
        finally:
            deadline.stop()


def build_screens(rules: list[Rule]) -> tuple[list[Screen], list[Rule]]:
    """Group fusable pattern rules by flags into screens; return (screens, the other rules)."""
    by_flags: dict[int, list[Rule]] = {}
    rest: list[Rule] = []
    for rule in rules:
        if fusable(rule):
            by_flags.setdefault(rule.pattern.flags, []).append(rule)
        else:
            rest.append(rule)
    screens = []
    for flags, members in by_flags.items():
        if len(members) < 2:
            rest.extend(members)
            continue
        end = "\n" if flags & regex.VERBOSE else ""  # a trailing comment must not eat the ")"
        fused = "|".join(f"(?:{r.pattern.pattern}{end})" for r in members)
        try:
            screens.append(Screen(regex.compile(fused, flags), members))
        except regex.error:  # e.g. duplicate group names across patterns: run them singly
            rest.extend(members)
    return screens, rest
