"""Unified diffs of a text before and after fixes (`check --diff`, the review page's Save)."""

from __future__ import annotations

import difflib


def unified_diff(old: str, new: str, name: str) -> str:
    """A unified diff that, like git's, marks a last line without a newline."""
    lines = []
    for line in difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                     f"a/{name}", f"b/{name}"):
        lines.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(lines)
