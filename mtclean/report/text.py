"""Human-readable report: ruff-style location line, the source line, a caret, the fix."""

from __future__ import annotations

import json
import os
import unicodedata
from collections import Counter


def _display(f, doc) -> tuple[int, int, int]:
    """Where to point the caret: skip leading line breaks of a span (e.g. a removed
    trailer paragraph starts at the blank line before it) so the reader sees the text."""
    if doc is None or not f.text[:1].isspace() or not f.text.strip():
        return f.line, f.column, f.end - f.start
    lead = len(f.text) - len(f.text.lstrip())
    line, col = doc.position(f.start + lead)
    return line, col, f.end - f.start - lead


def wants_color(stream) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set to anything (no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def char_width(ch: str) -> int:
    """Terminal columns of one character: wide and full-width (CJK) take two, combining
    marks and other zero-width characters none, everything else one."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _pad(prefix: str) -> str:
    """Blank space as wide on screen as `prefix`; a tab stays a tab, so it lines up too."""
    return "".join("\t" if ch == "\t" else " " * char_width(ch) for ch in prefix)


def _carets(span: str) -> str:
    """One caret per screen column of `span`, at least one (an empty or zero-width span)."""
    return "^" * max(1, sum(1 if ch == "\t" else char_width(ch) for ch in span))


def render(findings, docs=None, color: bool = False, **kw) -> str:
    return "".join(stream(findings, docs=docs, color=color, **kw))


def stream(findings, docs=None, color: bool = False, summary: bool = True, **_):
    """Yield the report a finding at a time: a large file's report is never held whole.
    `summary=False` (--quiet) leaves out the count."""
    docs = docs or {}
    bold = (lambda s: f"\x1b[1m{s}\x1b[0m") if color else (lambda s: s)
    red = (lambda s: f"\x1b[31m{s}\x1b[0m") if color else (lambda s: s)
    for f in findings:
        line_no, col, span = _display(f, docs.get(f.path))
        out = [f"{bold(f'{f.path}:{line_no}:{col}:')} {red(f.rule)} [{f.category}] {f.message}"]
        doc = docs.get(f.path)
        if doc is not None:
            line = doc.line_text(line_no)
            marked = line[col - 1:col - 1 + max(1, span)]
            if len(line) <= 240:
                out.append(f"    | {line}")
                out.append(f"    | {_pad(line[:col - 1])}{_carets(marked)}")
            else:
                a = max(0, col - 60)
                snippet = line[a:col + 60]
                out.append(f"    | …{snippet}…")
                out.append(f"    |  {_pad(line[a:col - 1])}{_carets(marked[:60])}")
        if f.fix is not None:
            rep = f.fix.replacement
            verb = "delete" if rep == "" else "replace with " + json.dumps(
                rep if len(rep) <= 200 else rep[:200] + "…", ensure_ascii=False)
            out.append(f"    = fix ({f.fix.safety}): {verb}")
        yield "\n".join(out) + "\n"
    if findings and summary:
        fixable = sum(1 for f in findings if f.fix is not None and f.fix.safety == "safe")
        unsafe = sum(1 for f in findings if f.fix is not None and f.fix.safety == "unsafe")
        yield (f"\nFound {len(findings)} finding{'s' if len(findings) != 1 else ''}"
               f" ({fixable} fixable with `mtclean fix`, {unsafe} more with --unsafe-fixes).\n")


def statistics(findings, **_) -> str:
    """One row per rule: count, id, category, fixability (like `ruff --statistics`)."""
    counts = Counter((f.rule, f.category) for f in findings)
    fixable = Counter(f.rule for f in findings if f.fix is not None and f.fix.safety == "safe")
    rows = [f"{n:6d}\t{rid}\t{cat}\t{'[*]' if fixable[rid] else '   '}"
            for (rid, cat), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return "\n".join(rows) + ("\n" if rows else "")
