"""The entity gazetteer: literal translations of entity names and the names English news
uses, kept as data in `rules/entities/` (read by ENT001 and the source-aware checks).

All literal forms go into one Aho–Corasick automaton (pyahocorasick), built once per set
of gazetteer files and cached, so a scan stays linear in the text however many entries
the gazetteer holds. Each entry carries its own fix safety.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import regex
import yaml

from .. import rulecache
from ..errors import RuleFileError
from ..finding import SAFETIES
from ..blocks import line_blocks
from ..words import long_capitals
from ..yamlio import LineLoader
from .wordlists import zipf

_ENTRY_KEYS = {"match", "variants", "canonical", "zh", "safety", "note", "article"}
_WORDCH = regex.compile(r"[\p{L}\p{N}_-]")
# Capitalized words of four letters or more; `[A-Z][a-z]{3,}` on ASCII text. A form found
# as a whole word has all of its own such words among the text's: no match runs into it.
_CAPS = regex.compile(r"\p{Lu}\p{Ll}{3,}")


@dataclass(frozen=True)
class Entry:
    """One gazetteer entry: a literal rendering and the name English news uses."""

    match: str
    canonical: str
    zh: str
    safety: str
    note: str
    drop_article: bool
    source: str


def _parse_entry(raw, where: str) -> list[Entry]:
    if not isinstance(raw, dict):
        raise RuleFileError(f"{where}: each entry of 'entities' must be a mapping")
    where = f"{where.rsplit(':', 1)[0]}:{raw.get('__line__', '?')}"
    unknown = set(raw) - _ENTRY_KEYS - {"__line__"}
    if unknown:
        raise RuleFileError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; "
                            f"use {', '.join(sorted(_ENTRY_KEYS))}")
    for key in ("match", "canonical"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise RuleFileError(f"{where}: entity needs a non-empty '{key}' string")
    safety = raw.get("safety", "unsafe")
    if safety not in SAFETIES:
        raise RuleFileError(f"{where}: safety {safety!r} is not one of {', '.join(SAFETIES)}")
    variants = raw.get("variants") or []
    if not isinstance(variants, list) or not all(isinstance(v, str) and v.strip() for v in variants):
        raise RuleFileError(f"{where}: 'variants' must be a list of non-empty strings")
    article = raw.get("article", "keep")
    if article not in ("keep", "drop"):
        raise RuleFileError(f"{where}: 'article' must be 'keep' or 'drop', not {article!r}")
    return [Entry(form.strip(), raw["canonical"].strip(), str(raw.get("zh", "")), safety,
                  str(raw.get("note", "")), article == "drop", where)
            for form in [raw["match"], *variants]]


def load_gazetteer(path: Path) -> list[Entry]:
    """Read one gazetteer file; raise RuleFileError naming the file and line on bad input."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(f"{path}: cannot read gazetteer ({exc})") from None
    return rulecache.cached(str(path), raw, lambda: _parse_gazetteer(path, text))


def _parse_gazetteer(path: Path, text: str) -> list[Entry]:
    try:
        data = yaml.load(text, Loader=LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise RuleFileError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
        raise RuleFileError(f"{path}:1: a gazetteer needs 'version: 1' and an 'entities' list")
    if data.get("version") != 1:
        raise RuleFileError(f"{path}:1: unsupported gazetteer version {data.get('version')!r}; use 1")
    out: list[Entry] = []
    for raw in data["entities"]:
        out.extend(_parse_entry(raw, f"{path}:{data.get('__line__', 1)}"))
    return out


def gazetteer_files(paths: list[Path]) -> list[Path]:
    """Expand directories into their YAML files (sorted); a missing path is an error."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml")))
        elif p.is_file():
            files.append(p)
        else:
            raise RuleFileError(f"{p}: gazetteer file or directory not found")
    return files


class Gazetteer:
    """Entries plus the automaton that finds all of them in one pass."""

    def __init__(self, entries: list[Entry]):
        import ahocorasick

        self.entries: dict[str, Entry] = {}
        for e in entries:
            self.entries.setdefault(e.match, e)  # the first file wins on duplicates
        self.automaton = ahocorasick.Automaton()
        for key in self.entries:
            self.automaton.add_word(key, key)
        if self.entries:
            self.automaton.make_automaton()
        self._forms = _forms_by_rarest_word(self.entries)
        self._rare = frozenset(self._forms)
        self._scan_all = None in self._forms  # a form without such a word: no screen

    def screen_words(self) -> frozenset[str] | None:
        """The words `may_occur` screens an ASCII text of up to `SCREEN_CHARS` characters
        with (it holds one of them among its long capitals, or no form), or None when
        every text passes."""
        return None if self._scan_all else self._rare

    def may_occur(self, text: str, caps: list[str] | None = None) -> bool:
        """False when no form occurs in the text, tested cheaply: a form holds its rarest
        capitalized word, so most segments are ruled out by one set test and the rest by
        substring tests of the few forms filed under the words they hold."""
        if self._scan_all or len(text) > SCREEN_CHARS:
            return True  # a form without such words, or a long text: scan it all
        if caps is None:  # (the document's view, when the caller has one)
            caps = long_capitals(text)  # the same words as `_CAPS` finds, when all are ASCII
        if not text.isascii() and not "".join(caps).isascii():
            caps = _CAPS.findall(text)
        if self._rare.isdisjoint(caps):
            return False
        for word in self._rare.intersection(caps):
            forms = self._forms[word]
            if forms is None or any(map(text.__contains__, forms)):
                return True
        return False

    def find(self, text: str):
        """Yield (start, end, entry) for whole-word occurrences, longest match first."""
        if not self.entries or not text:
            return
        n = len(text)
        for a, b in line_blocks(text):  # forms hold no newline; the automaton copies its input
            block = text if (a, b) == (0, n) else text[a:b]
            for last, key in self.automaton.iter_long(block):
                start, end = a + last - len(key) + 1, a + last + 1
                if start > 0 and _WORDCH.match(text[start - 1]):
                    continue
                if end < n and _WORDCH.match(text[end]):
                    continue
                yield start, end, self.entries[key]


SCREEN_CHARS = 2000  # longer texts skip `may_occur`'s substring tests (one per form)
FEW_FORMS = 16  # forms filed under one word beyond which `may_occur` just says yes


def _forms_by_rarest_word(entries) -> dict[str | None, tuple[str, ...] | None]:
    """Forms filed under their rarest capitalized word of four letters or more (None:
    too many to test one by one); a form without such a word is filed under None."""
    forms: dict[str | None, list[str]] = {}
    for form in entries:
        words = _CAPS.findall(form)
        rarest = min(words, key=lambda w: (zipf(w.lower()), w)) if words else None
        forms.setdefault(rarest, []).append(form)
    return {w: tuple(f) if len(f) <= FEW_FORMS else None for w, f in forms.items()}


_CACHE: dict[tuple, Gazetteer] = {}


_BY_PATHS: dict[tuple, Gazetteer] = {}


def gazetteer_for(paths: list[Path]) -> Gazetteer:
    """Load the gazetteer for these paths once per process (not per document: listing and
    stat-ing the files for every record cost a quarter of batch time)."""
    key = tuple(str(p) for p in paths)
    gaz = _BY_PATHS.get(key)
    if gaz is None:
        gaz = _BY_PATHS[key] = _load_gazetteer(paths)
    return gaz


def _load_gazetteer(paths: list[Path]) -> Gazetteer:
    """Load (or reuse) the gazetteer for these files; reloads when a file changes."""
    files = gazetteer_files(paths)
    key = tuple((str(f), f.stat().st_mtime_ns) for f in files)
    gaz = _CACHE.get(key)
    if gaz is None:
        entries: list[Entry] = []
        for f in files:
            entries.extend(load_gazetteer(f))
        gaz = Gazetteer(entries)
        _CACHE[key] = gaz
    return gaz
