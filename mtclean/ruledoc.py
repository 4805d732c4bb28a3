"""Render a rule's documentation in ruff's sections: what, why, example, fix safety."""

from __future__ import annotations

from .rules import Rule


def render_rule(r: Rule) -> str:
    lines = [f"{r.id} ({r.name})", "", f"Category: {r.category}    Severity: {r.severity}    "
             f"Fix: {r.fixable}", f"Defined in: {r.source_file}:{r.line}", "",
             "## What it does", r.message, ""]
    if r.rationale:
        lines += ["## Why it matters", r.rationale, ""]
    if r.flag_examples:
        lines.append("## Flagged")
        for i, ex in enumerate(r.flag_examples):
            lines.append(f"  - {ex.text!r}")
            if ("flag", i) in r.example_sources:
                lines.append(f"    source: {r.example_sources['flag', i]!r}")
            if ex.fixed is not None:
                lines.append(f"    fixed: {ex.fixed!r}")
        lines.append("")
    if r.pass_examples:
        lines.append("## Not flagged")
        for i, t in enumerate(r.pass_examples):
            lines.append(f"  - {t!r}")
            if ("pass", i) in r.example_sources:
                lines.append(f"    source: {r.example_sources['pass', i]!r}")
        lines.append("")
    if r.options:
        lines += ["## Options", *(f"  {k}: {v!r}" for k, v in r.options.items()), ""]
    lines += ["## Fix safety",
              {"safe": "Safe: applied by `mtclean fix`.",
               "unsafe": "Unsafe: applied only with --unsafe-fixes; review the change.",
               "display": "Display only: shown as a suggestion, never applied."}.get(r.safety, r.safety)]
    return "\n".join(lines)
