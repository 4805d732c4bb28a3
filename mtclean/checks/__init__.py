"""Built-in checks: Python code for what a rule file's pattern or phrase list cannot say.

A rule file refers to a check by name (`check: name`); the check receives the document,
the rule (for its options) and yields `Hit`s. Each family lives in its own module.

A check may declare a *trigger*: a pattern that must occur somewhere in the text for the
check to be able to fire at all (a CJK check needs a CJK character). The engine searches
for the trigger first and skips the check when it is absent, which is what keeps a clean
segment cheap in batch runs. A trigger is a precondition, never the detection itself;
`tests/test_triggers.py` runs every rule's examples and random text to keep it honest.
"""

from __future__ import annotations

import importlib
import re
from typing import Callable, Iterable

import regex

from .. import shape as _shape
from ..document import Document
from ..finding import Hit

CheckFn = Callable[[Document, "object"], Iterable[Hit]]
_REGISTRY: dict[str, CheckFn] = {}
_TRIGGERS: dict[str, "Trigger"] = {}
_NON_ASCII: set[str] = set()  # checks whose trigger only ever matches non-ASCII characters

# Modules that register checks; imported on first lookup so start-up stays fast.
_MODULES = (
    "cjk", "spacing", "quotes", "repetition", "boilerplate", "encoding",
    "names", "boundaries", "capitals", "entities", "numbers", "loops", "untranslated",
)
# Packages outside checks/ that register more checks here (by name: they import this one).
_PLUGINS = ("mtclean.source.checks",)
_loaded = False


class Trigger:
    """A check's precondition, in the cheapest form that states it exactly.

    Given as a regex string, a tuple of substrings (any of them present) or a predicate on
    the document (which reads the document's views: `doc.shape`, `doc.word_runs`, ...).
    `found(doc)` is falsy when the check cannot fire; `search(text)` answers the same for a
    bare text, None like a failed regex search, so tests treat the three forms alike. A
    substring test costs a tenth of the quickest regex scan, which is why plain needles
    are worth a separate form.
    """

    def __init__(self, spec, ascii: str | None = None, shape: tuple[str, ...] = ()):
        self.pattern = spec
        self.ascii = ascii
        self.shape = _shape.parse_needles(shape) if shape else ()
        if ascii is not None and not isinstance(spec, str):
            raise TypeError("an ASCII form goes with a regex trigger")
        if isinstance(spec, str):
            search = regex.compile(spec, regex.V1).search
            if ascii is None:
                found = (lambda doc: search(doc.text))
            else:  # the stdlib scans ASCII text about twice as fast
                plain = re.compile(ascii).search
                found = (lambda doc: plain(doc.text) if doc.text.isascii() else search(doc.text))
        elif isinstance(spec, tuple) and spec and all(isinstance(n, str) and n for n in spec):
            found = (lambda doc, needles=spec: any(map(doc.text.__contains__, needles)))
        elif callable(spec):
            found = spec
        else:
            raise TypeError(f"a trigger is a regex string, a tuple of substrings or a predicate, not {spec!r}")
        if self.shape:  # on ASCII text, a substring test on the shape comes first
            has_shape, inner = _shape.gate(self.shape), found
            found = (lambda doc: has_shape(doc) and inner(doc))
        self.found = found  # document -> truthy when the check may fire (what the engine calls)

    def search(self, text: str | Document):
        """True when the check may fire on `text` (a string or a document), else None."""
        doc = text if isinstance(text, Document) else Document(text)
        return True if self.found(doc) else None


def check(name: str, trigger=None, non_ascii: bool = False, ascii_trigger: str | None = None,
          shape: tuple[str, ...] = ()) -> Callable[[CheckFn], CheckFn]:
    """Register a function as the built-in check `name`, optionally with a trigger (see the
    module docstring and `Trigger`) without which the check never fires.

    `non_ascii=True` says the trigger can only match non-ASCII characters (CJK, full-width
    forms), so pure-ASCII text, most English copy, skips the check without any search.
    `ascii_trigger` is a stdlib `re` pattern that matches ASCII text exactly when the regex
    trigger does (`\\p{Lu}` becomes `[A-Z]`...). `shape` lists substrings of the text's
    shape (mtclean/shape.py) of which ASCII text must hold one for the trigger to match.
    tests/test_triggers.py holds both to the trigger.
    """
    compiled = Trigger(trigger, ascii_trigger, shape) if trigger else None
    if non_ascii and compiled is None:
        raise ValueError(f"check {name}: non_ascii needs a trigger")

    def deco(fn: CheckFn) -> CheckFn:
        _REGISTRY[name] = fn
        _TRIGGERS.pop(name, None)
        _NON_ASCII.discard(name)
        if compiled is not None:
            _TRIGGERS[name] = compiled
        if non_ascii:
            _NON_ASCII.add(name)
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


def trigger(name: str) -> Trigger | None:
    """The trigger of check `name`, or None when it must always run."""
    _load_all()
    return _TRIGGERS.get(name)


def non_ascii(name: str) -> bool:
    """True when check `name` can only fire on text holding a non-ASCII character."""
    _load_all()
    return name in _NON_ASCII


def registered() -> list[str]:
    _load_all()
    return sorted(_REGISTRY)
