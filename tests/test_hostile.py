"""Hostile inputs, files, signals and shapes (issue 11): nothing lost, nothing crashes.

Each case states what a hostile user does and what must hold: exit 2 with one line naming
the file, no traceback, no file replaced, truncated or split. Cases are tables where the
same mistake can be made in several places (every output path of batch against every
input; symlink, FIFO, hard link, read-only for `fix`, batch outputs and checkpoints).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import rule_yaml

ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0


def one_line_error(res, *needles: str) -> str:
    """Assert exit 2 and a single stderr line holding every needle; return it."""
    err = res.stderr if isinstance(res.stderr, str) else res.stderr.decode()
    code = res.exit_code if hasattr(res, "exit_code") else res.returncode
    assert code == 2, (code, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


@pytest.fixture
def colour(write):
    return write("colour.yaml", rule_yaml())


def fix(run_cli, rules, *paths):
    return run_cli("fix", "--rules", rules, "--select", "USR001", *paths)


# --- fix: what it writes to -------------------------------------------------------------

def test_fix_through_symlink_fixes_target_and_keeps_link(run_cli, write, colour, tmp_path):
    target = write("real/story.txt", "The colour.\n")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    assert fix(run_cli, colour, link).exit_code == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "The color.\n"
    assert not [q for q in target.parent.iterdir() if q.name.endswith(".mtclean-tmp")]


def test_fix_through_relative_symlink_chain(run_cli, write, colour, tmp_path):
    target = write("a/story.txt", "The colour.\n")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "one.txt").symlink_to("../a/story.txt")
    (tmp_path / "two.txt").symlink_to("b/one.txt")
    assert fix(run_cli, colour, tmp_path / "two.txt").exit_code == 0
    assert (tmp_path / "two.txt").is_symlink() and (tmp_path / "b" / "one.txt").is_symlink()
    assert target.read_text() == "The color.\n"


def test_fix_hard_link_is_fixed_in_place_for_every_name(run_cli, write, colour, tmp_path):
    a = write("a.txt", "The colour.\n")
    b = tmp_path / "b.txt"
    os.link(a, b)
    ino = os.stat(a).st_ino
    assert fix(run_cli, colour, a).exit_code == 0
    assert os.stat(a).st_ino == os.stat(b).st_ino == ino and os.stat(a).st_nlink == 2
    assert b.read_text() == a.read_text() == "The color.\n"
    assert not [q for q in tmp_path.iterdir() if q.name.endswith(".mtclean-tmp")]


def test_fix_refuses_fifo_and_leaves_it(run_cli, tmp_path, colour):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    one_line_error(fix(run_cli, colour, fifo), str(fifo), "FIFO", "regular files only")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
@pytest.mark.parametrize("command", ["check", "fix"])
def test_devices_are_refused(run_cli, device, command):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    one_line_error(run_cli(command, device), device, "character device")


def test_symlink_to_device_is_refused(run_cli, tmp_path):
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    one_line_error(run_cli("check", link), str(link), "character device")
    assert link.is_symlink()


def test_dangling_symlink(run_cli, tmp_path):
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    one_line_error(run_cli("check", link), str(link), "no such file")


@pytest.mark.parametrize("mode", [0o444, 0o400, 0o555])
def test_fix_respects_read_only_file(run_cli, write, colour, mode):
    p = write("ro.txt", "The colour.\n")
    p.chmod(mode)
    try:
        ino = os.stat(p).st_ino
        one_line_error(fix(run_cli, colour, p), str(p), "read-only")
        assert p.read_text() == "The colour.\n" and os.stat(p).st_ino == ino
        assert stat.S_IMODE(os.stat(p).st_mode) == mode
    finally:
        p.chmod(0o644)


def test_fix_read_only_target_through_symlink(run_cli, write, colour, tmp_path):
    p = write("ro.txt", "The colour.\n")
    p.chmod(0o444)
    link = tmp_path / "ln.txt"
    link.symlink_to(p)
    try:
        one_line_error(fix(run_cli, colour, link), str(link), "read-only")
        assert p.read_text() == "The colour.\n" and link.is_symlink()
    finally:
        p.chmod(0o644)


def test_read_only_file_does_not_stop_the_others(run_cli, write, colour):
    ro = write("ro.txt", "The colour.\n")
    ok = write("ok.txt", "The colour.\n")
    ro.chmod(0o444)
    try:
        res = fix(run_cli, colour, ro, ok)
        assert res.exit_code == 2 and "read-only" in res.stderr
        assert ok.read_text() == "The color.\n" and ro.read_text() == "The colour.\n"
    finally:
        ro.chmod(0o644)


@pytest.fixture
def locked_dir(tmp_path):
    """A directory nobody may create files in: chmod 555, or, as root (who ignores modes),
    the immutable attribute (chattr +i)."""
    d = tmp_path / "locked"
    d.mkdir()

    def lock():
        if ROOT_USER:
            if shutil.which("chattr") is None or subprocess.run(
                    ["chattr", "+i", str(d)], capture_output=True).returncode != 0:
                pytest.skip("root and no chattr +i here: cannot make a read-only directory")
        else:
            d.chmod(0o555)

    yield d, lock
    if ROOT_USER and shutil.which("chattr"):
        subprocess.run(["chattr", "-i", str(d)], capture_output=True)
    d.chmod(0o755)


def test_fix_in_read_only_directory_is_one_line(run_proc, write, locked_dir):
    d, lock = locked_dir
    rules = write("colour.yaml", rule_yaml())
    p = d / "story.txt"
    p.write_text("The colour.\n")
    lock()
    res = run_proc("fix", "--rules", rules, "--select", "USR001", p)
    one_line_error(res, str(p), "cannot write", "permission denied")
    assert p.read_text() == "The colour.\n"
    assert sorted(q.name for q in d.iterdir()) == ["story.txt"]


def test_concurrent_change_before_rename_is_detected(tmp_path):
    """Someone appends between read and rename: the file is left with their edit, exit 2."""
    from mtclean.errors import InputError
    from mtclean.textio import read_path, write_back
    p = tmp_path / "story.txt"
    p.write_bytes(b"The colour.\n")
    source = read_path(p)
    with open(p, "ab") as fh:
        fh.write(b"An appended paragraph.\n")
    with pytest.raises(InputError, match="changed on disk"):
        write_back(source, b"The color.\n")
    assert p.read_bytes() == b"The colour.\nAn appended paragraph.\n"
    assert [q.name for q in tmp_path.iterdir()] == ["story.txt"]


def test_same_size_same_mtime_change_is_detected_by_hash(tmp_path):
    from mtclean.errors import InputError
    from mtclean.textio import read_path, write_back
    p = tmp_path / "story.txt"
    p.write_bytes(b"The colour.\n")
    st = os.stat(p)
    source = read_path(p)
    p.write_bytes(b"The COLOUR.\n")
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
    with pytest.raises(InputError, match="changed on disk"):
        write_back(source, b"The color.\n")
    assert p.read_bytes() == b"The COLOUR.\n"


def test_concurrent_append_during_real_fix_run(tmp_path):
    """A real `mtclean fix` on a 10 MB file while another process appends to it: either
    the append lands after the fix (the fix finished first) or the fix refuses, exit 2;
    the appended text is never lost."""
    p = tmp_path / "big.txt"
    para = "Officials in the the city said on Monday that work would resume , a spokesman added.\n\n"
    p.write_text(para * (10_000_000 // len(para)))
    proc = subprocess.Popen([sys.executable, "-m", "mtclean", "fix", "--select", "REP001,SPC002", p],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path)
    time.sleep(1.5)
    with open(p, "ab") as fh:
        fh.write(b"APPENDED BY SOMEONE ELSE\n")
    _, err = proc.communicate(timeout=300)
    data = p.read_bytes()
    if proc.returncode == 2:
        assert b"changed on disk" in err and data.endswith(b"APPENDED BY SOMEONE ELSE\n")
        assert b"the the" in data  # left alone
    else:
        # The fix was renamed into place before the append: the append went to the new file.
        assert data.endswith(b"APPENDED BY SOMEONE ELSE\n"), err
    assert not [q for q in tmp_path.iterdir() if q.name.endswith(".mtclean-tmp")]


def test_ctrl_c_during_fix_exits_130_and_writes_nothing(tmp_path):
    p = tmp_path / "big.txt"
    para = "Officials in the the city said on Monday that work would resume , a spokesman added.\n\n"
    data = (para * (30_000_000 // len(para))).encode()
    p.write_bytes(data)
    proc = subprocess.Popen([sys.executable, "-m", "mtclean", "fix", p],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path)
    time.sleep(3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err and b"interrupted" in err
    assert p.read_bytes() == data
    assert [q.name for q in tmp_path.iterdir()] == ["big.txt"]


# --- reading: hostile files -------------------------------------------------------------

@pytest.mark.parametrize("bom,name", [(b"\xff\xfe", "UTF-16LE"), (b"\xfe\xff", "UTF-16BE"),
                                      (b"\xff\xfe\x00\x00", "UTF-32LE")])
def test_utf16_and_utf32_are_named(run_cli, write, bom, name):
    codec = {"UTF-16LE": "utf-16-le", "UTF-16BE": "utf-16-be", "UTF-32LE": "utf-32-le"}[name]
    p = write("wide.txt", bom + "The colour of the sky.\n".encode(codec))
    msg = one_line_error(run_cli("check", p), str(p), name, "iconv")
    assert "binary" not in msg
    one_line_error(run_cli("fix", p), name)
    one_line_error(run_cli("check", "-", input=p.read_bytes()), "<stdin>", name)


@pytest.mark.parametrize("limit,size,ok", [("1k", 1024, True), ("1k", 1025, False),
                                           ("2M", 3 << 20, False), ("4M", 3 << 20, True)])
def test_max_file_size(run_cli, write, limit, size, ok):
    p = write("big.txt", b"a" * (size - 1) + b"\n")
    res = run_cli("check", "--max-file-size", limit, p)
    if ok:
        assert res.exit_code in (0, 1), res.stderr
    else:
        one_line_error(res, str(p), "limit", "--max-file-size")
        one_line_error(run_cli("check", "--max-file-size", limit, "-", input=p.read_bytes()),
                       "<stdin>", "--max-file-size")


@pytest.mark.parametrize("value", ["lots", "-5", "0", ""])
def test_bad_max_file_size_value(run_cli, write, value):
    p = write("a.txt", "ok\n")
    one_line_error(run_cli("check", "--max-file-size", value, p), "--max-file-size")
