"""Built-in checks: Python code for what a rule file's pattern or phrase list cannot say.

A rule file refers to a check by name (`check: name`); the check receives the document,
the rule (for its options) and yields `Hit`s. Each family lives in its own module.

A check may declare a gate (mtclean/gate.py): a trigger that must occur somewhere in the
text for the check to be able to fire at all (a CJK check needs a CJK character), with
its faster forms (`ascii_trigger`, `shape`, `non_ascii`). The engine tests the gate first
and skips the check when it fails, which is what keeps a clean segment cheap in batch
runs. A gate is a precondition, never the detection itself; `tests/test_triggers.py` runs
every rule's examples and random text to keep it honest.

The checks of a `Family` outside this package (the source-aware ones) can fire only on a
document whose check context carries what they need (a source); the engine prepares
their rules, and imports their modules, for the first such document only.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable, Iterable

from ..document import Document
from ..finding import Hit
from ..gate import NO_GATE, Gate

CheckFn = Callable[[Document, "object"], Iterable[Hit]]
_REGISTRY: dict[str, CheckFn] = {}
_GATES: dict[str, Gate] = {}
_CHUNK_SCANS: dict[str, Callable] = {}

# Modules that register checks; imported on first lookup so start-up stays fast.
_MODULES = (
    "cjk", "spacing", "quotes", "repetition", "boilerplate", "encoding",
    "names", "boundaries", "capitals", "entities", "numbers", "loops", "untranslated",
)


@dataclass(frozen=True)
class Family:
    """Checks registered by a package outside checks/ (it imports this one), which can
    fire only on a document whose check context has `needs` set. Its check names are
    listed here, so a rule file naming one is validated, and an engine built, without
    importing the package; tests/test_startup.py holds the list to what it registers."""

    module: str
    needs: str  # a CheckContext field (document.py)
    names: frozenset[str]


PLUGINS = (
    Family("mtclean.source.checks", "source", frozenset({
        "source-number-missing", "source-number-changed", "source-number-extra",
        "source-untranslated-segment", "source-missing-segment", "source-name-variant",
        "source-name-shared", "source-entity-name", "source-question-parity",
        "source-quote-parity", "source-paren-parity", "source-length-ratio",
        "source-clause-omitted"})),
)
_loaded: set[str] = set()  # modules (here and in PLUGINS) imported so far


def check(name: str, trigger=None, non_ascii: bool = False, ascii_trigger: str | None = None,
          shape: tuple[str, ...] = (), cjk: bool = False,
          requires: tuple[str, ...] = (), chunk_scan: Callable | None = None) -> Callable[[CheckFn], CheckFn]:
    """Register a function as the built-in check `name`, with the gate (mtclean/gate.py)
    without which it never fires.

    `trigger` is a regex string, a tuple of substrings or a predicate on the document.
    `non_ascii=True` says the trigger can only match non-ASCII characters (CJK, full-width
    forms), so pure-ASCII text, most English copy, skips the check without any search.
    `cjk=True` says more: it can only match a character of `gate.CJK_RANGE`, so text
    without one (accents and curly quotes only) skips it too.
    `ascii_trigger` is a stdlib `re` pattern that matches ASCII text exactly when the regex
    trigger does (`\\p{Lu}` becomes `[A-Z]`...). `shape` lists substrings of the text's
    shape (mtclean/shape.py) of which ASCII text must hold one for the trigger to match.
    `requires` lists substrings of which the text must hold one: with a predicate trigger
    it lets a batch chunk rule out most texts in one scan (mtclean/chunkgate.py).
    `chunk_scan(rule, context)` makes the check's own scan of a batch chunk, for a
    precondition that depends on the rule's options or the check context (a gazetteer):
    a `chunkgate.Scan` that adds every text of the chunk the check may fire on.
    tests/test_triggers.py holds all of them to the check.
    """
    if (non_ascii or cjk) and trigger is None:
        raise ValueError(f"check {name}: non_ascii needs a trigger")
    declared = Gate(trigger=trigger, ascii=ascii_trigger, shape=shape, non_ascii=non_ascii, cjk=cjk,
                    requires=requires) if trigger is not None or requires else NO_GATE

    def deco(fn: CheckFn) -> CheckFn:
        _REGISTRY[name] = fn
        _GATES[name] = declared
        if chunk_scan is not None:
            _CHUNK_SCANS[name] = chunk_scan
        return fn

    return deco


def _family(name: str) -> Family | None:
    return next((f for f in PLUGINS if name in f.names), None)


def _load_core() -> None:
    if "" in _loaded:
        return
    for mod in _MODULES:
        try:
            importlib.import_module(f"{__name__}.{mod}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{mod}":
                raise
    _loaded.add("")


def _load_for(name: str) -> None:
    """Import the modules that register check `name`: its family's, or the core ones."""
    family = _family(name)
    if family is None:
        _load_core()
    else:
        _load_family(family)


def _load_family(family: Family) -> None:
    if family.module not in _loaded:
        importlib.import_module(family.module)
        _loaded.add(family.module)


def get(name: str) -> CheckFn | None:
    _load_for(name)
    return _REGISTRY.get(name)


def known(name: str) -> bool:
    """Whether `name` is a built-in check (a family's checks are known without importing it)."""
    return _family(name) is not None or get(name) is not None


def needs(name: str) -> str | None:
    """The CheckContext field check `name` needs to fire at all ("source"), or None."""
    family = _family(name)
    return family.needs if family else None


def chunk_scan(name: str) -> Callable | None:
    """The chunk scan maker of check `name` (`check`'s `chunk_scan`), or None."""
    _load_for(name)
    return _CHUNK_SCANS.get(name)


def gate(name: str) -> Gate:
    """The gate of check `name` (an empty gate when it must always run)."""
    _load_for(name)
    return _GATES.get(name, NO_GATE)


def registered() -> list[str]:
    _load_core()
    for family in PLUGINS:
        _load_family(family)
    return sorted(_REGISTRY)
