"""`mtclean batch --resume`: a run killed with SIGKILL resumes without losing or duplicating."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from test_batch_records import batch, make_corpus, read_jsonl

OPTS = ["--chunk-size", "20", "--checkpoint-every", "40", "-q"]


def _corpus(tmp_path, n=2500):
    rows = make_corpus(n, seed=11)
    lines = [json.dumps(r) for r in rows]
    for i in range(0, n, 500):  # some malformed records, so the errors file is resumed too
        lines[i] = "{broken json " + str(i)
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return src, n


def _checkpoint(out):
    try:
        return json.loads(open(str(out) + ".mtclean-progress").read())
    except (OSError, ValueError):
        return None


def test_sigkill_then_resume_has_no_loss_or_duplicates(tmp_path):
    src, n = _corpus(tmp_path)
    ref = tmp_path / "ref.jsonl"
    assert batch(src, "-o", ref, *OPTS).exit_code == 0

    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "mtclean", "batch", str(src), "-o", str(out), *OPTS]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ck = _checkpoint(out)
            if ck and ck["items"] > 0:
                break
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    ck = _checkpoint(out)
    assert ck is not None and not ck["complete"] and 0 < ck["items"] < n, "the run was not killed mid-way"
    assert proc.returncode == -signal.SIGKILL

    stats = tmp_path / "stats.json"
    r = batch(src, "-o", out, *OPTS, "--resume", "--stats", stats)
    assert r.exit_code == 0, r.output
    assert out.read_bytes() == ref.read_bytes()
    assert (tmp_path / "out.errors.jsonl").read_bytes() == (tmp_path / "ref.errors.jsonl").read_bytes()
    got = read_jsonl(out)
    assert len(got) == len({g["id"] for g in got}) == n - len(read_jsonl(tmp_path / "out.errors.jsonl"))
    rec = json.loads(stats.read_text())["records"]
    assert rec["in"] == n == rec["out"] + rec["dropped"] + rec["errors"]
    assert _checkpoint(out) is None  # a completed run removes its checkpoint


def test_resume_of_a_finished_run_changes_nothing(tmp_path):
    src, _ = _corpus(tmp_path, 60)
    out = tmp_path / "out.jsonl"
    assert batch(src, "-o", out, *OPTS).exit_code == 0
    before = out.read_bytes()
    r = batch(src, "-o", out, *OPTS, "--resume")
    assert r.exit_code == 0, r.output
    assert out.read_bytes() == before


def test_resume_with_other_options_is_refused(tmp_path):
    src, _ = _corpus(tmp_path, 60)
    out = tmp_path / "out.jsonl"
    from mtclean.batch import resume as resume_mod
    from mtclean.batch.runner import _fingerprint_settings, Options
    from mtclean.batch.pipeline import Settings
    # An interrupted run's checkpoint (a finished run removes its own).
    opts = Options([str(src)], str(out), Settings(), chunk_size=20, checkpoint_every=40, quiet=True)
    fp = resume_mod.fingerprint(opts.inputs, _fingerprint_settings(opts))
    out.write_bytes(b"")
    (tmp_path / "out.errors.jsonl").write_bytes(b"")
    resume_mod.Checkpoint(fp, items=0, sizes={"out": 0, "errors": 0}).save(str(out) + ".mtclean-progress")
    r = batch(src, "-o", out, *OPTS, "--unsafe-fixes", "--resume")
    assert r.exit_code == 2 and "other inputs or options" in r.output
    r = batch(src, "-o", out, *OPTS, "--resume")
    assert r.exit_code == 0, r.output


def test_resume_cuts_bytes_written_after_the_checkpoint(tmp_path):
    src, n = _corpus(tmp_path, 100)
    out = tmp_path / "out.jsonl"
    ref = tmp_path / "ref.jsonl"
    assert batch(src, "-o", ref, *OPTS).exit_code == 0
    # Simulate a crash after a commit: keep the first 40 committed records, then garbage.
    lines = ref.read_bytes().splitlines(keepends=True)
    cut = sum(len(l) for l in lines[:39])  # line 1 of the input is malformed: 39 outputs
    out.write_bytes(ref.read_bytes()[:cut] + b'{"partial": tr')
    errs = (tmp_path / "ref.errors.jsonl").read_bytes()
    (tmp_path / "out.errors.jsonl").write_bytes(errs)
    from mtclean.batch import resume as resume_mod
    from mtclean.batch.runner import _fingerprint_settings, Options
    from mtclean.batch.pipeline import Settings
    opts = Options([str(src)], str(out), Settings(), chunk_size=20, checkpoint_every=40, quiet=True)
    fp = resume_mod.fingerprint(opts.inputs, _fingerprint_settings(opts))
    resume_mod.Checkpoint(fp, items=40, sizes={"out": cut, "errors": len(errs)},
                          counts={"in": 40, "out": 39, "errors": 1}).save(str(out) + ".mtclean-progress")
    r = batch(src, "-o", out, *OPTS, "--resume")
    assert r.exit_code == 0, r.output
    assert out.read_bytes() == ref.read_bytes()
