"""JSON and JSON Lines output: the stable contract (see README, "JSON output")."""

from __future__ import annotations

import json


def render(findings, **kw) -> str:
    return "".join(stream(findings, **kw))


def stream(findings, **_):
    """The JSON array a finding at a time (same text as json.dumps(..., indent=2))."""
    if not findings:
        yield "[]\n"
        return
    sep = "[\n  "
    for f in findings:
        yield sep + json.dumps(f.as_dict(), ensure_ascii=False, indent=2).replace("\n", "\n  ")
        sep = ",\n  "
    yield "\n]\n"


def render_lines(findings, **kw) -> str:
    return "".join(stream_lines(findings, **kw))


def stream_lines(findings, **_):
    for f in findings:
        yield json.dumps(f.as_dict(), ensure_ascii=False) + "\n"
