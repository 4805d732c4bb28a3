"""JSON and JSON Lines output: the stable contract (see README, "JSON output")."""

from __future__ import annotations

import json


def render(findings, **_) -> str:
    return json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2) + "\n"


def render_lines(findings, **_) -> str:
    return "".join(json.dumps(f.as_dict(), ensure_ascii=False) + "\n" for f in findings)
