"""docs/architecture.md's rule id → file map matches the rules and checks as they are."""

from __future__ import annotations

import re
from pathlib import Path

from mtclean.ruledoc import rule_map

DOC = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"


def test_rule_map_matches_the_code():
    rows = re.findall(r"^\| ([A-Z]{2,6}\d{3}) \| (.+?) \| (.+?) \|$", DOC.read_text(encoding="utf-8"), re.M)
    fresh = rule_map()
    table = "\n".join(f"| {a} | {b} | {c} |" for a, b, c in fresh)
    assert rows == fresh, f"docs/architecture.md's rule map is out of date; the table now reads:\n{table}"
