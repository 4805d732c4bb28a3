"""The Python API: check or fix a string with the built-in rules (plus optional extras)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from . import rules as rules_mod
from . import suppress
from .document import Document
from .engine import Engine, select_rules
from .finding import Finding
from .fixes import Edit


@lru_cache(maxsize=32)
def _rules(extra: tuple[str, ...]) -> list:
    return rules_mod.load_rules([Path(p) for p in extra])


def build_engine(select=(), ignore=(), extra_rules=(), detectors=()) -> Engine:
    """Load rules (cached per extra-rule set), apply selectors, attach detectors."""
    chosen = select_rules(_rules(tuple(str(p) for p in extra_rules)), select, ignore)
    return Engine(chosen, list(detectors))


def check_text(text: str, path: str = "-", select=(), ignore=(), extra_rules=(),
               meta: dict | None = None, engine: Engine | None = None) -> list[Finding]:
    """Return the findings for `text` (suppression comments honoured)."""
    engine = engine or build_engine(select, ignore, extra_rules)
    doc = Document(text, path, meta or {})
    return suppress.apply_all(doc, engine.check(doc))


def fix_text(text: str, unsafe: bool = False, path: str = "-", select=(), ignore=(),
             extra_rules=(), meta: dict | None = None, engine: Engine | None = None
             ) -> tuple[str, list[Edit], list[Finding]]:
    """Return (fixed text, applied edits, remaining findings)."""
    engine = engine or build_engine(select, ignore, extra_rules)
    return engine.fix(Document(text, path, meta or {}), unsafe=unsafe, keep=suppress.apply_all)
