"""Built-in checks: Python code for what a rule file's pattern or phrase list cannot say.

A rule file refers to a check by name (`check: name`); the check receives the document,
the rule (for its options) and yields `Hit`s. Each family lives in its own module.

A check may declare a gate (mtclean/gate.py): a trigger that must occur somewhere in the
text for the check to be able to fire at all (a CJK check needs a CJK character), with
its faster forms (`ascii_trigger`, `shape`, `non_ascii`). The engine tests the gate first
and skips the check when it fails, which is what keeps a clean segment cheap in batch
runs. A gate is a precondition, never the detection itself; `tests/test_triggers.py` runs
every rule's examples and random text to keep it honest.
"""

from __future__ import annotations

import importlib
from typing import Callable, Iterable

from ..document import Document
from ..finding import Hit
from ..gate import NO_GATE, Gate

CheckFn = Callable[[Document, "object"], Iterable[Hit]]
_REGISTRY: dict[str, CheckFn] = {}
_GATES: dict[str, Gate] = {}

# Modules that register checks; imported on first lookup so start-up stays fast.
_MODULES = (
    "cjk", "spacing", "quotes", "repetition", "boilerplate", "encoding",
    "names", "boundaries", "capitals", "entities", "numbers", "loops", "untranslated",
)
# Packages outside checks/ that register more checks here (by name: they import this one).
_PLUGINS = ("mtclean.source.checks",)
_loaded = False


def check(name: str, trigger=None, non_ascii: bool = False, ascii_trigger: str | None = None,
          shape: tuple[str, ...] = ()) -> Callable[[CheckFn], CheckFn]:
    """Register a function as the built-in check `name`, with the gate (mtclean/gate.py)
    without which it never fires.

    `trigger` is a regex string, a tuple of substrings or a predicate on the document.
    `non_ascii=True` says the trigger can only match non-ASCII characters (CJK, full-width
    forms), so pure-ASCII text, most English copy, skips the check without any search.
    `ascii_trigger` is a stdlib `re` pattern that matches ASCII text exactly when the regex
    trigger does (`\\p{Lu}` becomes `[A-Z]`...). `shape` lists substrings of the text's
    shape (mtclean/shape.py) of which ASCII text must hold one for the trigger to match.
    tests/test_triggers.py holds all of them to the check.
    """
    if non_ascii and trigger is None:
        raise ValueError(f"check {name}: non_ascii needs a trigger")
    declared = Gate(trigger=trigger, ascii=ascii_trigger, shape=shape, non_ascii=non_ascii) \
        if trigger is not None else NO_GATE

    def deco(fn: CheckFn) -> CheckFn:
        _REGISTRY[name] = fn
        _GATES[name] = declared
        return fn

    return deco


def _load_all() -> None:
    global _loaded
    if _loaded:
        return
    for mod in _MODULES:
        try:
            importlib.import_module(f"{__name__}.{mod}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{mod}":
                raise
    for mod in _PLUGINS:
        importlib.import_module(mod)
    _loaded = True


def get(name: str) -> CheckFn | None:
    _load_all()
    return _REGISTRY.get(name)


def gate(name: str) -> Gate:
    """The gate of check `name` (an empty gate when it must always run)."""
    _load_all()
    return _GATES.get(name, NO_GATE)


def registered() -> list[str]:
    _load_all()
    return sorted(_REGISTRY)
