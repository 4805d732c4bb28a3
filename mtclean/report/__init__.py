"""Report renderers, one module per output format; each takes findings and returns text."""

from __future__ import annotations

from . import github, json_report, sarif, text

FORMATS = {
    "text": text.render,
    "json": json_report.render,
    "jsonl": json_report.render_lines,
    "github": github.render,
    "sarif": sarif.render,
}
