"""Name lexicons: YAML files that pin canonical spellings and keep look-alikes apart.

Format (version 1)::

    version: 1
    names:
      - canonical: Jinping
        variants: [Jingping]
    distinct:
      - [Shanxi, Shaanxi]

The built-in lexicons in `rules/names/` are always loaded; a project adds its own with
`names = ["path/to/lexicon.yaml"]` in its mtclean configuration.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import regex
import yaml

from ..errors import RuleFileError
from ..yamlio import BUILTIN_RULES_DIR, LineLoader
from ..textio import read_regular_bytes

BUILTIN_LEXICON_DIR = BUILTIN_RULES_DIR / "names"
FORMAT_VERSION = 1
FEW_VARIANTS = 32  # up to this many, test each variant with `in` before running the pattern
_ASCII_LONG_CAP = regex.compile(r"[A-Z][a-z]{3,}")  # a word `long_capitals` lists whole


@dataclass
class Lexicon:
    """Pinned spellings (spelling -> canonical) and pairs that are different names."""

    canonical: dict[str, str] = field(default_factory=dict)
    distinct: set[frozenset[str]] = field(default_factory=set)
    _pattern: regex.Pattern | None = None
    _few: tuple[str, ...] | None = None  # the variants, when there are few
    _caps: frozenset[str] | None = None  # the variants, when all are `[A-Z][a-z]{3,}` words

    def canonical_of(self, spelling: str) -> str | None:
        return self.canonical.get(spelling)

    def is_distinct(self, a: str, b: str) -> bool:
        return frozenset((a, b)) in self.distinct

    def find_variants(self, text: str):
        """Yield (start, end, canonical) for each variant spelling found as whole words."""
        if not self.may_hold_variants(text):
            return
        for m in self._pattern.finditer(text):
            yield m.start(), m.end(), self.canonical[m.group()]

    def may_hold_variants(self, text: str, caps: list[str] | None = None) -> bool:
        """False when no variant spelling occurs in the text at all: with few variants one
        `in` test each rules most texts out faster than the pattern (and no generator)."""
        if self._pattern is None and not self._compile():
            return False
        if self._caps is not None:
            # A whole-word variant of that shape is one of the text's long capitalized
            # words (`caps`: the document's view, which the name and entity checks share).
            if caps is not None:
                return not self._caps.isdisjoint(caps)
        return self._few is None or any(map(text.__contains__, self._few))

    def variant_capitals(self) -> frozenset[str] | None:
        """The variants when each is one `[A-Z][a-z]{3,}` word (`may_hold_variants` then
        tests a text's long capitals for them), no words when there are no variants, or
        None."""
        if self._pattern is None and not self._compile():
            return frozenset()
        return self._caps

    def _compile(self) -> bool:
        """Sort and compile the variants once (this runs for every segment); False when
        there are none."""
        variants = sorted((v for v, c in self.canonical.items() if v != c), key=len, reverse=True)
        if not variants:
            return False
        self._pattern = regex.compile(
            r"(?<![\p{L}\p{M}\p{N}])(?:" + "|".join(map(regex.escape, variants))
            + r")(?![\p{L}\p{M}\p{N}])")
        self._few = tuple(variants) if len(variants) <= FEW_VARIANTS else None
        if all(_ASCII_LONG_CAP.fullmatch(v) for v in variants):
            self._caps = frozenset(variants)
        return True


def _fail(path: str, line: int, what: str) -> RuleFileError:
    return RuleFileError(f"{path}:{line}: name lexicon: {what}")


def _strings(value, path: str, line: int, what: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(path, line, f"{what} must be a list of non-empty strings")
    return [v.strip() for v in value]


def parse_lexicon(data, path: str, into: Lexicon) -> None:
    """Validate one lexicon's data and merge it into `into`."""
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
        raise _fail(path, 1, f"needs 'version: {FORMAT_VERSION}' and a 'names' and/or "
                    "'distinct' list")
    unknown = set(data) - {"version", "names", "distinct", "__line__"}
    if unknown:
        raise _fail(path, 1, f"unknown key(s): {', '.join(sorted(map(str, unknown)))}")
    for i, entry in enumerate(data.get("names") or [], 1):
        line = entry.get("__line__", 1) if isinstance(entry, dict) else 1
        if not isinstance(entry, dict) or not isinstance(entry.get("canonical"), str):
            raise _fail(path, line, f"names entry {i} needs a 'canonical' string")
        canon = entry["canonical"].strip()
        variants = _strings(entry.get("variants", []), path, line, f"names entry {i} 'variants'")
        previous = into.canonical.get(canon)
        if previous not in (None, canon):
            raise _fail(path, line, f"'{canon}' is pinned as a variant of '{previous}' elsewhere")
        into.canonical[canon] = canon
        for v in variants:
            if into.canonical.get(v, canon) != canon:
                raise _fail(path, line, f"variant '{v}' is pinned to two canonical spellings")
            if v != canon:
                into.canonical[v] = canon
    for i, pair in enumerate(data.get("distinct") or [], 1):
        names = _strings(pair, path, 1, f"distinct entry {i}")
        for a in names:
            for b in names:
                if a != b:
                    into.distinct.add(frozenset((a, b)))


def _read(path: str):
    try:
        raw = read_regular_bytes(path, 64 << 20).decode("utf-8")
    except ValueError as exc:  # not a regular file, too large, unreadable, not UTF-8
        raise RuleFileError(f"{path}: cannot read name lexicon ({exc}); "
                            "check the 'names' paths in your mtclean configuration") from None
    try:
        return yaml.load(raw, Loader=LineLoader)
    except RecursionError:
        raise RuleFileError(f"{path}: name lexicon is nested too deeply to read") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else path
        raise RuleFileError(f"{where}: name lexicon is not valid YAML "
                            f"({getattr(exc, 'problem', None) or 'syntax error'})") from None


@lru_cache(maxsize=16)
def _load(stamped: tuple[tuple[str, float], ...]) -> Lexicon:
    lex = Lexicon()
    for path, _ in stamped:
        parse_lexicon(_read(path), path, lex)
    return lex


@lru_cache(maxsize=1)
def _builtin_files() -> tuple[str, ...]:
    if not BUILTIN_LEXICON_DIR.is_dir():
        return ()
    return tuple(sorted(str(p) for p in BUILTIN_LEXICON_DIR.iterdir() if p.suffix in (".yaml", ".yml")))


RECHECK_SECONDS = 1.0  # how long a loaded set of lexicons is trusted without a stat
_clock = time.monotonic
_RECENT: dict[tuple[str, ...], tuple[float, Lexicon]] = {}


def _stamped(files: list[str]) -> tuple[tuple[str, float], ...]:
    """Each file with its modification time; a missing file is a configuration error."""
    stamped = []
    for f in files:
        try:
            stamped.append((f, os.stat(f).st_mtime))
        except OSError:
            raise RuleFileError(f"{f}: name lexicon not found; check the 'names' paths in "
                                "your mtclean configuration") from None
    return tuple(stamped)


def load_lexicons(paths) -> Lexicon:
    """Load the built-in lexicons plus `paths` (cached until a file changes).

    Files are stat-ed at most once per `RECHECK_SECONDS` for a given list of paths: batch
    runs call this for every segment, and a stat per file per segment was most of the cost.
    """
    key = tuple(map(str, paths)) if paths else ()
    recent = _RECENT.get(key)
    now = _clock()
    if recent is not None and now - recent[0] < RECHECK_SECONDS:
        return recent[1]
    lex = _load(_stamped(list(_builtin_files()) + list(key)))
    if len(_RECENT) >= 64:
        _RECENT.clear()
    _RECENT[key] = (now, lex)
    return lex


def forget_loaded() -> None:
    """Drop recently loaded lexicons (after writing one, the next check must see it)."""
    _RECENT.clear()
