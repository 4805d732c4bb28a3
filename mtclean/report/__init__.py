"""Report renderers, one module per output format; each takes findings and returns text.

`STREAMS` holds the formats that can also be written a finding at a time (large files)."""

from __future__ import annotations

from . import github, json_report, sarif, text

FORMATS = {
    "text": text.render,
    "json": json_report.render,
    "jsonl": json_report.render_lines,
    "github": github.render,
    "sarif": sarif.render,
}

STREAMS = {
    "text": text.stream,
    "json": json_report.stream,
    "jsonl": json_report.stream_lines,
    "github": github.stream,
}
