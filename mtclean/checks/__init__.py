"""Built-in checks: Python code for what a rule file's pattern or phrase list cannot say.

A rule file refers to a check by name (`check: name`); the check receives the document,
the rule (for its options) and yields `Hit`s. Each family lives in its own module.
"""

from __future__ import annotations

import importlib
from typing import Callable, Iterable

from ..document import Document
from ..finding import Hit

CheckFn = Callable[[Document, "object"], Iterable[Hit]]
_REGISTRY: dict[str, CheckFn] = {}

# Modules that register checks; imported on first lookup so start-up stays fast.
_MODULES = (
    "cjk", "spacing", "quotes", "repetition", "boilerplate", "encoding",
    "names", "boundaries", "capitals", "entities", "numbers", "loops",
)
_loaded = False


def check(name: str) -> Callable[[CheckFn], CheckFn]:
    """Register a function as the built-in check `name`."""

    def deco(fn: CheckFn) -> CheckFn:
        _REGISTRY[name] = fn
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
    _loaded = True


def get(name: str) -> CheckFn | None:
    _load_all()
    return _REGISTRY.get(name)


def registered() -> list[str]:
    _load_all()
    return sorted(_REGISTRY)
