"""`mtclean batch --dask` on a real local cluster: a scheduler and two workers on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_batch_records import batch, make_corpus, write_jsonl

DASK = str(Path(sys.executable).with_name("dask"))


def _start(args, log):
    return subprocess.Popen([DASK, *args], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _stop(proc) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait(10)


def _address(sched_file, timeout=30):
    """The scheduler's address, once its file is fully written."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return json.loads(sched_file.read_text())["address"]
        except (OSError, ValueError, KeyError):
            time.sleep(0.1)
    return None


@pytest.fixture
def cluster(tmp_path):
    """Yield (address, worker processes); everything is killed afterwards."""
    from distributed import Client

    sched_file = tmp_path / "scheduler.json"
    log = open(tmp_path / "dask.log", "wb")
    procs = [_start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                     "--scheduler-file", str(sched_file)], log)]
    try:
        address = _address(sched_file)
        assert address, (tmp_path / "dask.log").read_text()
        workers = [_start(["worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                           "--nworkers", "1", "--no-dashboard", "--local-directory", str(tmp_path / f"w{i}")],
                          log) for i in range(2)]
        procs += workers
        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=30)
        yield address, workers
    finally:
        for p in reversed(procs):
            _stop(p)
        log.close()


def test_dask_output_identical_to_local(tmp_path, cluster):
    address, _ = cluster
    src = tmp_path / "in.jsonl"
    rows = make_corpus(300, seed=21)
    write_jsonl(src, rows[:150] + [{"text": ["not", "a", "string"]}] + rows[150:])
    local, remote = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    assert batch(src, "-o", local, "--doc-field", "doc", "--chunk-size", "16", "-q").exit_code == 0
    r = batch(src, "-o", remote, "--doc-field", "doc", "--chunk-size", "16", "--dask", address, "-q")
    assert r.exit_code == 0, r.output
    assert remote.read_bytes() == local.read_bytes()
    assert (tmp_path / "dask.errors.jsonl").read_bytes() == (tmp_path / "local.errors.jsonl").read_bytes()


def test_killed_worker_loses_and_duplicates_nothing(tmp_path, cluster):
    address, workers = cluster
    src = tmp_path / "in.jsonl"
    n = 2000
    write_jsonl(src, make_corpus(n, seed=22))
    ref = tmp_path / "ref.jsonl"
    opts = ["--chunk-size", "10", "-q"]
    assert batch(src, "-o", ref, *opts).exit_code == 0
    out = tmp_path / "out.jsonl"
    run = subprocess.Popen([sys.executable, "-m", "mtclean", "batch", str(src), "-o", str(out),
                            "--dask", address, *opts], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (not out.exists() or out.stat().st_size == 0):
            time.sleep(0.02)
        assert run.poll() is None, "the run finished before a worker could be killed"
        os.killpg(workers[0].pid, signal.SIGKILL)
        _, err = run.communicate(timeout=120)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    assert run.returncode == 0, err.decode()
    ids = [json.loads(l)["id"] for l in out.read_text().splitlines()]
    assert ids == list(range(n))
    assert out.read_bytes() == ref.read_bytes()


def test_clean_bag_matches_local_api(cluster):
    import dask.bag as db
    from distributed import Client

    from mtclean.batch import Settings, clean_bag, clean_records

    address, _ = cluster
    recs = make_corpus(40, seed=23)
    settings = Settings(select=("SPC",))
    with Client(address, timeout=30) as client:
        got = clean_bag(db.from_sequence(recs, npartitions=4), settings, doc_field="doc").compute(scheduler=client.get)
    assert got == list(clean_records(recs, settings, doc_field="doc"))
