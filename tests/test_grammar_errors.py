"""An explicitly requested grammar backend that cannot run is an error; `auto` falls back.

Real processes and real sockets: the CLI runs as a subprocess, a taken port is a socket
bound on loopback by the test, an unreachable server is a bound port nobody listens on.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from mtclean.grammar import ServerError, make_detectors, process
from mtclean.grammar.install import classpath, java_path, lib_dir

ROOT = Path(__file__).resolve().parent.parent
NEEDS = ("LanguageTool jars are not installed (run `mtclean languagetool install`)"
         if not classpath() else "Java is not installed" if not java_path() else "")
needs_lt = pytest.mark.skipif(bool(NEEDS), reason=NEEDS)
TEXT = "The minister said he go to the meeting on Monday.\n"


@pytest.fixture
def env(tmp_path) -> dict:
    """A private cache (no `serve` state, no logs of other runs), the installed jars."""
    e = dict(os.environ, MTCLEAN_CACHE_DIR=str(tmp_path / "cache"))
    if classpath():
        e["MTCLEAN_LT_LIB"] = str(lib_dir())
    return e


@pytest.fixture
def dead_url():
    """A loopback port that is bound but not listening: connections are refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{s.getsockname()[1]}"


@pytest.fixture
def taken_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


def mtclean(*args, env, pre: str = "") -> subprocess.CompletedProcess:
    code = f"{pre}\nimport sys\nfrom mtclean.cli import main\nsys.argv = ['mtclean', *sys.argv[1:]]\nmain()"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def one_line(err: str) -> str:
    lines = [l for l in err.splitlines() if l.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("mtclean: ") and "Traceback" not in err
    return lines[0]


def story(tmp_path: Path) -> str:
    f = tmp_path / "story.txt"
    f.write_text(TEXT, encoding="utf-8")
    return str(f)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_named_languagetool_url_that_does_not_answer_is_exit_2(tmp_path, env, dead_url, fmt):
    r = mtclean("check", "--grammar", "languagetool", "--languagetool-url", dead_url,
                "--output-format", fmt, story(tmp_path), story(tmp_path), env=env)
    line = one_line(r.stderr)
    assert r.returncode == 2 and dead_url in line and "mtclean languagetool serve" in line


def test_url_alone_implies_languagetool_and_is_exit_2_when_dead(tmp_path, env, dead_url):
    r = mtclean("check", "--languagetool-url", dead_url, story(tmp_path), env=env)
    assert r.returncode == 2 and dead_url in one_line(r.stderr)


def test_named_languagetool_not_installed_is_exit_2(tmp_path, env):
    env["MTCLEAN_LT_LIB"] = str(tmp_path / "no-jars")
    # language-tool-python's own download would also count as installed: hide it
    r = mtclean("check", "--grammar", "languagetool", story(tmp_path), env=env,
                pre="import sys; sys.modules['language_tool_python'] = None")
    line = one_line(r.stderr)
    assert r.returncode == 2 and "mtclean languagetool install" in line


def test_named_languagetool_in_config_is_exit_2_too(tmp_path, env, dead_url):
    (tmp_path / ".mtclean.toml").write_text(
        f'grammar = "languagetool"\nlanguagetool-url = "{dead_url}"\n', encoding="utf-8")
    r = mtclean("check", story(tmp_path), env=env)
    assert r.returncode == 2 and dead_url in one_line(r.stderr)


def test_named_harper_that_cannot_load_is_exit_2(tmp_path, env):
    r = mtclean("check", "--grammar", "harper", story(tmp_path), env=env,
                pre="import sys; sys.modules['harper'] = None")
    line = one_line(r.stderr)
    assert r.returncode == 2 and "mtclean[grammar]" in line and r.stdout == ""


def test_auto_falls_back_to_harper_with_one_notice(tmp_path, env, dead_url):
    r = mtclean("check", "--grammar", "auto", "--languagetool-url", dead_url,
                "--output-format", "json", story(tmp_path), env=env)
    line = one_line(r.stderr)
    assert "using Harper instead" in line and dead_url in line
    found = json.loads(r.stdout)
    assert r.returncode == 1 and any(f["source"] == "harper" and f["text"] == "go" for f in found)


def test_auto_without_any_backend_says_so_once_and_checks_rules(tmp_path, env):
    env["MTCLEAN_LT_LIB"] = str(tmp_path / "no-jars")
    path = story(tmp_path)
    Path(path).write_text(TEXT + "\nThe the council met.\n", encoding="utf-8")
    r = mtclean("check", "--grammar", "auto", "--output-format", "json", path, env=env,
                pre="import sys; sys.modules['harper'] = None; "
                    "sys.modules['language_tool_python'] = None")
    line = one_line(r.stderr)
    assert "no grammar backend is available" in line
    assert r.returncode == 1 and {f["rule"] for f in json.loads(r.stdout)} == {"REP001"}


def test_the_choices_are_written_once():
    """The CLI option, the config check and make_detectors all read config.GRAMMAR_CHOICES."""
    import inspect

    import mtclean.grammar as grammar_pkg
    from mtclean import config
    from mtclean.cli import main

    opt = next(p for p in main.commands["check"].params if p.name == "grammar")
    assert tuple(opt.type.choices) == config.GRAMMAR_CHOICES
    for module in (grammar_pkg, *(__import__(f"mtclean.grammar.{m}", fromlist=["x"]) for m in
                                  ("detectors", "provision", "languagetool", "harper"))):
        assert '"languagetool", "harper"' not in inspect.getsource(module), module


def test_importing_the_grammar_package_loads_no_backend():
    code = ("import sys, mtclean.grammar, mtclean.grammar.commands; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('requests', 'harper', 'language_tool_python', 'urllib3')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stderr


def test_unknown_choice_is_refused():
    with pytest.raises(ServerError, match="choose one of auto, languagetool, harper, none"):
        make_detectors("grammarly")


def test_serve_on_a_taken_port_says_so(tmp_path, env, taken_port):
    r = mtclean("languagetool", "serve", "--port", str(taken_port), env=env)
    line = one_line(r.stderr)
    assert r.returncode == 2 and f"port {taken_port} is already in use" in line
    assert "..." not in line and "Exception" not in line


@needs_lt
def test_jvm_that_loses_the_port_race_says_the_port_is_taken(tmp_path, monkeypatch, taken_port):
    """The port is free at our check but taken when the JVM binds: read from its log."""
    jars = str(lib_dir())
    monkeypatch.setenv("MTCLEAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("MTCLEAN_LT_LIB", jars)
    monkeypatch.setattr(process, "port_taken", lambda port: False)
    srv = process.LocalServer(port=taken_port, threads=1)
    with pytest.raises(ServerError) as exc:
        srv.start(timeout=120)
    assert str(exc.value).startswith(f"port {taken_port} is already in use")
    assert "\n" not in str(exc.value) and not srv.alive()


def test_prefetch_never_reads_a_pipe(tmp_path, dead_url):
    """Files go to the grammar server ahead of their turn; a FIFO must be read only once."""
    import threading

    from mtclean.cli import Options, Runner
    from mtclean.grammar.detectors import LanguageToolDetector

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    runner = Runner(Options((), (), (), "languagetool", dead_url, None))
    runner._detectors[("languagetool", dead_url)] = [LanguageToolDetector(dead_url)]
    t = threading.Thread(target=runner.prefetch, args=(str(fifo),), daemon=True)
    t.start()
    t.join(10)
    blocked = t.is_alive()
    if blocked:  # let the reader finish so the test ends
        with open(fifo, "w") as w:
            w.write("x")
    assert not blocked, "prefetch opened a pipe that the run itself must read"
