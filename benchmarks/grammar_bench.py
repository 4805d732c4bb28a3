"""Grammar backend throughput on the dev references (a benchmark, not a test).

Prints words/s for: rules only; rules + Harper; rules + LanguageTool with 1 and 2
concurrent requests; plus LanguageTool start-up seconds and the JVM's resident memory.

    python benchmarks/grammar_bench.py [--data JSONL] [--xmx 1g] [--chunk 2000] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import psutil

from mtclean import grammar
from mtclean.api import build_engine
from mtclean.document import Document
from mtclean.grammar import server

DEFAULT_DATA = "/work/shared/data/wmt-zhen/dev/newstest2021.zh-en.docs.jsonl"


def load_docs(path: str) -> list[str]:
    """One text per document: its reference segments as paragraphs (as the eval builds them)."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            ref = json.loads(line)["ref"]
            out.append(("\n\n".join(ref) if isinstance(ref, list) else ref) + "\n")
    return out


def run(engine, texts: list[str], repeat: int) -> tuple[float, int]:
    """Seconds to check every text `repeat` times, and the finding count of one pass."""
    t0 = time.perf_counter()
    n = 0
    for r in range(repeat):
        for i, text in enumerate(texts):
            found = engine.check(Document(text, f"doc{i}.txt", {}))
            n += len(found) if r == 0 else 0
    return time.perf_counter() - t0, n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--xmx", default=server.DEFAULT_XMX)
    ap.add_argument("--chunk", type=int, default=None, help="LanguageTool chunk size (chars)")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()

    texts = load_docs(args.data)
    words = sum(len(t.split()) for t in texts) * args.repeat
    print(f"data: {args.data}: {len(texts)} documents, {words // args.repeat} words")
    print(f"machine: {psutil.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")

    def report(label: str, secs: float, n: int) -> None:
        print(f"{label:<34} {words / secs:>9.0f} words/s  ({secs:.1f}s, {n} findings)")

    rules = build_engine()
    run(rules, texts[:2], 1)  # load rules and lazy indexes outside the timing
    report("rules only", *run(rules, texts, args.repeat))

    t0 = time.perf_counter()
    grammar.harper.findings(Document("Warm up.", "-", {}))
    print(f"{'Harper linter construction':<34} {time.perf_counter() - t0:>9.2f} s")
    report("rules + Harper", *run(build_engine(detectors=[grammar.harper_detector]), texts, args.repeat))

    if not (server.classpath() and server.java_path()):
        print("LanguageTool: not installed (run `mtclean languagetool install`); skipped")
        return 0
    srv = server.LocalServer(xmx=args.xmx, threads=2, cache_size=0)
    t0 = time.perf_counter()
    srv.start()
    print(f"{'LanguageTool start-up (incl. warm-up)':<34} {time.perf_counter() - t0:>9.2f} s")
    try:
        # the JVM compiles LanguageTool's hot paths during the first checks: warm it up
        # (unmeasured) so neither concurrency setting pays for that alone
        warm = grammar.LanguageToolDetector(srv.url, concurrency=2)
        run(build_engine(detectors=[warm]), texts[: max(1, len(texts) // 3)], 1)
        for conc in (1, 2):
            det = grammar.LanguageToolDetector(srv.url, concurrency=conc)
            if args.chunk:
                det.client.chunk_chars = args.chunk
            report(f"rules + LanguageTool ({conc} concurrent)",
                   *run(build_engine(detectors=[det]), texts, args.repeat))
            if det.failed:
                print("LanguageTool failed during the run; figures above are not valid")
                return 1
        rss = psutil.Process(srv.proc.pid).memory_info().rss
        print(f"{'LanguageTool server RSS':<34} {rss / 2**20:>9.0f} MiB  (-Xmx{args.xmx})")
    finally:
        srv.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
