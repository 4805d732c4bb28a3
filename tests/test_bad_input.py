"""Bad input gets one line on stderr and exit 2, never a traceback or a partial write."""

from __future__ import annotations

import json
import os
import stat
import sys
import time

import pytest

from conftest import rule_yaml


def _one_line_error(res, *needles: str) -> str:
    """Assert exit 2 and a single-line message holding every needle; return it."""
    err = res.stderr if hasattr(res, "stderr") and isinstance(res.stderr, str) else res.stderr.decode()
    code = res.exit_code if hasattr(res, "exit_code") else res.returncode
    assert code == 2, (code, err)
    lines = [l for l in err.splitlines() if l.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


# --- unreadable input -------------------------------------------------------------------

def test_binary_file(run_cli, write):
    data = b"PK\x03\x04\x14\x00\x00\x00binary\x00payload"
    p = write("archive.txt", data)
    msg = _one_line_error(run_cli("check", p), str(p), "binary", "byte offset 5")
    assert msg.startswith("mtclean: ")
    _one_line_error(run_cli("fix", p), str(p))
    assert p.read_bytes() == data  # nothing written


def test_nul_byte_far_into_file(run_cli, write):
    p = write("late-nul.txt", b"a" * 20000 + b"\x00")
    _one_line_error(run_cli("check", p), "binary", "byte offset 20000")


def test_invalid_utf8_names_byte_offset(run_cli, write):
    data = "Prices rose.  Then ".encode() + b"\xb5\xc4" + b" fell.\n"
    p = write("gbk.txt", data)
    _one_line_error(run_cli("check", p), str(p), "invalid UTF-8", "byte offset 19")
    _one_line_error(run_cli("fix", p), str(p), "byte offset 19")
    assert p.read_bytes() == data


def test_invalid_utf8_offset_counts_the_bom(run_cli, write):
    p = write("bom-bad.txt", b"\xef\xbb\xbfab\xffcd")
    _one_line_error(run_cli("check", p), "byte offset 5")


def test_invalid_utf8_on_stdin(run_cli):
    _one_line_error(run_cli("check", "-", input=b"ok \xff"), "<stdin>", "byte offset 3")


def test_missing_path(run_cli, tmp_path):
    missing = tmp_path / "nope.txt"
    _one_line_error(run_cli("check", missing), str(missing), "no such file")
    _one_line_error(run_cli("fix", missing), str(missing))


def test_path_through_a_file(run_cli, write):
    f = write("plain.txt", "x\n")
    _one_line_error(run_cli("check", f"{f}/inner.txt"), "inner.txt", "cannot read")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root can read a chmod 000 file")
def test_unreadable_file(run_cli, write):
    p = write("secret.txt", "The  talks.\n")
    p.chmod(0)
    try:
        _one_line_error(run_cli("check", p), str(p), "permission denied")
    finally:
        p.chmod(0o644)


def test_directory_given_as_file_to_reader():
    """read_path names a directory instead of raising IsADirectoryError."""
    from mtclean.errors import InputError
    from mtclean.textio import read_path
    with pytest.raises(InputError, match="is a directory"):
        read_path(os.path.dirname(__file__))


def test_empty_file_is_clean(run_cli, write):
    p = write("empty.txt", b"")
    res = run_cli("check", p)
    assert res.exit_code == 0 and res.stdout == "" and res.stderr == ""
    res = run_cli("check", "--output-format", "json", p)
    assert res.exit_code == 0 and json.loads(res.stdout) == []
    before = os.stat(p)
    assert run_cli("fix", p).exit_code == 0
    assert os.stat(p).st_mtime_ns == before.st_mtime_ns and p.read_bytes() == b""


def test_empty_stdin_is_clean(run_cli):
    assert run_cli("check", "-", input="").exit_code == 0


# --- malformed rule files ---------------------------------------------------------------

def test_rule_file_bad_yaml(run_cli, write):
    rules = write("broken.yaml", "version: 1\nrules:\n  - id: USR001\n    name: [unclosed\n")
    doc = write("a.txt", "text\n")
    msg = _one_line_error(run_cli("check", "--rules", rules, doc), f"{rules}:", "not valid YAML")
    assert msg.split(f"{rules}:")[1].split(":")[0].isdigit()  # FILE:LINE


@pytest.mark.parametrize("mutation,needle", [
    (("severity: warning", "severity: fatal"), "severity 'fatal'"),
    (("category: style", "category: prose"), "unknown category 'prose'"),
    (("kind: pattern", "kind: regexp"), "kind 'regexp'"),
    (("pattern: 'colour'", "pattern: '(colour'"), "pattern does not compile"),
    (("safety: safe", "safety: maybe"), "fix safety 'maybe'"),
    (("    name: user-usr001\n", "    name: user-usr001\n    colour: red\n"), "unknown key(s): colour"),
    (("    name: user-usr001\n", "    name: user-usr001\n    requires: [3]\n"), "'requires' must be a list"),
    (("    name: user-usr001\n", "    name: user-usr001\n    shape: ['a-z']\n"), "'shape' 'a-z' holds '-z'"),
    (("replacement: 'color'", "replacement: '\\\\2'"), "missing group '2'"),
])
def test_rule_file_bad_field_names_file_line_and_rule(run_cli, write, mutation, needle):
    text = rule_yaml().replace("    message:", "    severity: warning\n    message:", 1)
    old, new = mutation
    assert old in text
    rules = write("user.yaml", text.replace(old, new, 1))
    doc = write("a.txt", "text\n")
    _one_line_error(run_cli("check", "--rules", rules, doc), f"{rules}:3: rule USR001:", needle)


def test_rule_file_bad_id(run_cli, write):
    rules = write("user.yaml", rule_yaml(rid="usr1"))
    _one_line_error(run_cli("rules", "--rules", rules), f"{rules}:3:", "'usr1'")


def test_rule_file_duplicate_id(run_cli, write):
    a = write("one.yaml", rule_yaml(rid="USR001"))
    b = write("two.yaml", rule_yaml(rid="USR001"))
    _one_line_error(run_cli("rules", "--rules", a, "--rules", b), "duplicate id", "USR001")


def test_rule_file_wrong_version(run_cli, write):
    rules = write("user.yaml", rule_yaml().replace("version: 1", "version: 7"))
    _one_line_error(run_cli("rules", "--rules", rules), f"{rules}:1:", "version 7")


def test_rule_path_missing(run_cli, write, tmp_path):
    doc = write("a.txt", "text\n")
    _one_line_error(run_cli("check", "--rules", tmp_path / "none.yaml", doc), "none.yaml", "not found")


def test_rule_file_error_via_config(run_cli, write):
    write("rules/bad.yaml", "version: 1\nrules: {}\n")
    write(".mtclean.toml", 'extend-rules = ["rules"]\n')
    doc = write("a.txt", "text\n")
    _one_line_error(run_cli("check", doc), "bad.yaml", "'rules' must be a list")


# --- catastrophic user regex ------------------------------------------------------------

def _catastrophic_rules(write, pattern: str):
    return write("slow.yaml", rule_yaml(pattern=pattern, replacement=None, fixed=None,
                                        flag="aaa", passing="b"))


def test_catastrophic_pattern_is_reported_not_hung(run_proc, write):
    """`(a|a)+$` backtracks exponentially in `regex` on 'aaa…a!': the time limit stops it."""
    rules = _catastrophic_rules(write, "(a|a)+$")
    doc = write("a.txt", "a" * 40 + "!\n")
    t = time.monotonic()
    proc = run_proc("check", "--rules", rules, "--select", "USR001", doc, timeout=120)
    assert time.monotonic() - t < 100
    _one_line_error(proc, f"{rules}:3: rule USR001:", "catastrophic backtracking", "a.txt")


def test_nested_quantifier_on_long_text_terminates(run_proc, write):
    """`(a+)+$` on a long 'aaaa…b' text: either finished or reported, never hung."""
    rules = _catastrophic_rules(write, "(a+)+$")
    doc = write("a.txt", "a" * 3000 + "b\n")
    proc = run_proc("check", "--rules", rules, "--select", "USR001", doc, timeout=120)
    assert proc.returncode in (0, 2), proc.stderr
    if proc.returncode == 2:
        _one_line_error(proc, "USR001", "catastrophic")


# --- writing: atomic, permissions kept, untouched when clean ----------------------------

@pytest.fixture
def colour_rules(write):
    return write("colour.yaml", rule_yaml())


def _fix(run_cli, rules, *paths):
    return run_cli("fix", "--rules", rules, "--select", "USR001", *paths)


def test_crlf_preserved_on_fix(run_cli, write, colour_rules):
    p = write("crlf.txt", b"The colour.\r\nA second line.\r\n\r\nThe colour again.\r\n")
    assert _fix(run_cli, colour_rules, p).exit_code == 0
    assert p.read_bytes() == b"The color.\r\nA second line.\r\n\r\nThe color again.\r\n"


def test_bom_preserved_on_fix_and_offsets_exclude_it(run_cli, write, colour_rules):
    p = write("bom.txt", "\ufeffThe colour.\n".encode())
    res = run_cli("check", "--rules", colour_rules, "--select", "USR001",
                  "--output-format", "json", p)
    (f,) = json.loads(res.stdout)
    assert (f["start"], f["column"]) == (4, 5)
    assert _fix(run_cli, colour_rules, p).exit_code == 0
    assert p.read_bytes() == "\ufeffThe color.\n".encode()


def test_fix_keeps_permissions_and_leaves_no_temp_files(run_cli, write, colour_rules, tmp_path):
    p = write("perm.txt", "The colour.\n")
    p.chmod(0o640)
    ino = os.stat(p).st_ino
    assert _fix(run_cli, colour_rules, p).exit_code == 0
    assert stat.S_IMODE(os.stat(p).st_mode) == 0o640
    assert os.stat(p).st_ino != ino  # replaced by rename, not rewritten in place
    assert not [q for q in tmp_path.iterdir() if q.name.endswith(".mtclean-tmp")]


def test_file_with_nothing_to_fix_is_not_rewritten(run_cli, write, colour_rules):
    p = write("clean.txt", "The color.\n")
    past = time.time() - 3600
    os.utime(p, (past, past))
    before = os.stat(p)
    assert _fix(run_cli, colour_rules, p).exit_code == 0
    after = os.stat(p)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_bad_file_among_good_ones_is_left_alone(run_cli, write, colour_rules):
    good = write("good.txt", "The colour.\n")
    bad = write("bad.txt", b"The colour \xff.\n")
    res = _fix(run_cli, colour_rules, good, bad)
    assert res.exit_code == 2
    assert good.read_text() == "The color.\n"
    assert bad.read_bytes() == b"The colour \xff.\n"


def test_atomic_write_failure_keeps_original(tmp_path, monkeypatch):
    """If writing the temp file fails, the original is intact and no temp file remains."""
    from mtclean import textio
    p = tmp_path / "doc.txt"
    p.write_bytes(b"original\n")

    def boom(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(textio.os, "fsync", boom)
    with pytest.raises(OSError):
        textio.atomic_write(p, b"replacement that never lands\n")
    assert p.read_bytes() == b"original\n"
    assert [q.name for q in tmp_path.iterdir()] == ["doc.txt"]


# --- a 50 MB single-line file -----------------------------------------------------------

_PLACES = ["Harbin", "Lanzhou", "Porto", "Mombasa", "Tromso", "Cusco", "Hobart", "Tartu"]
_TOPICS = ["schools", "clinics", "bridges", "parks", "rail links", "water mains", "libraries"]

# Run mtclean in a child that reports its own peak memory (RUSAGE_SELF), so the figure is
# mtclean's and not the largest of every subprocess this test session has started.
_MEASURE = """
import resource, runpy, sys
sys.argv = ["mtclean"] + sys.argv[1:]
code = 0
try:
    runpy.run_module("mtclean", run_name="__main__")
except SystemExit as exc:
    code = exc.code or 0
sys.stderr.write(f"\\nMAXRSS_KB={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n")
sys.exit(code)
"""


def _news_line(size: int) -> str:
    """About `size` characters of varied, clean news prose on one line."""
    parts, n, i = [], 0, 0
    while n < size:
        place, topic = _PLACES[i % len(_PLACES)], _TOPICS[i % len(_TOPICS)]
        s = (f"The council of {place} approved budget item {i} on Tuesday, and officials said "
             f"{i % 97}.{i % 10}% of it would go to {topic}. Mr. Okafor called the plan "
             f"\"fair\" (for now) in a statement issued at {i % 12 + 1} p.m. ")
        parts.append(s)
        n += len(s)
        i += 1
    return "".join(parts)[:size]


@pytest.mark.slow
def test_50mb_single_line_bounded_time_and_memory(tmp_path):
    """Check a 50 MB file with no line break: it must finish (no hang, no crash) within a
    generous limit and without blowing up memory. Never a speed test."""
    import subprocess
    size = 50 * 1024 * 1024
    tail = "The talks  ended ,as planned. The end.\n"
    p = tmp_path / "huge.txt"
    p.write_text(_news_line(size - len(tail)) + tail, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", _MEASURE, "check", "--output-format", "json",
                           str(p)], capture_output=True, timeout=1200, cwd=str(tmp_path))
    err = proc.stderr.decode()
    assert proc.returncode in (0, 1), err[-2000:]
    findings = json.loads(proc.stdout)
    assert all(f["line"] == 1 for f in findings)
    assert any(f["text"] == "  " and f["category"] == "spacing" for f in findings)
    peak_kb = int(err.rsplit("MAXRSS_KB=", 1)[1].split()[0])
    assert peak_kb < 2.5 * 1024 * 1024, f"peak RSS {peak_kb / 1024:.0f} MB"


# --- odd but valid text: every built-in rule must cope ------------------------------------

_ODD_SHAPES = {
    "space-run": "a" + " " * 20_000 + "b\n",
    "tab-run": "a" + "\t" * 20_000 + "b\n",
    "dot-run": "." * 20_000 + "\n",
    "cjk-stop-run": "。" * 20_000 + "\n",
    "quote-run": "\"“”" * 7_000 + "\n",
    "bracket-run": "((((" * 5_000 + "\n",
    "comma-run": "a ," * 7_000 + "\n",
    "one-long-sentence": ("and the council said that " * 800) + "\n",
    "same-word": "the " * 5_000 + "\n",
    "han-run": "经济" * 10_000 + "\n",
    "blank-lines": "\n" * 20_000,
    "capitals": "Beijing Zhang Wei " * 1_200 + "\n",
}


@pytest.mark.timeout(600)
@pytest.mark.parametrize("shape", sorted(_ODD_SHAPES))
def test_builtin_rules_cope_with_odd_text(run_cli, write, shape):
    """Runs of one character and very long sentences are valid input: no rule may run out
    of time (exit 2) or crash on them."""
    p = write(f"{shape}.txt", _ODD_SHAPES[shape])
    res = run_cli("check", "--output-format", "json", p)
    assert res.exit_code in (0, 1), res.stderr
    findings = json.loads(res.stdout)
    # Output must stay proportional to the input: findings whose spans each run to the end
    # of the paragraph make it quadratic (a memory blow-up on a large file).
    flagged = sum(len(f["text"]) for f in findings)
    assert flagged <= 20 * len(_ODD_SHAPES[shape]) + 10_000, \
        f"{flagged} flagged characters for {len(_ODD_SHAPES[shape])} input: " + \
        ", ".join(sorted({f["rule"] for f in findings if len(f["text"]) > 1000}))


def test_broken_rule_file_reported_once_for_many_inputs(run_cli, write):
    rules = write("broken.yaml", "version: 1\nrules:\n  - id: USR001\n    name: [unclosed\n")
    docs = [write(f"doc{i}.txt", "text\n") for i in range(5)]
    _one_line_error(run_cli("check", "--rules", rules, *docs), "not valid YAML")


def test_crash_inside_a_check_is_one_line(run_cli, write, monkeypatch):
    """A bug in a check (here: one that raises) ends in one line naming rule and file."""
    from mtclean import checks

    @checks.check("test-crashing-check")
    def crashing(doc, rule):
        raise KeyError("boom")
        yield  # pragma: no cover

    @checks.check("test-out-of-range")
    def out_of_range(doc, rule):
        from mtclean.finding import Hit
        yield Hit(0, len(doc.text) + 5)

    try:
        for name, rid in (("test-crashing-check", "TST901"), ("test-out-of-range", "TST902")):
            rules = write(f"{rid}.yaml", "version: 1\nrules:\n"
                          f"  - {{id: {rid}, name: t-{rid.lower()}, category: style, message: m,"
                          f" kind: check, check: {name}}}\n")
            doc = write("a.txt", "Some text.\n")
            _one_line_error(run_cli("check", "--rules", rules, "--select", rid, doc),
                            str(doc), f"rule {rid} failed", "bug in mtclean")
    finally:
        checks._REGISTRY.pop("test-crashing-check", None)
        checks._REGISTRY.pop("test-out-of-range", None)
