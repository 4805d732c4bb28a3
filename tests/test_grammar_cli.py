"""The grammar backends through the CLI: outages, server lifecycle, install, Harper."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from mtclean.grammar.install import classpath, java_path, lib_dir
from mtclean.grammar.process import MAIN_CLASS

ROOT = Path(__file__).resolve().parent.parent
NEEDS = ("LanguageTool jars are not installed (run `mtclean languagetool install`)"
         if not classpath() else "Java is not installed" if not java_path() else "")
needs_lt = pytest.mark.skipif(bool(NEEDS), reason=NEEDS)

CLEAN = ("The city council met on Monday to discuss the budget for the coming year.\n\n"
         "Members agreed to spend more on schools and roads.\n\n"
         "The mayor said the plan would help families across the region.\n")


def env_for(tmp_path: Path) -> dict:
    """Private cache (logs, state) but the installed jars."""
    env = dict(os.environ)
    env["MTCLEAN_CACHE_DIR"] = str(tmp_path / "cache")
    if classpath():
        env["MTCLEAN_LT_LIB"] = str(lib_dir())
    return env


def mtclean(*args, env, **kw):
    return subprocess.Popen([sys.executable, "-m", "mtclean", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def lt_child(proc: subprocess.Popen, timeout: float = 240) -> psutil.Process:
    """Wait for the LanguageTool JVM that `proc` starts and return it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for c in psutil.Process(proc.pid).children(recursive=True):
            try:
                if MAIN_CLASS in " ".join(c.cmdline()):
                    return c
            except psutil.NoSuchProcess:
                continue
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.1)
    raise AssertionError("no LanguageTool JVM appeared")


def checks_handled(cache: Path, port: int) -> int:
    log = cache / "languagetool" / "logs" / f"server-{port}.log"
    try:
        return log.read_text(errors="replace").count("Check done:")  # answered checks
    except OSError:
        return 0


def write_docs(d: Path, n: int, text: str) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        # distinct texts: a client does not send a text it has just checked again
        (d / f"doc{i:03d}.txt").write_text(f"Report number {i} follows.\n\n" + text * 6,
                                           encoding="utf-8")
    return d


@needs_lt
def test_server_killed_mid_run_one_line_and_exit_code_from_findings(tmp_path):
    env = env_for(tmp_path)
    docs = write_docs(tmp_path / "docs", 60, CLEAN)
    (docs / "doc000.txt").write_text("Officials said he go to work by bus.\n\n" + CLEAN, encoding="utf-8")
    proc = mtclean("check", "--grammar", "languagetool", "--output-format", "json", str(docs), env=env)
    jvm = lt_child(proc)
    port = int(re.search(r"--port (\d+)", " ".join(jvm.cmdline())).group(1))
    deadline = time.monotonic() + 240
    # the warm-up plus four files answered: the first file (sent first) has its reply, while
    # files sent ahead are still on the server when it dies
    while checks_handled(tmp_path / "cache", port) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "run finished before the server could be killed"
    jvm.kill()
    out, err = proc.communicate(timeout=300)
    lines = [l for l in err.splitlines() if l.strip()]
    assert len(lines) == 1, err
    assert "exited mid-run" in lines[0] and "continuing without LanguageTool" in lines[0]
    found = json.loads(out)
    # the file checked before the outage keeps its finding, and it alone sets the exit code
    assert [(x["rule"], x["text"]) for x in found] == [("LT/HE_VERB_AGR", "go")]
    assert proc.returncode == 1
    assert not jvm.is_running()


EXIT_SCRIPT = """
import sys, threading, time
from mtclean.grammar.process import LocalServer
srv = LocalServer()
threading.Thread(target=srv.start, daemon=True).start()
while srv.proc is None:
    time.sleep(0.05)
print(srv.proc.pid, flush=True)
sys.exit(0)  # mid-start: atexit must stop the JVM
"""


@needs_lt
def test_jvm_is_stopped_when_mtclean_exits(tmp_path):
    proc = subprocess.run([sys.executable, "-c", EXIT_SCRIPT], env=env_for(tmp_path), cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    pid = int(proc.stdout.strip())
    deadline = time.monotonic() + 15
    while psutil.pid_exists(pid) and time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                break
        except psutil.NoSuchProcess:
            break
        time.sleep(0.1)
    alive = psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    assert not alive, "the LanguageTool JVM outlived mtclean"


@needs_lt
def test_sigterm_stops_the_jvm(tmp_path):
    env = env_for(tmp_path)
    docs = write_docs(tmp_path / "docs", 5, CLEAN)
    proc = mtclean("check", "--grammar", "languagetool", str(docs), env=env)
    jvm = lt_child(proc)
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    jvm.wait(timeout=15)
    assert not jvm.is_running()


@needs_lt
def test_install_is_idempotent_and_quick(tmp_path):
    env = env_for(tmp_path)
    t0 = time.monotonic()
    proc = mtclean("languagetool", "install", env=env)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "already installed" in err
    assert time.monotonic() - t0 < 20


def test_harper_backend_through_cli(tmp_path):
    f = tmp_path / "story.txt"
    f.write_text("The visitors said she go to the museum on Sunday. It was a honest mistake.\n",
                 encoding="utf-8")
    proc = mtclean("check", "--grammar", "harper", "--output-format", "json", str(f),
                   env=env_for(tmp_path))
    out, err = proc.communicate(timeout=120)
    found = [x for x in json.loads(out) if x["source"] == "harper"]
    assert proc.returncode == 1, err
    assert {"go", "a"} <= {x["text"] for x in found}
    assert all(x["rule"].startswith("HARPER/") for x in found)


def test_status_without_server_says_how_to_start(tmp_path):
    proc = mtclean("languagetool", "status", env=env_for(tmp_path))
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 1 and "mtclean languagetool serve" in out
