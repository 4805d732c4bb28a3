"""SARIF 2.1.0 output for code-scanning dashboards."""

from __future__ import annotations

import json
from pathlib import PurePath
from urllib.parse import quote

from .. import __version__

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    """SARIF locations are URI references: forward slashes, special characters escaped."""
    return quote(PurePath(path).as_posix())


def render(findings, rules=(), **_) -> str:
    rule_meta = {r.id: r for r in rules}
    used = sorted({f.rule for f in findings})
    results = []
    for f in findings:
        res = {
            "ruleId": f.rule,
            "level": _LEVEL.get(f.severity, "warning"),
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": _uri(f.path)},
                "region": {"startLine": f.line, "startColumn": f.column,
                           "endLine": f.end_line, "endColumn": f.end_column,
                           "charOffset": f.start, "charLength": f.end - f.start},
            }}],
            "properties": {"category": f.category, "source": f.source},
        }
        if f.fix is not None:
            res["fixes"] = [{
                "description": {"text": f"{f.fix.safety} fix"},
                "artifactChanges": [{"artifactLocation": {"uri": _uri(f.path)}, "replacements": [{
                    "deletedRegion": {"charOffset": f.start, "charLength": f.end - f.start},
                    "insertedContent": {"text": f.fix.replacement}}]}],
            }]
        results.append(res)
    driver_rules = []
    for rid in used:
        r = rule_meta.get(rid)
        entry = {"id": rid}
        if r is not None:
            entry.update({"name": r.name, "shortDescription": {"text": r.message},
                          "fullDescription": {"text": r.rationale or r.message},
                          "properties": {"category": r.category}})
        driver_rules.append(entry)
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "mtclean", "version": __version__,
                                      "rules": driver_rules}},
                  # Columns and charOffset/charLength count code points, like the JSON.
                  "columnKind": "unicodeCodePoints",
                  "results": results}],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
