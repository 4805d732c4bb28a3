"""The Python API: check or fix a string with the built-in rules (plus optional extras)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from . import rules as rules_mod
from . import selectors, suppress
from .document import NO_CONTEXT, CheckContext, Document
from .engine import Engine, select_rules
from .finding import Finding
from .fixes import Edit


def _stamp(path: Path) -> tuple[str, int, int]:
    st = os.stat(path)
    return str(path), st.st_mtime_ns, st.st_size


# directory -> (its directories' modification times, its rule files). A directory's time
# changes when an entry is added, removed or renamed, so the listing is walked again only
# then: a check_text call costs a few stats, not a recursive walk.
_LISTINGS: dict[str, tuple[tuple[tuple[str, int], ...], list[Path]]] = {}


def _dir_stamps(root: Path) -> tuple[tuple[str, int], ...]:
    dirs = [root, *(d for d in root.rglob("*") if d.is_dir())]
    return tuple((str(d), os.stat(d).st_mtime_ns) for d in dirs)


def _rule_files(paths: list[Path]) -> list[Path]:
    """rules.rule_files, with each directory's listing reused while it is unchanged."""
    out: list[Path] = []
    for p in paths:
        if not p.is_dir():
            out.extend(rules_mod.rule_files([p]))
            continue
        cached = _LISTINGS.get(str(p))
        try:
            fresh = cached is not None and all(os.stat(d).st_mtime_ns == m for d, m in cached[0])
        except OSError:
            fresh = False
        if not fresh:
            stamps = _dir_stamps(p)  # before listing: a change in between lists again next time
            cached = _LISTINGS[str(p)] = (stamps, rules_mod.rule_files([p]))
        out.extend(cached[1])
    return out


@lru_cache(maxsize=32)
def _load(stamps: tuple[tuple[str, int, int], ...]) -> list:
    return rules_mod.load_files([Path(p) for p, _, _ in stamps])


def load_rules(extra_rules=()) -> list:
    """The built-in rules plus `extra_rules`, parsed once per version of their files.

    Keyed by each file's path, modification time and size, so a rule file edited (or
    added to a rules directory) while the process runs is taken up by the next call.
    """
    files = _rule_files([rules_mod.BUILTIN_RULES_DIR, *map(Path, extra_rules)])
    try:
        return _load(tuple(_stamp(f) for f in files))
    except FileNotFoundError:  # a file removed since its directory was listed
        _LISTINGS.clear()
        return _load(tuple(_stamp(f) for f in _rule_files([rules_mod.BUILTIN_RULES_DIR,
                                                             *map(Path, extra_rules)])))


def build_engine(select=(), ignore=(), extra_rules=(), detectors=()) -> Engine:
    """Load rules, check and apply the selectors, attach detectors (grammar backends).

    An unknown selector is a SelectorError (exit 2 on the command line).
    """
    loaded = load_rules(extra_rules)
    select = [s.strip() for s in select if s and s.strip()]
    ignore = [s.strip() for s in ignore if s and s.strip()]
    selectors.validate(select, loaded, "select")
    selectors.validate(ignore, loaded, "ignore")
    return Engine(select_rules(loaded, select, ignore), list(detectors), tuple(ignore))


def _document(text: str, path: str, context: CheckContext, source: str | None) -> Document:
    """The document, paired segment by segment with its source text when one is given
    (line or paragraph mode, detected; a count mismatch raises InputError)."""
    if source is None:
        return Document(text, path, context or NO_CONTEXT)
    from .source import attach, pair_texts
    return Document(text, path, attach(context, pair_texts(text, source, path)))


def _keep(source: str | None):
    """Suppressions; with a source, also what the source overrules (source/keep.py)."""
    if source is None:
        return suppress.apply_all
    from .source.keep import source_keep
    return source_keep(suppress.apply_all)


def check_text(text: str, path: str = "-", select=(), ignore=(), extra_rules=(),
               context: CheckContext = NO_CONTEXT, engine: Engine | None = None,
               source: str | None = None) -> list[Finding]:
    """Return the findings for `text` (suppression comments honoured); with `source`, the
    Chinese source aligned to it, the source-aware rules compare the two as well."""
    engine = engine or build_engine(select, ignore, extra_rules)
    doc = _document(text, path, context, source)
    return _keep(source)(doc, engine.check(doc))


def fix_text(text: str, unsafe: bool = False, path: str = "-", select=(), ignore=(),
             extra_rules=(), context: CheckContext = NO_CONTEXT, engine: Engine | None = None,
             source: str | None = None) -> tuple[str, list[Edit], list[Finding]]:
    """Return (fixed text, applied edits, remaining findings); with `source`, fixes that
    would change the segmentation are held back so the pairing survives."""
    engine = engine or build_engine(select, ignore, extra_rules)
    doc = _document(text, path, context, source)
    return engine.fix(doc, unsafe=unsafe, keep=_keep(source))
