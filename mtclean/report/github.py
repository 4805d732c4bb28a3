"""GitHub Actions workflow commands, so findings show up as annotations on a PR."""

from __future__ import annotations


def _escape(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(s: str) -> str:
    return _escape(s).replace(":", "%3A").replace(",", "%2C")


_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def render(findings, **kw) -> str:
    return "".join(stream(findings, **kw))


def stream(findings, **_):
    for f in findings:
        yield (
            f"::{_LEVEL.get(f.severity, 'warning')} file={_prop(f.path)},line={f.line},"
            f"col={f.column},endLine={f.end_line},endColumn={f.end_column},"
            f"title={_prop(f.rule + ' ' + f.category)}::{_escape(f.message)}\n"
        )
