"""The check/fix/rules commands: formats, selection, diff, statistics, stdin, exit codes.

Rules under test come from a small user rule file so the expectations do not move when
other rule families change; a few tests also exercise the built-in rule set.
"""

from __future__ import annotations

import json

import pytest

RULES = """\
version: 1
rules:
  - id: TST001
    name: british-colour
    category: style
    message: Use the house spelling "{replacement}"
    kind: pattern
    pattern: '\\bcolour\\b'
    fix: {replacement: color, safety: safe}
    examples:
      flag: [{text: "The colour.", fixed: "The color."}]
      pass: ["The color."]
  - id: TST002
    name: utilise
    category: style
    message: Prefer "use"
    kind: pattern
    pattern: '\\butilise\\b'
    fix: {replacement: use, safety: unsafe}
    examples:
      flag: [{text: "We utilise it.", fixed: "We use it."}]
      pass: ["We use it."]
  - id: TST003
    name: very-unique
    category: capitalization
    message: '"very unique" is redundant'
    kind: pattern
    pattern: '\\bvery unique\\b'
    examples:
      flag: ["A very unique plan."]
      pass: ["A unique plan."]
"""
SEL = ("--select", "TST")
CONTRACT_KEYS = ["path", "rule", "category", "severity", "message", "start", "end", "line",
                 "column", "end_line", "end_column", "text", "fix", "source"]
DIRTY = "The first line is fine.\nThe colour of the flag was very unique.\n"


@pytest.fixture
def rules_file(write):
    return write("user-rules.yaml", RULES)


@pytest.fixture
def cli(run_cli, rules_file):
    """run_cli with the test rule file loaded and only its rules selected."""
    return lambda *args, **kw: run_cli(*args, "--rules", rules_file, *SEL, **kw)


def test_clean_file_exits_0_and_prints_nothing(cli, write):
    p = write("clean.txt", "The color of the flag was unique.\n")
    res = cli("check", p)
    assert res.exit_code == 0, res.stderr
    assert res.stdout == ""


def test_findings_exit_1_with_location(cli, write):
    p = write("dirty.txt", DIRTY)
    res = cli("check", p)
    assert res.exit_code == 1
    assert f"{p}:2:5: TST001 [style]" in res.stdout
    assert f"{p}:2:28: TST003 [capitalization]" in res.stdout
    assert "Found 2 findings" in res.stdout


def test_json_contract(cli, write):
    p = write("dirty.txt", DIRTY)
    res = cli("check", "--output-format", "json", p)
    assert res.exit_code == 1
    data = json.loads(res.stdout)
    assert isinstance(data, list) and len(data) == 2
    for item in data:
        assert list(item) == CONTRACT_KEYS
    first, second = data
    start = DIRTY.index("colour")
    assert first == {
        "path": str(p), "rule": "TST001", "category": "style", "severity": "warning",
        "message": 'Use the house spelling "color"', "start": start, "end": start + 6,
        "line": 2, "column": 5, "end_line": 2, "end_column": 11, "text": "colour",
        "fix": {"replacement": "color", "safety": "safe"}, "source": "rules",
    }
    assert second["rule"] == "TST003" and second["fix"] is None
    assert DIRTY[second["start"]:second["end"]] == second["text"] == "very unique"


def test_json_offsets_are_code_points(cli, write):
    text = "Café 😀 “colour” here.\n"
    p = write("astral.txt", text)
    data = json.loads(cli("check", "--format", "json", p).stdout)
    (f,) = data
    assert text[f["start"]:f["end"]] == "colour"
    assert f["start"] == text.index("colour") and f["column"] == text.index("colour") + 1


def test_json_on_clean_input_is_empty_array(cli, write):
    p = write("clean.txt", "Nothing here.\n")
    res = cli("check", "--output-format", "json", p)
    assert res.exit_code == 0 and json.loads(res.stdout) == []


def test_jsonl(cli, write):
    p = write("dirty.txt", DIRTY)
    res = cli("check", "--output-format", "jsonl", p)
    lines = res.stdout.splitlines()
    assert len(lines) == 2
    assert [list(json.loads(l)) for l in lines] == [CONTRACT_KEYS, CONTRACT_KEYS]


def test_github_annotations(cli, write):
    p = write("dirty.txt", DIRTY)
    res = cli("check", "--output-format", "github", p)
    lines = res.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"::warning file={p},line=2,col=5,endLine=2,endColumn=11,")
    assert lines[0].endswith('::Use the house spelling "color"')


def test_sarif(cli, write):
    p = write("dirty.txt", DIRTY)
    doc = json.loads(cli("check", "--output-format", "sarif", p).stdout)
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    assert run["tool"]["driver"]["name"] == "mtclean"
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {"TST001", "TST003"}
    res = run["results"][0]
    assert res["ruleId"] == "TST001"
    region = res["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (2, 5)
    assert region["charOffset"] == DIRTY.index("colour") and region["charLength"] == 6
    assert res["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "color"


def test_unknown_format_is_usage_error(cli, write):
    p = write("dirty.txt", DIRTY)
    res = cli("check", "--output-format", "xml", p)
    assert res.exit_code == 2


def test_statistics(cli, write):
    p = write("dirty.txt", DIRTY + "Another colour.\n")
    res = cli("check", "--statistics", p)
    assert res.exit_code == 1
    rows = [r.split("\t") for r in res.stdout.splitlines()]
    assert [r[1] for r in rows] == ["TST001", "TST003"]
    assert int(rows[0][0]) == 2 and int(rows[1][0]) == 1
    assert rows[0][3] == "[*]" and rows[1][3].strip() == ""


@pytest.mark.parametrize("args,expected", [
    (("--select", "TST001"), {"TST001"}),
    (("--select", "capitalization"), {"TST003"}),
    (("--select", "TST001,TST003"), {"TST001", "TST003"}),
    (("--select", "TST", "--ignore", "TST003"), {"TST001"}),
    (("--select", "TST", "--ignore", "style"), {"TST003"}),
])
def test_select_and_ignore(run_cli, rules_file, write, args, expected):
    p = write("dirty.txt", DIRTY)
    res = run_cli("check", "--rules", rules_file, "--output-format", "json", *args, p)
    assert {f["rule"] for f in json.loads(res.stdout)} == expected


def test_diff_shows_safe_fixes_and_changes_nothing(cli, write):
    p = write("dirty.txt", DIRTY)
    res = cli("check", "--diff", p)
    assert res.exit_code == 1
    assert f"--- a/{p}" in res.stdout and f"+++ b/{p}" in res.stdout
    assert "-The colour of the flag was very unique." in res.stdout
    assert "+The color of the flag was very unique." in res.stdout
    assert "1 file would be changed" in res.stderr
    assert p.read_text(encoding="utf-8") == DIRTY


def test_diff_with_nothing_to_fix_exits_0(cli, write):
    p = write("display-only.txt", "A very unique plan.\n")
    res = cli("check", "--diff", p)
    assert res.exit_code == 0 and res.stdout == ""


def test_diff_includes_unsafe_only_when_asked(cli, write):
    p = write("u.txt", "We utilise it.\n")
    assert cli("check", "--diff", p).exit_code == 0
    res = cli("check", "--diff", "--unsafe-fixes", p)
    assert res.exit_code == 1 and "+We use it." in res.stdout


def test_fix_in_place_then_reports_what_remains(cli, write):
    p = write("dirty.txt", DIRTY)
    res = cli("fix", p)
    assert res.exit_code == 1  # the display-only finding remains
    assert p.read_text(encoding="utf-8") == DIRTY.replace("colour", "color")
    assert "TST003" in res.stdout and "TST001" not in res.stdout
    assert "fixed 1 issue in 1 file" in res.stderr


def test_fix_clean_result_exits_0(cli, write):
    p = write("fixable.txt", "The colour, the colour.\n")
    res = cli("fix", p)
    assert res.exit_code == 0, res.stdout
    assert p.read_text(encoding="utf-8") == "The color, the color.\n"
    again = cli("fix", p)
    assert again.exit_code == 0 and p.read_text(encoding="utf-8") == "The color, the color.\n"


def test_check_fix_flag(cli, write):
    p = write("fixable.txt", "The colour.\n")
    res = cli("check", "--fix", p)
    assert res.exit_code == 0
    assert p.read_text(encoding="utf-8") == "The color.\n"


def test_unsafe_fixes(cli, write):
    p = write("u.txt", "We utilise it.\n")
    res = cli("fix", p)
    assert res.exit_code == 1 and p.read_text(encoding="utf-8") == "We utilise it.\n"
    res = cli("fix", "--unsafe-fixes", p)
    assert res.exit_code == 0 and p.read_text(encoding="utf-8") == "We use it.\n"


def test_check_stdin(cli):
    res = cli("check", "--output-format", "json", "-", input="The colour.\n")
    assert res.exit_code == 1
    (f,) = json.loads(res.stdout)
    assert f["rule"] == "TST001" and f["start"] == 4 and f["path"] == "<stdin>"


def test_fix_stdin_writes_fixed_text_to_stdout(cli):
    res = cli("fix", "-", input="The colour was very unique.\n")
    assert res.exit_code == 1
    assert res.stdout == "The color was very unique.\n"
    assert "TST003" in res.stderr  # the report goes to stderr when stdout holds the text


def test_fix_stdin_clean_passes_text_through(cli):
    res = cli("fix", "-", input="Nothing to do.\n")
    assert res.exit_code == 0 and res.stdout == "Nothing to do.\n"


def test_fix_stdin_subprocess_keeps_bytes(run_proc, rules_file):
    """Real pipes: BOM and CRLF survive `fix -`."""
    data = "\ufeffThe colour.\r\nSecond line.\r\n".encode("utf-8")
    proc = run_proc("fix", "--rules", rules_file, *SEL, "-", input=data)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "\ufeffThe color.\r\nSecond line.\r\n".encode("utf-8")


def test_directory_is_searched_for_text_files(cli, write, tmp_path):
    write("docs/a.txt", "The colour.\n")
    write("docs/sub/b.md", "The colour.\n")
    write("docs/c.py", "colour = 1\n")
    res = cli("check", "--output-format", "json", tmp_path / "docs")
    paths = sorted(f["path"] for f in json.loads(res.stdout))
    assert paths == sorted([str(tmp_path / "docs/a.txt"), str(tmp_path / "docs/sub/b.md")])


def test_several_files_one_bad(cli, write, tmp_path):
    good = write("good.txt", "The colour.\n")
    res = cli("check", "--output-format", "json", good, tmp_path / "missing.txt")
    assert res.exit_code == 2
    assert len(json.loads(res.stdout)) == 1  # the readable file is still reported
    assert res.stderr.strip().count("\n") == 0 and "missing.txt" in res.stderr


def test_no_paths_is_usage_error(run_cli):
    assert run_cli("check").exit_code == 2
    assert run_cli("fix").exit_code == 2


def test_unknown_option_is_usage_error(run_cli, write):
    p = write("a.txt", "x\n")
    assert run_cli("check", "--no-such-option", p).exit_code == 2


def test_rules_lists_builtin_and_user_rules(run_cli, rules_file):
    res = run_cli("rules", "--rules", rules_file)
    assert res.exit_code == 0
    rows = {l.split("\t")[0]: [c.strip() for c in l.split("\t")] for l in res.stdout.splitlines()}
    assert rows["TST001"][1:3] == ["style", "safe"]
    assert rows["TST002"][1:3] == ["style", "unsafe"]
    assert rows["TST003"][2] == "none"
    assert "SPC001" in rows  # the built-in rules are listed too


def test_rules_show(run_cli, rules_file):
    res = run_cli("rules", "--rules", rules_file, "show", "TST001")
    assert res.exit_code == 0
    assert "TST001 (british-colour)" in res.stdout
    assert "The colour." in res.stdout and "Safe" in res.stdout


def test_rules_show_unknown_id(run_cli):
    res = run_cli("rules", "show", "NOPE999")
    assert res.exit_code == 2 and "NOPE999" in res.stderr


def test_builtin_rules_json_contract(run_cli, write):
    """The real rule set on a text with a double space: contract keys and exact span."""
    text = "The talks  ended on Friday.\n"
    p = write("spaces.txt", text)
    res = run_cli("check", "--output-format", "json", "--select", "SPC001", p)
    assert res.exit_code == 1
    (f,) = json.loads(res.stdout)
    assert list(f) == CONTRACT_KEYS
    assert (f["start"], f["end"], f["text"]) == (9, 11, "  ")
    assert f["fix"] == {"replacement": " ", "safety": "safe"}


def test_version(run_cli):
    res = run_cli("--version")
    assert res.exit_code == 0 and "mtclean" in res.stdout


def test_report_after_fix_indexes_the_fixed_text(cli, write):
    p = write("dirty.txt", DIRTY)
    res = cli("fix", "--output-format", "json", p)
    (f,) = json.loads(res.stdout)
    fixed = p.read_text(encoding="utf-8")
    assert f["rule"] == "TST003" and fixed[f["start"]:f["end"]] == "very unique"
    assert f["start"] == DIRTY.index("very unique") - 1


def test_sarif_uri_is_escaped(cli, write):
    p = write("news story #1.txt", "The colour.\n")
    doc = json.loads(cli("check", "--output-format", "sarif", p).stdout)
    uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.endswith("/news%20story%20%231.txt") and " " not in uri
