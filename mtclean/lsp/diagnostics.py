"""Findings as LSP diagnostics, and the rule documentation shown on hover."""

from __future__ import annotations

from functools import lru_cache
from itertools import islice
from pathlib import Path

import regex

from lsprotocol import types

from ..editing.teach import quoted
from ..finding import Finding
from ..rules import Rule
from ..ruledoc import render_rule
from .positions import Positions

SOURCE = "mtclean"
MAX_RELATED = 5
SEVERITY = {"error": types.DiagnosticSeverity.Error,
            "warning": types.DiagnosticSeverity.Warning,
            "info": types.DiagnosticSeverity.Information}


def diagnostic(f: Finding, pos: Positions, rule: Rule | None, uri: str | None = None
               ) -> types.Diagnostic:
    """One finding as a diagnostic: the rule id as `code`, its file as `codeDescription`;
    with `uri`, a name variant also links to where the document uses the other spelling."""
    message = f.message
    if f.fix is not None:
        shown = quoted(f.fix.replacement) if f.fix.replacement else "delete"
        message += f" → {shown}" + ("" if f.fix.safety == "safe" else f" ({f.fix.safety} fix)")
    desc = _description(rule.source_file) if rule is not None and rule.source_file else None
    related = _other_spelling(f, pos, uri) if uri and f.rule == "NAME001" and f.fix else None
    return types.Diagnostic(
        range=pos.range(f.start, f.end), message=message, severity=SEVERITY.get(f.severity),
        code=f.rule, code_description=desc, source=SOURCE, related_information=related)


def _other_spelling(f: Finding, pos: Positions, uri: str) -> list[types.DiagnosticRelatedInformation] | None:
    """Where the spelling the fix proposes occurs (the first few), as whole words."""
    word = f.fix.replacement
    if not word:
        return None
    pattern = regex.compile(rf"(?<![\p{{L}}\p{{M}}\p{{N}}]){regex.escape(word)}(?![\p{{L}}\p{{M}}\p{{N}}])")
    out = [types.DiagnosticRelatedInformation(types.Location(uri, pos.range(*m.span())),
                                              f"“{word}” here")
           for m in islice(pattern.finditer(pos.text), MAX_RELATED)]
    return out or None


@lru_cache(maxsize=256)
def _description(source_file: str) -> types.CodeDescription:
    """A link to the rule's file (resolving a path costs system calls: once per file)."""
    return types.CodeDescription(href=Path(source_file).resolve().as_uri())


def hover_text(findings: list[Finding], rules: dict[str, Rule]) -> str:
    """Markdown for the findings under the cursor: message, then the rule's documentation."""
    parts = []
    for f in findings:
        rule = rules.get(f.rule)
        doc = render_rule(rule) if rule is not None else f"{f.rule} ({f.source})"
        parts.append(f"**{f.rule}** [{f.category}] {f.message}\n\n```text\n{doc}\n```")
    return "\n\n---\n\n".join(parts)
