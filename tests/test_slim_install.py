"""The slim install: `pip install mtclean` without extras checks and fixes the samples, and
a command whose extra is missing says which extra to install, in one line, exit 2.

Builds a separate virtual environment from this checkout (pip's cache keeps it quick).
Run alone with `python -m pytest -m slim`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.slim, pytest.mark.slow]


@pytest.fixture(scope="module")
def slim(tmp_path_factory):
    """A venv holding mtclean and its base requirements only; returns its bin directory."""
    root = tmp_path_factory.mktemp("slim")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    src = root / "src"  # a copy, so the build leaves no build/ or egg-info in the checkout
    shutil.copytree(REPO, src, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis"))
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(src)],
                   check=True, timeout=900)
    return bin_dir


def _run(bin_dir: Path, *args, cwd: Path, input: bytes | None = None):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(bin_dir / "mtclean"), *map(str, args)], cwd=cwd, input=input,
                          capture_output=True, timeout=300, env=env)


def test_no_extra_is_installed(slim):
    code = ("import importlib.util as u; from mtclean.extras import EXTRAS; "
            "print(sorted(m for ms in EXTRAS.values() for m in ms if u.find_spec(m)))")
    out = subprocess.run([str(slim / "python"), "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_check_and_fix_the_samples(slim, tmp_path):
    samples = tmp_path / "samples"
    shutil.copytree(REPO / "samples", samples)
    r = _run(slim, "check", "samples/", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    found = r.stdout.decode()
    for rule in ("CJK001", "REP001", "QUO002", "NAME001", "CAP001", "ENT001", "NUM001", "BOIL001"):
        assert rule in found
    assert "clean-news.txt" not in found
    r = _run(slim, "fix", "samples/spacing-and-repetition.txt", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "the the" not in (samples / "spacing-and-repetition.txt").read_text(encoding="utf-8")
    assert _run(slim, "rules", cwd=tmp_path).returncode == 0
    r = _run(slim, "--help", cwd=tmp_path)
    assert r.returncode == 0 and "batch" in r.stdout.decode() and "languagetool" in r.stdout.decode()


def test_missing_extras_are_named_in_one_line(slim, tmp_path):
    (tmp_path / "in.jsonl").write_text('{"text": "A  test."}\n', encoding="utf-8")
    r = _run(slim, "batch", "in.jsonl", "-o", "out.jsonl", cwd=tmp_path)
    assert r.returncode == 2
    err = r.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and "'batch' extra" in err and "pip install 'mtclean[batch]'" in err
    assert not (tmp_path / "out.jsonl").exists()
    r = _run(slim, "languagetool", "status", cwd=tmp_path)
    assert r.returncode == 2 and "'grammar' extra" in r.stderr.decode()
    r = _run(slim, "check", "--grammar", "harper", "-", cwd=tmp_path, input=b"Fine text.\n")
    assert r.returncode == 2 and "'grammar' extra" in r.stderr.decode()
    # `auto` says so in one line and carries on with the rules.
    r = _run(slim, "check", "--grammar", "auto", "-", cwd=tmp_path, input=b"A  test.\n")
    assert r.returncode == 1 and "SPC001" in r.stdout.decode()
    assert r.stderr.decode().count("\n") == 1 and "'mtclean[grammar]'" in r.stderr.decode()
