"""Gates: "this rule cannot fire on this document", tested before the rule runs.

A clean segment must cost little in batch runs, so every rule may state a cheap
precondition, and one `Gate` holds it in all its forms, tested cheapest first:

- `non_ascii`: the rule can only fire on a non-ASCII character (CJK, full-width forms),
  so ASCII text, most English copy, skips it without any search;
- `cjk`: more narrowly, only on a character of the CJK range (`CJK_RANGE`), so text
  whose only non-ASCII characters are accents, curly quotes and dashes skips it after
  one search shared by all such rules;
- `shape`: on ASCII text, substrings of the text's shape (mtclean/shape.py) of which one
  must occur (",a": a comma glued to a letter);
- `requires`: substrings of which the text must hold one;
- `trigger`: a regex string, a tuple of substrings, or a predicate on the document (which
  reads the document's views), with `ascii`, a stdlib `re` pattern that answers like the
  regex on ASCII text and scans it faster.

A rule file declares `requires` and `shape`; a check declares its gate with `@check`.
A gate is a precondition, never the detection itself: tests/test_triggers.py,
tests/test_shape.py and tests/test_screen.py run every rule's examples and random text
through each rule ungated to keep every gate honest.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

import regex

from . import shape as _shape
from .blocks import overlapping_blocks
from .document import Document

Test = Callable[[Document], object]  # truthy when the rule may fire

# The characters of CJK scripts and their punctuation and full-width forms: Hangul Jamo,
# and everything from the CJK radicals (U+2E80) up. Below U+2E80 (Latin, accents, Greek,
# Cyrillic, curly quotes, dashes) there is none, so English copy seldom holds one.
CJK_RANGE = re.compile("[\u1100-\u11ff\u2e80-\U0010ffff]")


def may_hold_cjk(text: str) -> bool:
    """True when `text` holds a character of `CJK_RANGE` (one stdlib scan)."""
    return not text.isascii() and CJK_RANGE.search(text) is not None


class Gate:
    """A rule's precondition; `test(doc)` is falsy only when the rule cannot fire."""

    def __init__(self, *, requires: tuple[str, ...] = (), shape=(), trigger=None,
                 ascii: str | None = None, non_ascii: bool = False, cjk: bool = False):
        if ascii is not None and not isinstance(trigger, str):
            raise TypeError("an ASCII form goes with a regex trigger")
        non_ascii = non_ascii or cjk  # a CJK-range character is never ASCII
        if non_ascii and trigger is None:
            raise ValueError("non_ascii needs a trigger (the characters the rule fires on)")
        self.cjk = cjk
        self.requires = tuple(requires)
        # needles as given by a rule file (already bytes) or by a check (strings)
        self.shape = tuple(shape) if all(isinstance(n, bytes) for n in shape) else _shape.parse_needles(shape)
        self.trigger = trigger
        self.ascii = ascii
        self.non_ascii = non_ascii
        self.test: Test = self._compile()

    def __bool__(self) -> bool:
        return bool(self.requires or self.shape or self.trigger is not None or self.non_ascii)

    def search(self, text: str | Document):
        """True when the rule may fire on `text` (a string or a document), else None, like
        a regex search (what the property tests call)."""
        doc = text if isinstance(text, Document) else Document(text)
        return True if self.test(doc) else None

    def guard(self, run: Callable[[Document], Iterable]) -> Callable[[Document], Iterable]:
        """`run` behind this gate, as one function. The common one-form gates are tested
        inline (a function call per rule and segment is a visible share of batch time)."""
        test = self.test
        if not self:
            return run
        one_form = not (self.shape or self.non_ascii) and (not self.requires) != (self.trigger is None)
        needles = self.requires or self.trigger
        if one_form and isinstance(needles, tuple) and len(needles) <= 3:
            if len(needles) == 1:
                (needle,) = needles
                return lambda doc: run(doc) if needle in doc.text else ()
            if len(needles) == 2:  # `in` tests spelled out: no bound method, map or any
                a, b = needles
                return lambda doc: run(doc) if a in doc.text or b in doc.text else ()
            if len(needles) == 3:
                a, b, c = needles
                return lambda doc: (run(doc) if a in (text := doc.text) or b in text or c in text
                                    else ())
        if one_form and isinstance(self.trigger, str) and self.ascii is None:
            search = regex.compile(self.trigger, regex.V1).search
            return lambda doc: run(doc) if search(doc.text) else ()
        if (self.non_ascii and not (self.shape or self.requires) and isinstance(self.trigger, str)
                and self.ascii is None):  # a CJK or full-width check: most of them
            search = regex.compile(self.trigger, regex.V1).search
            return lambda doc: run(doc) if not doc.text.isascii() and search(doc.text) else ()
        return lambda doc: run(doc) if test(doc) else ()

    def _compile(self) -> Test:
        """The conjunction of the stated forms, cheapest first, as one function."""
        tests = [t for t in (_shape.gate(self.shape) if self.shape else None,
                             _requires_test(self.requires) if self.requires else None,
                             _trigger_test(self.trigger, self.ascii) if self.trigger is not None else None)
                 if t is not None]
        if self.non_ascii:  # ASCII text is ruled out before anything is searched
            tests.insert(0, (lambda doc: may_hold_cjk(doc.text)) if self.cjk
                         else (lambda doc: not doc.text.isascii()))
        if not tests:
            return lambda doc: True
        if len(tests) == 1:
            return tests[0]
        if len(tests) == 2:
            first, second = tests
            return lambda doc: first(doc) and second(doc)
        return lambda doc: all(t(doc) for t in tests)


def _requires_test(needles: tuple[str, ...]) -> Test:
    """One of `needles` occurs in the text: `in` tests, or one Aho–Corasick pass for many."""
    if len(needles) == 1:
        (needle,) = needles
        return lambda doc: needle in doc.text
    if len(needles) == 2:
        a, b = needles
        return lambda doc: a in doc.text or b in doc.text
    if len(needles) == 3:
        a, b, c = needles
        return lambda doc: a in (text := doc.text) or b in text or c in text
    import ahocorasick  # many needles: one pass beats a substring search per needle

    auto = ahocorasick.Automaton()
    for needle in needles:
        auto.add_word(needle, None)
    auto.make_automaton()
    scan = auto.iter
    overlap = max(map(len, needles)) - 1

    def found(doc) -> bool:  # a block at a time: the automaton copies what it scans
        return any(next(scan(piece), None) is not None
                   for piece in overlapping_blocks(doc.text, overlap))

    return found


def _trigger_test(spec, ascii: str | None) -> Test:
    """A trigger in the cheapest form that states it exactly: a regex (with its stdlib form
    for ASCII text), substrings (a tenth of the quickest regex scan), or a predicate."""
    if isinstance(spec, str):
        search = regex.compile(spec, regex.V1).search
        if ascii is None:
            return lambda doc: search(doc.text)
        plain = re.compile(ascii).search  # the stdlib scans ASCII text about twice as fast
        return lambda doc: plain(doc.text) if doc.text.isascii() else search(doc.text)
    if isinstance(spec, tuple) and spec and all(isinstance(n, str) and n for n in spec):
        return lambda doc: any(map(doc.text.__contains__, spec))
    if callable(spec):
        return spec
    raise TypeError(f"a trigger is a regex string, a tuple of substrings or a predicate, not {spec!r}")


NO_GATE = Gate()
