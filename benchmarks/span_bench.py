"""Span and edit sizes of the quote findings on real MT output (issue 13: minimal spans).

Runs QUO001/QUO002 over every system's output and the reference of the WMT dev data and
prints, per rule, the number of findings, the mean and median span length (code points)
and the mean length of the text the fixes replace (a fix that rewrites a whole quotation
to change one mark replaces the whole quotation). Usage:

    python benchmarks/span_bench.py [--data JSONL]
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from mtclean.api import build_engine
from mtclean.document import Document

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/wmt-zhen/dev/newstest2021.zh-en.docs.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(DEFAULT))
    args = ap.parse_args()
    engine = build_engine(select=["QUO001", "QUO002"])
    spans: dict[str, list[int]] = {}
    edits: dict[str, list[int]] = {}
    for line in open(args.data, encoding="utf-8"):
        doc = json.loads(line)
        outputs = [doc["ref"], *doc.get("systems", {}).values()]
        for segs in outputs:
            for f in engine.check(Document("\n\n".join(segs))):
                spans.setdefault(f.rule, []).append(f.end - f.start)
                if f.fix is not None:
                    edits.setdefault(f.rule, []).append(f.end - f.start)
    print(f"{'rule':8} {'findings':>8} {'mean span':>10} {'median':>7} {'fixes':>6} {'replaced':>10}")
    for rule in sorted(spans):
        s, e = spans[rule], edits.get(rule, [])
        print(f"{rule:8} {len(s):8d} {statistics.mean(s):10.1f} {statistics.median(s):7.1f} "
              f"{len(e):6d} {statistics.mean(e) if e else 0:10.1f}")


if __name__ == "__main__":
    main()
