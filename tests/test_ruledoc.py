"""`mtclean rules` shows the real fix safety; `rules show` prints ruff-style rule docs."""

from __future__ import annotations

from conftest import RULE_FILE_HEAD


def _listing(run_cli, *args) -> dict[str, str]:
    r = run_cli("rules", *args)
    assert r.exit_code == 0
    return {cols[0]: cols[2].strip() for cols in (line.split("\t") for line in r.stdout.splitlines())}


def test_rules_list_the_real_fix_safety(run_cli, write):
    phrases = write("house.yaml", RULE_FILE_HEAD + """\
  - id: USR010
    name: house-phrases
    category: style
    message: Use the house form
    kind: phrases
    phrases:
      - {match: "per cent", replacement: "percent", safety: safe}
    examples:
      flag: [{text: "It rose 5 per cent.", fixed: "It rose 5 percent."}]
      pass: ["It rose 5 percent."]
""")
    safety = _listing(run_cli, "--rules", phrases)
    assert safety["USR010"] == "safe"          # was `display`: the rule-level default
    assert safety["SB003"] == "safe/unsafe"    # was `unsafe`: safe after a full stop
    assert safety["SPC001"] == "safe" and safety["QUO003"] == "none"
    assert all("{text}" not in line for line in run_cli("rules").stdout.splitlines())


def test_rules_show_a_check_rule(run_cli):
    out = run_cli("rules", "show", "CAP001").stdout
    assert "{text}" not in out and "{replacement}" not in out
    assert "Implemented in: rules/capitalization.yaml:" in out
    assert "spurious_capital() in mtclean/checks/capitals/spurious.py" in out
    for section in ("## What it does", "## Why it matters", "## Example", "## Fix safety", "## Options"):
        assert section in out
    assert "Before:\n    'The two sides remain the most Close partners" in out
    assert "After `mtclean fix --unsafe-fixes`:" in out
    assert "The fix replaces “Close” with “close”" in out
    assert "min_zipf: default 3.0; this rule sets 3.0  (wordfreq Zipf frequency" in out


def test_rules_show_reads_option_defaults_from_the_code(run_cli):
    out = run_cli("rules", "show", "REP001").stdout
    assert "allow: default []" in out  # not set by the rule file: only the code knows it
    out = run_cli("rules", "show", "SB002").stdout
    assert "max_breaks: default 2" in out and "wrap_width: default 100" in out


def test_rules_show_a_pattern_rule(run_cli):
    out = run_cli("rules", "show", "SPC002").stdout
    assert "(a pattern rule: the rule file is the whole implementation)" in out
    assert "Matches the pattern `" in out and "Reports: Space before punctuation" in out
    assert "After `mtclean fix`:\n    'Trade grew, officials said.'" in out
    assert "## Options\n  none" in out
