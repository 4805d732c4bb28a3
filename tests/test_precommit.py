"""The pre-commit hooks, installed from this checkout by the real `pre-commit try-repo`.

try-repo builds a fresh hook virtualenv from PyPI on every call (its store is temporary;
pip's wheel cache and PRE_COMMIT_HOME, default ~/.cache/pre-commit, keep it to about a
minute). The hooks are installed from the checkout's HEAD commit (a dirty working tree
would mix other people's unfinished files in), so commit before expecting a change here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DIRTY = "The council met on Monday.  Members approved the plan.\n"
FIXED = "The council met on Monday. Members approved the plan.\n"
CLEAN = "The council met on Monday.\n"

pytestmark = pytest.mark.slow


def _pre_commit() -> list[str] | None:
    exe = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    return [exe] if exe else None


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.setdefault("PRE_COMMIT_HOME", str(Path.home() / ".cache" / "pre-commit"))
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    return env


@pytest.fixture(scope="module")
def head():
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs a git checkout of mtclean")
    if _pre_commit() is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[dev]')")
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()


@pytest.fixture(scope="module")
def run(head, tmp_path_factory):
    """One `pre-commit try-repo` of both hooks (each try-repo builds a fresh hook venv, so
    one call keeps the test short): mtclean-check runs first, then mtclean-fix."""
    repo = tmp_path_factory.mktemp("hooked-repo")
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=_env())
    (repo / "story.txt").write_text(DIRTY, encoding="utf-8")
    (repo / "clean.md").write_text(CLEAN, encoding="utf-8")
    (repo / "notes.py").write_text("x  =  1\n", encoding="utf-8")
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=_env())
    res = subprocess.run([*_pre_commit(), "try-repo", str(ROOT), "--ref", head, "--files",
                          "story.txt", "clean.md", "notes.py"], cwd=repo, capture_output=True,
                         text=True, env=_env(), timeout=900)
    out = res.stdout + res.stderr
    check_part, _, fix_part = out.partition("- hook id: mtclean-fix")
    return repo, res.returncode, out, check_part, fix_part


def test_hook_definitions():
    import yaml
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert list(hooks) == ["mtclean-check", "mtclean-fix"]
    for h in hooks.values():
        assert h["language"] == "python" and h["types"] == ["text"]
        assert h["files"] == r"\.(txt|md|markdown)$"


def test_check_hook_fails_on_the_dirty_file(run):
    repo, code, out, check_part, _ = run
    assert code == 1, out
    assert "- hook id: mtclean-check" in check_part and "- exit code: 1" in check_part, out
    assert "story.txt:1:27: SPC001" in check_part
    assert "clean.md" not in check_part
    assert "notes.py" not in out  # not a text/Markdown file: the hooks skip it


def test_fix_hook_repairs_the_file(run, run_proc):
    repo, code, out, _, fix_part = run
    assert "files were modified by this hook" in fix_part, out
    assert (repo / "story.txt").read_text(encoding="utf-8") == FIXED
    assert (repo / "clean.md").read_text(encoding="utf-8") == CLEAN
    after = run_proc("check", "story.txt", "clean.md", cwd=repo)
    assert after.returncode == 0, after.stdout
