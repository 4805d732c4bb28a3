"""Human-readable report: ruff-style location line, the source line, a caret, the fix."""

from __future__ import annotations

from collections import Counter


def _show(s: str) -> str:
    """Make invisible characters visible in a one-line preview."""
    return (s.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
            .replace("\u3000", "\\u3000"))


def render(findings, docs=None, color: bool = False, **_) -> str:
    docs = docs or {}
    out = []
    for f in findings:
        bold = (lambda s: f"\x1b[1m{s}\x1b[0m") if color else (lambda s: s)
        red = (lambda s: f"\x1b[31m{s}\x1b[0m") if color else (lambda s: s)
        out.append(f"{bold(f'{f.path}:{f.line}:{f.column}:')} {red(f.rule)} "
                   f"[{f.category}] {f.message}")
        doc = docs.get(f.path)
        if doc is not None:
            line = doc.line_text(f.line)
            if len(line) <= 240:
                width = max(1, (f.end - f.start) if f.end_line == f.line else len(line) - f.column + 1)
                out.append(f"    | {line}")
                out.append(f"    | {' ' * (f.column - 1)}{'^' * width}")
            else:
                a = max(0, f.column - 60)
                snippet = line[a:f.column + 60]
                out.append(f"    | …{snippet}…")
                out.append(f"    |  {' ' * (f.column - 1 - a)}{'^' * max(1, min(f.end - f.start, 60))}")
        if f.fix is not None:
            verb = "delete" if f.fix.replacement == "" else f"replace with \"{_show(f.fix.replacement)}\""
            out.append(f"    = fix ({f.fix.safety}): {verb}")
    if findings:
        fixable = sum(1 for f in findings if f.fix is not None and f.fix.safety == "safe")
        unsafe = sum(1 for f in findings if f.fix is not None and f.fix.safety == "unsafe")
        out.append("")
        out.append(f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''}"
                   f" ({fixable} fixable with `mtclean fix`, {unsafe} more with --unsafe-fixes).")
    return "\n".join(out) + ("\n" if out else "")


def statistics(findings, **_) -> str:
    """One row per rule: count, id, category, fixability (like `ruff --statistics`)."""
    counts = Counter((f.rule, f.category) for f in findings)
    fixable = Counter(f.rule for f in findings if f.fix is not None and f.fix.safety == "safe")
    rows = [f"{n:6d}\t{rid}\t{cat}\t{'[*]' if fixable[rid] else '   '}"
            for (rid, cat), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return "\n".join(rows) + ("\n" if rows else "")
