"""Suppressions: inline comments for Markdown/HTML-ish text, a sidecar file for plain text.

Inline (anywhere in the text, an HTML comment, so Markdown renders it invisibly):
  <!-- mtclean: ignore CAP001,NAME001 -->     this line (or the next one, if alone on its line)
  <!-- mtclean: ignore-next-line QUO001 -->   the following line
  <!-- mtclean: disable REP001 --> ... <!-- mtclean: enable REP001 -->   a region
  <!-- mtclean: ignore-file -->               the whole file
Without ids a comment applies to every rule. Ids may also be categories or id prefixes.

Sidecar (`.mtcleanignore` in the file's directory), one entry a line:
  FILE-GLOB  RULE  [line N | "flagged text"]
"""

from __future__ import annotations

import fnmatch
import time
from dataclasses import dataclass
from pathlib import Path

import regex

from . import selectors
from .document import Document
from .finding import Finding
from .textio import read_regular_bytes

_COMMENT = regex.compile(
    r"<!--\s*mtclean:\s*(?P<verb>ignore-next-line|ignore-file|ignore|disable|enable)"
    r"(?P<ids>[\w\s,.-]*?)\s*-->", regex.IGNORECASE)


def _ids(raw: str) -> list[str]:
    return [t for t in regex.split(r"[\s,]+", raw.strip()) if t]


def _matches(f: Finding, ids: list[str]) -> bool:
    return not ids or selectors.any_match(ids, f.rule, f.category)


@dataclass
class _Scope:
    start_line: int
    end_line: int
    ids: list[str]


def inline_filter(doc: Document, findings: list[Finding]) -> list[Finding]:
    """Drop findings silenced by inline comments, and findings inside the comments."""
    if "mtclean:" not in doc.text:
        return findings
    scopes: list[_Scope] = []
    comments: list[tuple[int, int]] = []
    open_regions: list[tuple[int, list[str]]] = []
    for m in _COMMENT.finditer(doc.text):
        comments.append(m.span())
        verb, ids = m.group("verb").lower(), _ids(m.group("ids"))
        line, _ = doc.position(m.start())
        alone = doc.line_text(line).strip() == m.group(0).strip()
        if verb == "ignore-file":
            scopes.append(_Scope(1, 1 << 30, ids))
        elif verb == "ignore":
            scopes.append(_Scope(line, line + (1 if alone else 0), ids))
        elif verb == "ignore-next-line":
            scopes.append(_Scope(line + 1, line + 1, ids))
        elif verb == "disable":
            open_regions.append((line, ids))
        elif verb == "enable":
            keep = []
            for start, rids in open_regions:
                if not ids or set(rids) <= set(ids):
                    scopes.append(_Scope(start, line, rids))
                else:
                    keep.append((start, rids))
            open_regions = keep
    for start, rids in open_regions:
        scopes.append(_Scope(start, 1 << 30, rids))

    def silenced(f: Finding) -> bool:
        if any(a <= f.start < b or a < f.end <= b for a, b in comments):
            return True
        return any(s.start_line <= f.line <= s.end_line and _matches(f, s.ids) for s in scopes)

    return [f for f in findings if not silenced(f)]


@dataclass
class SidecarEntry:
    glob: str
    rule: str
    line: int | None
    text: str | None


def read_sidecar(path: Path) -> list[SidecarEntry]:
    """Parse a `.mtcleanignore` file; malformed lines are skipped with no effect."""
    import shlex  # only where a sidecar exists
    entries = []
    try:
        raw = read_regular_bytes(path, 16 << 20).decode("utf-8")
    except ValueError:  # unreadable, not UTF-8, or a FIFO/device that would block or never end
        return entries
    for line in raw.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            parts = shlex.split(line)
        except ValueError:
            continue
        if len(parts) < 2:
            continue
        glob, rule, rest = parts[0], parts[1], parts[2:]
        if rest[:1] == ["line"] and len(rest) == 2 and rest[1].isdigit():
            entries.append(SidecarEntry(glob, rule, int(rest[1]), None))
        elif len(rest) == 1:
            entries.append(SidecarEntry(glob, rule, None, rest[0]))
        elif not rest:
            entries.append(SidecarEntry(glob, rule, None, None))
    return entries


_SIDECARS: dict[str, tuple[float, float | None, list[SidecarEntry]]] = {}
_RECHECK_SECONDS = 1.0


def sidecar_for(path: str) -> list[SidecarEntry]:
    """Entries of the `.mtcleanignore` beside `path` (none when absent).

    Batch runs ask once per record, so the answer is cached and the file is looked at
    again at most once a second: an edit made during a run still takes effect.
    """
    now = time.monotonic()
    cached = _SIDECARS.get(path)
    if cached is not None and now - cached[0] < _RECHECK_SECONDS:
        return cached[2]
    side = Path(path).resolve().parent / ".mtcleanignore"
    try:
        mtime = side.stat().st_mtime if side.is_file() else None
    except OSError:
        mtime = None
    if cached is not None and cached[1] == mtime:
        entries = cached[2]
    else:
        entries = read_sidecar(side) if mtime is not None else []
    _SIDECARS[path] = (now, mtime, entries)
    return entries


def sidecar_filter(doc: Document, findings: list[Finding]) -> list[Finding]:
    """Drop findings listed in the `.mtcleanignore` beside the file."""
    if doc.path in ("-", "<stdin>") or not findings:
        return findings
    all_entries = sidecar_for(doc.path)
    if not all_entries:
        return findings
    name = Path(doc.path).name
    entries = [e for e in all_entries if fnmatch.fnmatch(name, e.glob)]

    def silenced(f: Finding) -> bool:
        for e in entries:
            if not _matches(f, [e.rule]):
                continue
            if e.line is not None and e.line != f.line:
                continue
            if e.text is not None and e.text != f.text:
                continue
            return True
        return False

    return [f for f in findings if not silenced(f)]


def apply_all(doc: Document, findings: list[Finding]) -> list[Finding]:
    return sidecar_filter(doc, inline_filter(doc, findings))


def forget_sidecars() -> None:
    """Drop cached sidecars (after writing one, the next check must see it at once)."""
    _SIDECARS.clear()
