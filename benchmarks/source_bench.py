"""Source-aware checking on the WMT21 zh-en dev documents: findings and speed.

    python benchmarks/source_bench.py [--data DOCS.jsonl] [--rounds 5]

For the human reference and each of the six MT systems, every document is checked
against its Chinese source (one segment a line) and the findings of the source-aware
rules (SRC*, plus CJK004 for untranslated text inside a sentence) are counted per 1,000
segments. Speed: the same engine checks the same documents rules-only (no source) and
source-aware, a block of 7 documents both ways back to back, which side goes first
alternating, so load from other processes on a shared machine falls on both sides
alike; the ratio of the two summed times is printed per round and as the median of the
rounds, in wall-clock time and in the process's CPU time.
One-time loading (word lists, gazetteer, cn2an, pypinyin's table) happens in a first pass
over the reference before the timed rounds, so it is in neither side of the ratio.
`--per-rule N` then prints where the source-aware time goes: the CPU time of each SRC
rule (its check and its hits, summed over the documents), of pairing, and of the
monolingual rules on each side, each the least of N passes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path

from mtclean.api import build_engine
from mtclean.document import Document
from mtclean.source import attach, pair_texts

DATA = Path("/work/shared/data/wmt-zhen/dev/newstest2021.zh-en.docs.jsonl")  # ../shared from main
SYSTEMS = ("Online-A", "Online-B", "Online-G", "Online-W", "Online-Y", "NiuTrans")
FAMILIES = {
    "numbers": ("SRC001", "SRC002", "SRC003"),
    "untranslated": ("SRC010", "SRC011", "CJK004"),
    "names": ("SRC020", "SRC021"),
    "entities": ("SRC030",),
    "punctuation": ("SRC040", "SRC041", "SRC042"),
    "omission": ("SRC050", "SRC051"),
}


def corpora(docs) -> dict[str, list[tuple[str, str, int]]]:
    """(target text, source text, segments) per document, for the reference and each system."""
    out = {}
    for name in ("reference",) + SYSTEMS:
        rows = []
        for d in docs:
            tgt = d["ref"] if name == "reference" else d["systems"][name]
            rows.append(("\n".join(tgt), "\n".join(d["src"]), len(tgt)))
        out[name] = rows
    return out


def check_all(engine, rows, with_source: bool) -> Counter:
    counts: Counter = Counter()
    for tgt, src, _ in rows:
        context = attach(None, pair_texts(tgt, src) if with_source else None)
        for f in engine.check(Document(tgt, "-", context)):
            counts[f.rule] += 1
    return counts


def paired_round(engine, every, round_no: int, block: int = 7) -> tuple[tuple[float, float], tuple[float, float]]:
    """One round: the documents in blocks of `block`, each block checked rules-only and
    source-aware back to back, the side that goes first alternating by block and by
    round. A burst of load from other processes on the shared machine (seconds long)
    then falls on both sides of a block alike instead of on whichever side ran then,
    while each side still runs several documents on its own, as in use. (Blocks of one
    document measure 1-2% lower: each side then runs between two checks of the other,
    whose memory is in the caches. Blocks of all 357 are what earlier rounds did, and
    their ratio moves by ±0.1 from round to round.) (wall, CPU) seconds of each side."""
    wall = [0.0, 0.0]
    cpu = [0.0, 0.0]
    for b, k in enumerate(range(0, len(every), block)):
        rows = every[k:k + block]
        order = (False, True) if (b + round_no) % 2 == 0 else (True, False)
        for with_source in order:
            t, c = time.perf_counter(), time.process_time()
            check_all(engine, rows, with_source)
            wall[with_source] += time.perf_counter() - t
            cpu[with_source] += time.process_time() - c
    return (wall[0], wall[1]), (cpu[0], cpu[1])


def per_rule(engine, every, passes: int) -> None:
    """The CPU time of each rule on all documents, the least of `passes` passes per side."""
    clock = time.thread_time_ns
    best: dict = {False: defaultdict(lambda: float("inf")), True: defaultdict(lambda: float("inf"))}
    for _ in range(passes):
        for with_source in (False, True):
            spent: Counter = Counter()
            for tgt, src, _ in every:
                t = clock()
                doc = Document(tgt, "-", attach(None, pair_texts(tgt, src) if with_source else None))
                spent["(pairing)"] += clock() - t
                for rule, run in engine._active(doc):
                    t = clock()
                    for _hit in run(doc) or ():
                        pass
                    spent[rule.id] += clock() - t
            for key, ns in spent.items():
                best[with_source][key] = min(best[with_source][key], ns)
    plain, aware = best[False], best[True]
    mono = [k for k in aware if not k.startswith(("SRC", "("))]
    print(f"\nPer rule, CPU ms, least of {passes} passes (source-aware):")
    for key in sorted(k for k in aware if k.startswith(("SRC", "("))):
        print(f"  {key:<10}{aware[key] / 1e6:8.1f}")
    print(f"  {'SRC all':<10}{sum(v for k, v in aware.items() if k.startswith('SRC')) / 1e6:8.1f}")
    print(f"  monolingual rules: {sum(plain[k] for k in mono) / 1e6:.1f} rules-only, "
          f"{sum(aware[k] for k in mono) / 1e6:.1f} beside the source-aware ones")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--per-rule", type=int, default=0, metavar="N",
                    help="also time each rule, the least of N passes")
    args = ap.parse_args()
    if not args.data.is_file():
        ap.error(f"{args.data}: no such file (the WMT dev documents, JSONL: ../shared/data/wmt-zhen/dev/)")
    docs = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines()]
    data = corpora(docs)
    engine = build_engine()
    t = time.perf_counter()
    check_all(engine, data["reference"], False)  # loads the word lists and the gazetteer
    t1 = time.perf_counter()
    check_all(engine, data["reference"], True)  # loads cn2an and pypinyin's readings
    t2 = time.perf_counter()
    print(f"first pass over the reference (one-time loading included): rules-only {t1 - t:.2f} s, "
          f"source-aware {t2 - t1:.2f} s")

    print("\nFindings per 1,000 segments (source-aware rules; CJK004 is monolingual)")
    rules = [r for fam in FAMILIES.values() for r in fam]
    names = list(data)
    print(f"{'family':<13}{'rule':<8}" + "".join(f"{n:>11}" for n in names))
    per_name = {}
    for name in names:
        segs = sum(n for _, _, n in data[name])
        per_name[name] = (check_all(engine, data[name], True), segs)
    for fam, ids in FAMILIES.items():
        for rid in ids:
            row = [per_name[n][0][rid] * 1000 / per_name[n][1] for n in names]
            print(f"{fam:<13}{rid:<8}" + "".join(f"{v:>11.1f}" for v in row))
    total = [sum(per_name[n][0][r] for r in rules if r.startswith("SRC")) * 1000 / per_name[n][1] for n in names]
    print(f"{'all SRC':<21}" + "".join(f"{v:>11.1f}" for v in total))

    print(f"\nSpeed: all {sum(len(v) for v in data.values())} documents "
          f"({sum(n for v in data.values() for _, _, n in v)} segments), rules-only vs source-aware")
    every = [row for rows in data.values() for row in rows]
    ratios, cpu_ratios = [], []
    for i in range(args.rounds):
        (plain, aware), (c_plain, c_aware) = paired_round(engine, every, i)
        ratios.append(aware / plain)
        cpu_ratios.append(c_aware / c_plain)
        print(f"  round {i + 1}: rules-only {plain:.2f} s, source-aware {aware:.2f} s, ratio {aware / plain:.3f}"
              f" (CPU {c_plain:.2f} s, {c_aware:.2f} s, ratio {cpu_ratios[-1]:.3f})")
    wall, cpu = statistics.median(ratios), statistics.median(cpu_ratios)
    print(f"median ratio source-aware / rules-only: {wall:.3f} (+{(wall - 1) * 100:.0f}%; target at most +30%); "
          f"in CPU time {cpu:.3f} (+{(cpu - 1) * 100:.0f}%)")
    if args.per_rule:
        per_rule(engine, every, args.per_rule)

if __name__ == "__main__":
    main()
