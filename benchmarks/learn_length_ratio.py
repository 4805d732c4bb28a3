"""Learn the target/source length ratios that SRC050 (omission / addition) accepts.

Reads the human references of the WMT21 zh-en dev documents and, per bucket of source
length, takes the median and the median absolute deviation of log(target chars / source
chars). A segment is reported when its ratio lies more than K robust deviations from the
median of its bucket: K is wide (4), so the bounds describe what professional
translations do rather than the dev set's extremes. Prints the `buckets:` option of
SRC050 in rules/source.yaml (paste it there).

    python benchmarks/learn_length_ratio.py [--data DOCS.jsonl] [--k 4]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
from pathlib import Path

from mtclean.source.omission import length as source_length

DEFAULT = Path("/work/shared/data/wmt-zhen/dev/newstest2021.zh-en.docs.jsonl")  # ../shared from main
EDGES = (25, 50, 90, None)  # upper bounds of source length (non-space characters)


def length(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


def learn(pairs, k: float) -> list[dict]:
    by_bucket: dict[int, list[float]] = {i: [] for i in range(len(EDGES))}
    for src, ref in pairs:
        n, m = source_length(src), length(ref)
        if n and m:
            i = next(i for i, e in enumerate(EDGES) if e is None or n <= e)
            by_bucket[i].append(math.log(m / n))
    out = []
    for i, edge in enumerate(EDGES):
        logs = by_bucket[i]
        med = statistics.median(logs)
        mad = statistics.median(abs(x - med) for x in logs) * 1.4826
        out.append({"max_source": edge, "low": round(math.exp(med - k * mad), 2),
                    "high": round(math.exp(med + k * mad), 2), "segments": len(logs)})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--k", type=float, default=4.0)
    args = ap.parse_args()
    docs = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines()]
    pairs = [(s, r) for d in docs for s, r in zip(d["src"], d["ref"])]
    table = learn(pairs, args.k)
    print(f"# learned by benchmarks/learn_length_ratio.py on {len(pairs)} reference segments, k={args.k}")
    print("buckets:")
    for row in table:
        edge = "null" if row["max_source"] is None else row["max_source"]
        print(f"  - {{max_source: {edge}, low: {row['low']}, high: {row['high']}}}  # {row['segments']} segments")


if __name__ == "__main__":
    main()
