"""Spacing checks that a regex alone cannot express well."""

from __future__ import annotations

import regex

from . import check
from ..finding import Hit

_INDENT = regex.compile(r"^[ \t]+(?=[\p{L}\p{N}\"“‘(\[])", regex.MULTILINE)
_MARKDOWN_BLOCK = regex.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|>|#|\|)")


@check("paragraph-indent")
def paragraph_indent(doc, rule):
    """Flag leading spaces/tabs at the start of a prose paragraph.

    Markdown code blocks (4+ spaces in .md files), list items and their continuation
    lines are structure, not stray indentation.
    """
    text = doc.text
    markdown = doc.path.lower().endswith((".md", ".markdown"))
    for a, b in doc.paragraphs:
        line_start = text.rfind("\n", 0, a) + 1
        indent = text[line_start:a]
        if not indent or indent.strip(" \t"):
            continue
        if markdown and len(indent.expandtabs(4)) >= 4:
            continue
        prev_line_start = text.rfind("\n", 0, max(0, line_start - 1)) + 1
        prev_block = text[prev_line_start:line_start]
        if _MARKDOWN_BLOCK.match(text[a:b]) or (line_start and _MARKDOWN_BLOCK.match(prev_block)):
            continue
        yield Hit(line_start, a, replacement="")
