"""Shared fixtures: run the CLI in-process (click's CliRunner) or as a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtclean import config as config_mod
from mtclean.cli import main

REPO_ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes more than a few seconds (still run by default)")


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str
    stdout_bytes: bytes = b""


def _fresh_config_caches() -> None:
    """Config discovery is cached per directory; tests write configs between runs."""
    config_mod.discover.cache_clear()
    config_mod._explicit.cache_clear()


@pytest.fixture
def run_cli(tmp_path, monkeypatch):
    """Run `mtclean ARGS...` in-process from tmp_path; returns exit code, stdout, stderr."""
    monkeypatch.chdir(tmp_path)

    def run(*args: str, input: str | bytes | None = None) -> CliResult:
        _fresh_config_caches()
        res = CliRunner().invoke(main, [str(a) for a in args], input=input,
                                 catch_exceptions=False)
        return CliResult(res.exit_code, res.stdout, res.stderr, res.stdout_bytes)

    return run


@pytest.fixture
def run_proc(tmp_path):
    """Run `python -m mtclean ARGS...` as a subprocess (real stdin/stdout, real exit)."""

    def run(*args: str, input: bytes | None = None, timeout: float = 120,
            cwd: Path | None = None) -> subprocess.CompletedProcess:
        env = dict(os.environ, PYTHONIOENCODING="utf-8")
        return subprocess.run([sys.executable, "-m", "mtclean", *map(str, args)],
                              input=input, capture_output=True, timeout=timeout,
                              cwd=str(cwd or tmp_path), env=env)

    return run


@pytest.fixture
def write(tmp_path):
    """Write a text file under tmp_path (UTF-8, exactly as given) and return its path."""

    def write_file(name: str, text: str | bytes) -> Path:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return p

    return write_file


RULE_FILE_HEAD = "version: 1\nrules:\n"


def rule_yaml(rid: str = "USR001", pattern: str = "colour", replacement: str | None = "color",
              safety: str = "safe", category: str = "style", flag: str = "The colour.",
              fixed: str | None = "The color.", passing: str = "The color.") -> str:
    """A small user rule file with one pattern rule (for config and CLI tests)."""
    fix = f"    fix: {{replacement: '{replacement}', safety: {safety}}}\n" if replacement is not None else ""
    fixed_part = f", fixed: '{fixed}'" if fixed is not None else ""
    return (RULE_FILE_HEAD
            + f"  - id: {rid}\n    name: user-{rid.lower()}\n    category: {category}\n"
            + f"    message: user rule {rid}\n    kind: pattern\n    pattern: '{pattern}'\n"
            + fix
            + f"    examples:\n      flag: [{{text: '{flag}'{fixed_part}}}]\n      pass: ['{passing}']\n")
