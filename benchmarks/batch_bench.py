"""Benchmark `mtclean batch`: throughput (1 and 2 workers, Dask) against sacremoses and ftfy,
and peak memory on large generated inputs.

All text comes from the WMT dev data (references and system outputs), repeated to the
requested size and written under /tmp (never into the repository). Run:

    python benchmarks/batch_bench.py              # 50 MB throughput, 100 MB and 1 GB memory
    python benchmarks/batch_bench.py --quick      # memory runs stop after --rss-seconds

Throughput is measured in rounds (`--rounds`, default 2): the bar tools right before and
after one worker, then two workers; the ratios printed last are the medians of the rounds.

Words are whitespace-separated tokens, counted the same way for every tool.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATA = "/work/shared/data/wmt-zhen/dev/newstest2021.zh-en.docs.jsonl"
PY = sys.executable


def segments(data: str) -> list[tuple[str, str]]:
    """(document id, segment) for every reference and system segment, in document order."""
    out = []
    with open(data, encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            out.extend((f"{doc['doc_id']}/ref", s) for s in doc["ref"])
            for name, segs in doc["systems"].items():
                out.extend((f"{doc['doc_id']}/{name}", s) for s in segs)
    return out


def build(path: Path, size_mb: float, segs) -> Path:
    """Write JSONL records ({"doc", "text"}) repeating the segments up to `size_mb`."""
    if path.exists() and path.stat().st_size >= size_mb * 1e6:
        return path
    target = size_mb * 1e6
    written, rep = 0, 0
    with open(path, "w", encoding="utf-8") as fh:
        while written < target:
            block = "".join(json.dumps({"doc": f"{rep}:{d}", "text": t}, ensure_ascii=False) + "\n"
                            for d, t in segs)
            fh.write(block)
            written += len(block.encode("utf-8"))
            rep += 1
    return path


def tree_memory(proc, cpu: dict) -> tuple[int, int]:
    """(sum of RSS, sum of PSS) over a process and its descendants; PSS splits shared pages.
    Also records each process's CPU seconds so far in `cpu` (pid -> seconds)."""
    import psutil

    try:
        p = psutil.Process(proc.pid)
        procs = [p] + p.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0, 0
    rss = pss = 0
    for q in procs:
        try:
            info = q.memory_full_info()
            t = q.cpu_times()
            cpu[q.pid] = t.user + t.system
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
        except psutil.NoSuchProcess:
            pass
    return rss, pss


def run_batch(inp: Path, out: Path, extra: list[str], time_limit: float | None = None) -> dict:
    """Run `mtclean batch` in a subprocess; return its stats plus peak RSS of the process tree."""
    stats = out.with_suffix(".stats.json")
    cmd = [PY, "-m", "mtclean", "batch", str(inp), "-o", str(out), "--stats", str(stats), "-q", *extra]
    load = os.getloadavg()[0]
    cpu_by_pid: dict = {}
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, start_new_session=True)
    peak = peak_pss = 0
    samples = []
    killed = False
    while proc.poll() is None:
        rss, pss = tree_memory(proc, cpu_by_pid)
        peak, peak_pss = max(peak, rss), max(peak_pss, pss)
        samples.append((round(time.monotonic() - t0, 1), rss))
        if time_limit and time.monotonic() - t0 > time_limit:
            os.killpg(proc.pid, signal.SIGINT)  # like Ctrl-C: workers shut down cleanly
            killed = True
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            break
        time.sleep(0.2)
    wall = time.monotonic() - t0
    cpu = sum(cpu_by_pid.values())  # sampled every 0.2 s: the last fraction is missed
    main_cpu = cpu_by_pid.get(proc.pid, 0.0)
    res = {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "main_process_cpu_s": round(main_cpu, 1),
           "busiest_process_cpu_s": round(max(cpu_by_pid.values(), default=0.0), 1),
           "load_before": round(load, 1),
           "peak_rss_mb": round(peak / 2**20, 1), "peak_pss_mb": round(peak_pss / 2**20, 1),
           "completed": not killed,
           "rss_samples_mb": [(t, round(r / 2**20)) for t, r in samples[:: max(1, len(samples) // 8)]]}
    if not killed:
        if proc.returncode != 0:
            raise SystemExit(f"mtclean batch failed ({proc.returncode}): {' '.join(cmd)}")
        st = json.loads(stats.read_text())
        res.update(words=st["words"], records=st["records"]["in"], words_per_s=st["words_per_second"],
                   words_per_cpu_s=round(st["words"] / cpu) if cpu > 0 else None)
    else:
        res["output_bytes_before_stop"] = out.stat().st_size if out.exists() else 0
    return res


def bar_tools(inp: Path) -> dict:
    """Words/s of sacremoses' punctuation normalizer and ftfy.fix_text on the same texts."""
    import ftfy
    from sacremoses import MosesPunctNormalizer

    texts = []
    with open(inp, encoding="utf-8") as fh:
        texts = [json.loads(l)["text"] for l in fh]
    words = sum(len(t.split()) for t in texts)
    out = {"words": words}
    out["load_before"] = round(os.getloadavg()[0], 1)
    norm = MosesPunctNormalizer(lang="en")
    for name, fn in (("sacremoses", norm.normalize), ("ftfy", ftfy.fix_text)):
        t, c = time.perf_counter(), time.process_time()
        for s in texts:
            fn(s)
        out[f"{name}_words_per_s"] = round(words / (time.perf_counter() - t))
        out[f"{name}_words_per_cpu_s"] = round(words / (time.process_time() - c))
    return out


def profile_rules(segs, n: int = 3000, top: int = 12) -> list[dict]:
    """Time each rule's detection over `n` segments: where rules-only time goes."""
    from mtclean.api import build_engine
    from mtclean.document import Document
    from mtclean.engine import hits_for

    engine = build_engine()
    docs = [Document(t, "bench") for _, t in segs[:n]]
    for rule in engine.rules:  # first pass: lazy data loading is not timed
        for d in docs[:50]:
            list(hits_for(d, rule))
    docs = [Document(t, "bench") for _, t in segs[:n]]
    t = time.perf_counter()
    for d in docs:
        d.sentences  # segmentation, cached per document
    timings = {"(segmentation)": time.perf_counter() - t}
    for rule in engine.rules:
        t = time.perf_counter()
        for d in docs:
            list(hits_for(d, rule))
        timings[f"{rule.id} {rule.kind}:{rule.check or rule.name}"] = time.perf_counter() - t
    total = sum(timings.values())
    ranked = sorted(timings.items(), key=lambda kv: -kv[1])
    return [{"rule": k, "ms_per_1k_segments": round(1000 * v / n * 1000, 1), "share": round(v / total, 3)}
            for k, v in ranked[:top]]


def _ratios(rnd: dict) -> dict:
    """The ratios of one round; the bar is the mean of its before and after measurements."""
    bar = {k: (rnd["bar_before"][k] + rnd["bar_after"][k]) / 2
           for k in rnd["bar_before"] if k.endswith("_per_s") or k.endswith("_per_cpu_s")}
    w1, w2 = rnd["workers_1"], rnd["workers_2"]
    one, two, cpu1 = w1["words_per_s"], w2["words_per_s"], w1["words_per_cpu_s"]
    return {"w1_vs_sacremoses": round(one / bar["sacremoses_words_per_s"], 3),
            "w1_vs_ftfy": round(one / bar["ftfy_words_per_s"], 3),
            "w2_vs_w1": round(two / one, 3),
            # On dedicated cores the wall time follows the busiest process:
            "w2_vs_w1_by_cpu": round(w1["cpu_s"] / w2["busiest_process_cpu_s"], 3),
            "w1_vs_sacremoses_cpu": round(cpu1 / bar["sacremoses_words_per_cpu_s"], 3),
            "w1_vs_ftfy_cpu": round(cpu1 / bar["ftfy_words_per_cpu_s"], 3)}


def dask_cluster(tmp: Path):
    """Start a scheduler and two single-thread workers on 127.0.0.1; return (address, procs)."""
    dask = str(Path(PY).with_name("dask"))
    sched = tmp / "scheduler.json"
    log = open(tmp / "dask.log", "wb")
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(sched)], stdout=log, stderr=log, start_new_session=True)]
    deadline = time.monotonic() + 60
    address = None
    while address is None and time.monotonic() < deadline:
        try:
            address = json.loads(sched.read_text())["address"]
        except (OSError, ValueError, KeyError):
            time.sleep(0.2)
    if address is None:
        raise SystemExit("the Dask scheduler did not start; see " + str(tmp / "dask.log"))
    for i in range(2):
        procs.append(subprocess.Popen([dask, "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                                       "--nworkers", "1", "--no-dashboard", "--local-directory", str(tmp / f"w{i}")],
                                      stdout=log, stderr=log, start_new_session=True))
    from distributed import Client
    with Client(address, timeout=60) as c:
        c.wait_for_workers(2, timeout=60)
    return address, procs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-mb", type=float, default=50, help="throughput corpus size (default 50)")
    ap.add_argument("--rss-sizes", default="100,1000", help="memory-run input sizes in MB")
    ap.add_argument("--quick", action="store_true", help="stop memory runs after --rss-seconds")
    ap.add_argument("--rss-seconds", type=float, default=90)
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--rounds", type=int, default=2, help="throughput rounds; ratios are their medians")
    ap.add_argument("--profile", action="store_true", help="only time each rule on 3,000 segments")
    ap.add_argument("--dir", default=None, help="work directory (default: a new one under /tmp)")
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    ap.add_argument("--json", default=None, help="also write the results here")
    args = ap.parse_args()

    segs = segments(DATA)
    results: dict = {"cpus": os.cpu_count()}
    if args.profile:
        for row in profile_rules(segs):
            print(f"{row['share']:6.1%}  {row['ms_per_1k_segments']:8.1f} ms/1k segments  {row['rule']}")
        return
    tmp = Path(args.dir or tempfile.mkdtemp(prefix="mtclean-bench-", dir="/tmp"))
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        corpus = build(tmp / f"corpus-{args.size_mb:g}mb.jsonl", args.size_mb, segs)
        results["corpus_mb"] = round(corpus.stat().st_size / 1e6, 1)
        print(f"corpus: {corpus} ({results['corpus_mb']} MB)", flush=True)

        # On a shared machine the speed of everything drifts by a tenth or more within
        # minutes. So each round measures the bar right before and right after the
        # one-worker run (their mean is the bar), then two workers; the ratios reported are
        # the medians over the rounds, with every round kept in the results.
        rounds = []
        for i in range(args.rounds):
            rnd: dict = {"bar_before": bar_tools(corpus)}
            print(f"round {i + 1} bar before:", rnd["bar_before"], flush=True)
            for w in (1, 2):
                r = run_batch(corpus, tmp / f"out-w{w}.jsonl", ["--workers", str(w)])
                rnd[f"workers_{w}"] = r
                print(f"round {i + 1} workers={w}:", {k: v for k, v in r.items() if k != "rss_samples_mb"}, flush=True)
                (tmp / f"out-w{w}.jsonl").unlink(missing_ok=True)
                if w == 1:
                    rnd["bar_after"] = bar_tools(corpus)
                    print(f"round {i + 1} bar after:", rnd["bar_after"], flush=True)
            rnd["ratios"] = _ratios(rnd)
            print(f"round {i + 1} ratios:", rnd["ratios"], flush=True)
            rounds.append(rnd)
        results["rounds"] = rounds
        results["ratios"] = {k: round(statistics.median(r["ratios"][k] for r in rounds), 3)
                             for k in rounds[0]["ratios"]}
        two = statistics.median(r["workers_2"]["words_per_s"] for r in rounds)
        print("ratios:", results["ratios"], flush=True)

        if not args.skip_dask:
            address, procs = dask_cluster(tmp)
            try:
                r = run_batch(corpus, tmp / "out-dask.jsonl", ["--dask", address])
                results["dask_2_workers"] = r
                results["ratios"]["dask_vs_w2"] = round(r["words_per_s"] / two, 3)
                print("dask:", {k: v for k, v in r.items() if k != "rss_samples_mb"}, flush=True)
            finally:
                for p in procs:
                    try:
                        os.killpg(p.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    p.wait()
            (tmp / "out-dask.jsonl").unlink(missing_ok=True)

        for mb in [float(x) for x in args.rss_sizes.split(",") if x]:
            big = build(tmp / f"big-{mb:g}mb.jsonl", mb, segs)
            r = run_batch(big, tmp / "out-big.jsonl", ["--workers", "2"],
                          time_limit=args.rss_seconds if args.quick else None)
            results[f"rss_{mb:g}mb"] = r
            print(f"memory {mb:g} MB input:", r, flush=True)
            (tmp / "out-big.jsonl").unlink(missing_ok=True)
            if not args.keep:
                big.unlink(missing_ok=True)
    finally:
        if not args.keep and not args.dir:
            shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    print(json.dumps(results["ratios"]))


if __name__ == "__main__":
    main()
