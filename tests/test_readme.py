"""The README's (and docs/cli.md's) console examples are real: each `$ mtclean ...` in a
```console block is run from the checkout and its output compared with the lines that
follow it.

A line `...` in the README stands for any number of lines left out. Exit codes are not
shown in the README, so they are not compared.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def examples(path: Path) -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for every `$ ` line of the file's console blocks."""
    out = []
    for block in re.findall(r"```console\n(.*?)```", path.read_text(encoding="utf-8"), re.S):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, rest = chunk.partition("\n")
            out.append((command, rest.rstrip("\n").split("\n") if rest.strip() else []))
    return out


def fits(expected: list[str], actual: list[str]) -> bool:
    """Whether `actual` matches `expected` line for line, `...` matching any run of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(fits(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and fits(expected[1:], actual[1:])


README_EXAMPLES = examples(REPO / "README.md") + examples(REPO / "docs" / "cli.md")


def test_the_readme_has_console_examples():
    commands = [c for c, _ in README_EXAMPLES]
    assert any(c.startswith("mtclean check") for c in commands)
    assert any(c.startswith("mtclean rules show") for c in commands)


def test_the_matcher_can_fail():
    assert fits(["a", "...", "d"], ["a", "b", "c", "d"])
    assert not fits(["a", "...", "d"], ["a", "b", "c"])
    assert not fits(["1:31: REP001"], ["1:32: REP001"])


@pytest.mark.parametrize("command,expected", README_EXAMPLES, ids=[c for c, _ in README_EXAMPLES])
def test_console_example(command, expected):
    argv = shlex.split(command)
    assert argv[0] == "mtclean"
    env = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="80")
    res = subprocess.run([sys.executable, "-m", "mtclean", *argv[1:]], cwd=REPO,
                         capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)
    actual = res.stdout.rstrip("\n").split("\n") if res.stdout.strip() else []
    assert fits(expected, actual), (
        f"README example `{command}` differs from the real output:\n{res.stdout}{res.stderr}")
