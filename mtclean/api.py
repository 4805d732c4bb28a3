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


def _document(text: str, path: str, meta: dict | None, source: str | None) -> Document:
    """The document, paired segment by segment with its source text when one is given
    (line or paragraph mode, detected; a count mismatch raises InputError)."""
    if source is None:
        return Document(text, path, meta or {})
    from .source import attach, pair_texts
    return Document(text, path, attach(meta, pair_texts(text, source, path)))


def _keep(source: str | None):
    """Suppressions; with a source, also what the source overrules (source/keep.py)."""
    if source is None:
        return suppress.apply_all
    from .source.keep import source_keep
    return source_keep(suppress.apply_all)


def check_text(text: str, path: str = "-", select=(), ignore=(), extra_rules=(),
               meta: dict | None = None, engine: Engine | None = None,
               source: str | None = None) -> list[Finding]:
    """Return the findings for `text` (suppression comments honoured); with `source`, the
    Chinese source aligned to it, the source-aware rules compare the two as well."""
    engine = engine or build_engine(select, ignore, extra_rules)
    doc = _document(text, path, meta, source)
    return _keep(source)(doc, engine.check(doc))


def fix_text(text: str, unsafe: bool = False, path: str = "-", select=(), ignore=(),
             extra_rules=(), meta: dict | None = None, engine: Engine | None = None,
             source: str | None = None) -> tuple[str, list[Edit], list[Finding]]:
    """Return (fixed text, applied edits, remaining findings); with `source`, fixes that
    would change the segmentation are held back so the pairing survives."""
    engine = engine or build_engine(select, ignore, extra_rules)
    doc = _document(text, path, meta, source)
    return engine.fix(doc, unsafe=unsafe, keep=_keep(source))
