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
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# Bytecode is cached as an installed package has it (pip compiles on install): with
# PYTHONDONTWRITEBYTECODE set, every run would recompile mtclean's sources (~0.3 s).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _wall(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=ENV)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--file", default="samples/clean-news.txt")
    args = ap.parse_args()
    check = [sys.executable, "-m", "mtclean", "check", args.file]
    bare = [sys.executable, "-c", "import regex, click, yaml"]
    for cmd in (check, bare):  # warm the OS file cache and the word-trie cache
        _wall(cmd)
    a, b, ratios = [], [], []
    for _ in range(args.rounds):
        ta, tb = _wall(check), _wall(bare)
        a.append(ta)
        b.append(tb)
        ratios.append(ta / tb)
    med = statistics.median
    print(f"rounds: {args.rounds} (alternating, whole processes, wall time)")
    print(f"mtclean check {args.file}: median {med(a) * 1000:.0f} ms "
          f"(min {min(a) * 1000:.0f}, max {max(a) * 1000:.0f})")
    print(f"python -c 'import regex, click, yaml': median {med(b) * 1000:.0f} ms "
          f"(min {min(b) * 1000:.0f}, max {max(b) * 1000:.0f})")
    print(f"ratio (paired): median {med(ratios):.2f}x (min {min(ratios):.2f}, max {max(ratios):.2f}); "
          "target <= 2.5x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
