"""The text report draws carets by screen width, colours only a terminal without NO_COLOR,
and SARIF says how its columns count."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest

from mtclean.report import text as text_report

RULE = """version: 1
rules:
  - id: TST010
    name: test-colour
    category: style
    severity: warning
    message: Use the house spelling
    kind: pattern
    pattern: 'colour'
    fix: {replacement: color, safety: safe}
    examples:
      flag: [{text: "The colour.", fixed: "The color."}]
      pass: ["The color."]
"""


def _report(run_cli, write, text: str) -> list[str]:
    rules = write("rules.yaml", RULE)
    p = write("doc.txt", text)
    res = run_cli("check", "--rules", rules, "--select", "TST", p)
    assert res.exit_code == 1, res.stderr
    return res.stdout.splitlines()


def _caret_columns(lines: list[str]) -> tuple[int, int]:
    """(first caret column, caret count) on screen, from the `    | ` caret line."""
    caret = next(l for l in lines if l.startswith("    | ") and "^" in l)[6:]
    return len(caret) - len(caret.lstrip(" ")), caret.count("^")


def _screen_col(line: str, word: str) -> int:
    """Where `word` starts on screen, by the widths of the characters before it."""
    return sum(text_report.char_width(c) for c in line[:line.index(word)])


@pytest.mark.parametrize("text", [
    "北京的colour is red.\n",                # wide ideographs: two columns each
    "ＡＢＣ colour here.\n",                  # full-width Latin letters
    "Cafe\u0301 and colour.\n",               # a combining acute: no column
    "会议，“colour”。\n",                     # full-width punctuation
    "Plain colour line.\n",
])
def test_caret_sits_under_the_flagged_word(run_cli, write, text):
    lines = _report(run_cli, write, text)
    line = text.rstrip("\n")
    assert f"    | {line}" in lines
    start, count = _caret_columns(lines)
    assert start == _screen_col(line, "colour")
    assert count == 6


def test_caret_covers_a_wide_span_by_its_width(run_cli, write):
    rules = write("rules.yaml", RULE.replace("pattern: 'colour'", "pattern: '地铁colour'")
                  .replace("The colour.", "The 地铁colour."))
    p = write("doc.txt", "坐地铁colour去。\n")
    res = run_cli("check", "--rules", rules, "--select", "TST", p)
    start, count = _caret_columns(res.stdout.splitlines())
    assert (start, count) == (2, 2 + 2 + 6)


def test_tab_before_the_span_is_kept_as_a_tab(run_cli, write):
    lines = _report(run_cli, write, "\tA colour.\n")
    caret = next(l for l in lines if l.startswith("    | ") and "^" in l)
    assert caret == "    | \t  ^^^^^^"


def test_char_width_table():
    assert [text_report.char_width(c) for c in "a中，Ａ\u0301\u200bé"] == [1, 2, 2, 2, 0, 0, 1]


class _Stream:
    def __init__(self, tty: bool):
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize("env, tty, expected", [
    ({}, True, True),
    ({}, False, False),
    ({"NO_COLOR": "1"}, True, False),
    ({"NO_COLOR": "yes"}, True, False),
    ({"NO_COLOR": ""}, True, True),         # no-color.org: an empty value does not count
])
def test_wants_color(monkeypatch, env, tty, expected):
    monkeypatch.delenv("NO_COLOR", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert text_report.wants_color(_Stream(tty)) is expected


def _run_on_tty(args: list[str], env: dict, cwd) -> bytes:
    """Run the real CLI with stdout on a pseudo-terminal; return what it printed."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "mtclean", *args], stdout=slave,
                                stderr=subprocess.PIPE, cwd=cwd, env=env)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        proc.wait(timeout=120)
    finally:
        os.close(master)
    return b"".join(chunks)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_terminal_gets_colour_unless_no_color(tmp_path):
    (tmp_path / "rules.yaml").write_text(RULE, encoding="utf-8")
    (tmp_path / "doc.txt").write_text("The colour.\n", encoding="utf-8")
    args = ["check", "--rules", "rules.yaml", "--select", "TST", "doc.txt"]
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert b"\x1b[" in _run_on_tty(args, env, tmp_path)
    plain = _run_on_tty(args, dict(env, NO_COLOR="1"), tmp_path)
    assert b"TST010" in plain and b"\x1b[" not in plain


def test_pipe_gets_no_colour(run_proc, tmp_path):
    (tmp_path / "rules.yaml").write_text(RULE, encoding="utf-8")
    (tmp_path / "doc.txt").write_text("The colour.\n", encoding="utf-8")
    res = run_proc("check", "--rules", "rules.yaml", "--select", "TST", "doc.txt")
    assert b"TST010" in res.stdout and b"\x1b[" not in res.stdout


def test_sarif_declares_code_point_columns(run_cli, write):
    rules = write("rules.yaml", RULE)
    text = "中文 😀 colour.\n"
    p = write("doc.txt", text)
    doc = json.loads(run_cli("check", "--rules", rules, "--select", "TST",
                             "--output-format", "sarif", p).stdout)
    run = doc["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    region = run["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region["startColumn"] == text.index("colour") + 1  # code points, not UTF-16 units
