"""Start-up cost: `mtclean check` on one small file against importing its three base libraries.

Both are whole processes, run alternately (A B A B ...) so drift of the machine's speed hits
both alike; the ratio is taken pair by pair and the median is quoted. The issue's target is
at most 2.5x.

    python benchmarks/startup_bench.py                 # 15 rounds
    python benchmarks/startup_bench.py --rounds 30 --file samples/quotes.txt
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# Bytecode is cached as an installed package has it (pip compiles on install): with
# PYTHONDONTWRITEBYTECODE set, every run would recompile mtclean's sources (~0.3 s).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _run(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one whole process. On a shared machine CPU time is
    the steadier figure: wall time also counts the time spent waiting for a core."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=ENV)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--file", default="samples/clean-news.txt")
    args = ap.parse_args()
    check = [sys.executable, "-m", "mtclean", "check", args.file]
    bare = [sys.executable, "-c", "import regex, click, yaml"]
    for cmd in (check, bare):  # warm the OS file cache, the bytecode and the word tries
        _run(cmd)
    runs: dict[str, list[tuple[float, float]]] = {"check": [], "bare": []}
    for _ in range(args.rounds):
        runs["check"].append(_run(check))
        runs["bare"].append(_run(bare))
    med = statistics.median
    print(f"rounds: {args.rounds} (alternating A B A B, whole processes)")
    names = {"check": f"A  mtclean check {args.file}", "bare": "B  python -c 'import regex, click, yaml'"}
    for key, label in names.items():
        for i, what in enumerate(("wall", "cpu")):
            xs = [r[i] for r in runs[key]]
            print(f"{label:<48} {what:>4}: median {med(xs) * 1000:5.0f} ms "
                  f"(min {min(xs) * 1000:.0f}, max {max(xs) * 1000:.0f})")
    for i, what in enumerate(("wall", "cpu")):
        ratios = [a[i] / b[i] for a, b in zip(runs["check"], runs["bare"])]
        print(f"A/B {what} (paired): median {med(ratios):.2f}x "
              f"(min {min(ratios):.2f}, max {max(ratios):.2f}); target <= 2.5x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
