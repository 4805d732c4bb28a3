"""Report renderers, one module per output format; each takes findings and returns text.

A renderer's module is imported when that format is asked for, so a text report does not
load `json` or the SARIF writer. `streamer` gives, for the formats that have one, a writer
of the report a finding at a time (large files).
"""

from __future__ import annotations

import importlib

# format -> (module in this package, function)
_RENDERERS = {
    "text": ("text", "render"),
    "json": ("json_report", "render"),
    "jsonl": ("json_report", "render_lines"),
    "github": ("github", "render"),
    "sarif": ("sarif", "render"),
}
FORMATS = tuple(_RENDERERS)


def renderer(fmt: str):
    """The render function of output format `fmt` (one of FORMATS)."""
    module, name = _RENDERERS[fmt]
    return getattr(importlib.import_module(f".{module}", __name__), name)

# format -> (module, function) writing the report a finding at a time
_STREAMS = {
    "text": ("text", "stream"),
    "json": ("json_report", "stream"),
    "jsonl": ("json_report", "stream_lines"),
    "github": ("github", "stream"),
}


def streamer(fmt: str):
    """The streaming writer of format `fmt`, or None when it has none (SARIF)."""
    if fmt not in _STREAMS:
        return None
    module, name = _STREAMS[fmt]
    return getattr(importlib.import_module(f".{module}", __name__), name)
