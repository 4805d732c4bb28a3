"""Configuration: discovery walking up, select/ignore, extra rules, per-file ignores,
excludes, and one-line errors for malformed files."""

from __future__ import annotations

import json

import pytest

from conftest import rule_yaml

TEXT = "The colour was odd and we utilise it.\n"


@pytest.fixture
def project(write):
    """A project with two user rules in rules/ and a nested docs tree."""
    write("proj/rules/usr.yaml", rule_yaml("USR001", pattern="colour", replacement="color")
          + rule_yaml("USR002", pattern="utilise", replacement="use", flag="We utilise it.",
                      fixed="We use it.", passing="We use it.").split("rules:\n", 1)[1])
    write("proj/docs/deep/a.txt", TEXT)
    return write


def _rules_found(run_cli, *args):
    res = run_cli("check", "--output-format", "json", *args)
    assert res.exit_code in (0, 1), res.stderr
    return sorted({f["rule"] for f in json.loads(res.stdout)})


def test_mtclean_toml_found_walking_up(run_cli, project, tmp_path):
    project("proj/.mtclean.toml", 'extend-rules = ["rules"]\nselect = ["USR"]\n')
    assert _rules_found(run_cli, tmp_path / "proj/docs/deep/a.txt") == ["USR001", "USR002"]


def test_pyproject_tool_table_found_walking_up(run_cli, project, tmp_path):
    project("proj/pyproject.toml", '[project]\nname = "x"\n\n[tool.mtclean]\n'
            'extend-rules = ["rules"]\nselect = ["USR002"]\n')
    assert _rules_found(run_cli, tmp_path / "proj/docs/deep/a.txt") == ["USR002"]


def test_pyproject_without_table_is_skipped(run_cli, project, tmp_path):
    project("proj/.mtclean.toml", 'extend-rules = ["rules"]\nselect = ["USR001"]\n')
    project("proj/docs/pyproject.toml", '[project]\nname = "inner"\n')
    assert _rules_found(run_cli, tmp_path / "proj/docs/deep/a.txt") == ["USR001"]


def test_nearest_config_wins(run_cli, project, tmp_path):
    project("proj/.mtclean.toml", 'extend-rules = ["rules"]\nselect = ["USR001"]\n')
    project("proj/docs/.mtclean.toml", 'extend-rules = ["../rules"]\nselect = ["USR002"]\n')
    assert _rules_found(run_cli, tmp_path / "proj/docs/deep/a.txt") == ["USR002"]
    project("proj/top.txt", TEXT)
    assert _rules_found(run_cli, tmp_path / "proj/top.txt") == ["USR001"]


def test_ignore_and_underscore_keys(run_cli, project, tmp_path):
    project("proj/.mtclean.toml", 'extend_rules = ["rules"]\nselect = ["USR"]\n'
            'extend_ignore = ["USR001"]\n')
    assert _rules_found(run_cli, tmp_path / "proj/docs/deep/a.txt") == ["USR002"]


def test_command_line_select_overrides_config(run_cli, project, tmp_path):
    project("proj/.mtclean.toml", 'extend-rules = ["rules"]\nselect = ["USR001"]\n')
    found = _rules_found(run_cli, "--select", "USR002", tmp_path / "proj/docs/deep/a.txt")
    assert found == ["USR002"]


def test_command_line_ignore_adds_to_config(run_cli, project, tmp_path):
    project("proj/.mtclean.toml", 'extend-rules = ["rules"]\nselect = ["USR"]\n')
    found = _rules_found(run_cli, "--ignore", "USR002", tmp_path / "proj/docs/deep/a.txt")
    assert found == ["USR001"]


def test_per_file_ignores(run_cli, project, tmp_path):
    project("proj/.mtclean.toml", 'extend-rules = ["rules"]\nselect = ["USR"]\n\n'
            '[per-file-ignores]\n"docs/deep/*.txt" = ["USR001"]\n"other.txt" = ["style"]\n')
    project("proj/other.txt", TEXT)
    project("proj/third.txt", TEXT)
    assert _rules_found(run_cli, tmp_path / "proj/docs/deep/a.txt") == ["USR002"]
    assert _rules_found(run_cli, tmp_path / "proj/other.txt") == []
    assert _rules_found(run_cli, tmp_path / "proj/third.txt") == ["USR001", "USR002"]


def test_per_file_ignores_also_stop_fixes(run_cli, project, tmp_path):
    project("proj/.mtclean.toml", 'extend-rules = ["rules"]\nselect = ["USR"]\n\n'
            '[per-file-ignores]\n"*.txt" = ["USR001"]\n')
    p = tmp_path / "proj/docs/deep/a.txt"
    run_cli("fix", p)
    assert p.read_text() == "The colour was odd and we use it.\n"


def test_exclude_when_searching_directories(run_cli, project, tmp_path):
    project("proj/.mtclean.toml", 'extend-rules = ["rules"]\nselect = ["USR"]\n'
            'extend-exclude = ["deep"]\n')
    project("proj/docs/kept.md", TEXT)
    res = run_cli("check", "--output-format", "json", tmp_path / "proj/docs")
    assert {f["path"] for f in json.loads(res.stdout)} == {str(tmp_path / "proj/docs/kept.md")}


def test_explicit_config_overrides_discovery(run_cli, project, tmp_path):
    project("proj/.mtclean.toml", 'extend-rules = ["rules"]\nselect = ["USR001"]\n')
    project("elsewhere/cfg.toml", 'extend-rules = ["../proj/rules"]\nselect = ["USR002"]\n')
    found = _rules_found(run_cli, "--config", tmp_path / "elsewhere/cfg.toml",
                         tmp_path / "proj/docs/deep/a.txt")
    assert found == ["USR002"]


def test_stdin_uses_working_directory_config(run_cli, project, tmp_path):
    project(".mtclean.toml", 'extend-rules = ["proj/rules"]\nselect = ["USR002"]\n')
    res = run_cli("check", "--output-format", "json", "-", input=TEXT)
    assert {f["rule"] for f in json.loads(res.stdout)} == {"USR002"}


def test_tool_table_inside_mtclean_toml(run_cli, project, tmp_path):
    project("proj/.mtclean.toml", '[tool.mtclean]\nextend-rules = ["rules"]\nselect = ["USR001"]\n')
    assert _rules_found(run_cli, tmp_path / "proj/docs/deep/a.txt") == ["USR001"]


# --- malformed configuration: one line, exit 2 ------------------------------------------

def _one_line_exit_2(res, *needles):
    assert res.exit_code == 2, res.stdout
    lines = [l for l in res.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and "Traceback" not in res.stderr, res.stderr
    for n in needles:
        assert n in lines[0]


@pytest.mark.parametrize("body,needle", [
    ("select = [\n", "not valid TOML"),
    ("colour = 1\n", "unknown key 'colour'"),
    ("select = 3\n", "'select' must be a list of strings"),
    ("grammar = \"perfect\"\n", "'grammar' must be one of"),
    ("per-file-ignores = 1\n", "'per-file-ignores' must be a table"),
    ("extend-rules = [\"missing-dir\"]\n", "not found"),
])
def test_malformed_config_file(run_cli, write, tmp_path, body, needle):
    cfg = write("proj/.mtclean.toml", body)
    doc = write("proj/a.txt", TEXT)
    _one_line_exit_2(run_cli("check", doc), needle)
    if needle != "not found":
        _one_line_exit_2(run_cli("check", doc), str(cfg))


def test_malformed_config_while_expanding_a_directory(run_cli, write, tmp_path):
    write("proj/pyproject.toml", "[tool.mtclean]\nselect = 1\n")
    write("proj/docs/a.txt", TEXT)
    _one_line_exit_2(run_cli("check", tmp_path / "proj/docs"), "pyproject.toml", "'select'")
    _one_line_exit_2(run_cli("fix", tmp_path / "proj"), "pyproject.toml")


def test_missing_explicit_config(run_cli, write, tmp_path):
    doc = write("a.txt", TEXT)
    _one_line_exit_2(run_cli("check", "--config", tmp_path / "none.toml", doc), "none.toml", "not found")


def test_config_not_utf8(run_cli, write):
    write("proj/.mtclean.toml", b"select = [\"\xff\"]\n")
    doc = write("proj/a.txt", TEXT)
    _one_line_exit_2(run_cli("check", doc), ".mtclean.toml")
