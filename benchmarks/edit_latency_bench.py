"""Time from an edit to updated findings on a 5,000-word article (rules only).

Review page half: a real `mtclean review` server on loopback; one accept (the page's
re-check call: POST /api/accept, answered with the re-checked findings) then one undo,
repeated; medians of the round trips. In the same run, in process: the session's
incremental re-check after an edit against a full re-check of the whole text (the
alternative it replaces), paired edit by edit.

    python benchmarks/edit_latency_bench.py [--words 5000] [--rounds 40] [--data JSONL]

The article is the WMT21 dev references (read at run time from ../shared/data, not
copied) joined into one text until it holds --words words, with the project's samples/
mixed in so there are artifacts to accept; without the data, samples/ alone, repeated.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

DEFAULT_DATA = "/work/shared/data/wmt-zhen/dev/newstest2021.zh-en.docs.jsonl"


def article(words: int, data: str) -> str:
    """About `words` words: reference paragraphs with a sample paragraph every few."""
    samples = [p.strip() for f in sorted((REPO / "samples").glob("*.txt"))
               for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    refs: list[str] = []
    if Path(data).is_file():
        with open(data, encoding="utf-8") as fh:
            for line in fh:
                ref = json.loads(line)["ref"]
                refs.extend(ref if isinstance(ref, list) else ref.split("\n\n"))
    paras, count, i = [], 0, 0
    while count < words:
        p = refs[i] if i < len(refs) and i % 4 else samples[i % len(samples)]
        paras.append(p)
        count += len(p.split())
        i += 1
    return "\n\n".join(paras) + "\n"


def ms(xs: list[float]) -> str:
    return f"{statistics.median(xs) * 1000:.1f} ms (p90 {sorted(xs)[int(len(xs) * 0.9)] * 1000:.1f})"


def review_half(text: str, rounds: int) -> None:
    """Round trips of the page's accept and undo calls on a real server."""
    import reviewserver

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.txt"
        path.write_text(text, encoding="utf-8")
        server = reviewserver.start(str(path), cwd=tmp)
        try:
            name = server.request("/api/files")[1]["files"][0]["name"]
            t0 = time.perf_counter()
            doc = server.request("/api/doc?file=" + name)[1]
            first = time.perf_counter() - t0
            n = len(doc["findings"])
            accepts, undos = [], []
            for r in range(rounds):
                fixable = [f for f in doc["findings"] if f["candidates"]]
                f = fixable[(r * 7) % len(fixable)]
                t0 = time.perf_counter()
                status, doc = server.request("/api/accept", {"file": name, "key": f["key"]})
                accepts.append(time.perf_counter() - t0)
                assert status == 200, doc
                t0 = time.perf_counter()
                status, doc = server.request("/api/undo", {"file": name})
                undos.append(time.perf_counter() - t0)
                assert status == 200, doc
        finally:
            server.stop()
    print(f"review page: open + first check {first * 1000:.0f} ms, {n} findings")
    print(f"review page: accept -> updated findings over HTTP: {ms(accepts)}")
    print(f"review page: undo   -> updated findings over HTTP: {ms(undos)}")
    print(f"review page: median of both {statistics.median(accepts + undos) * 1000:.1f} ms "
          f"(target < 100 ms)")


def session_half(text: str, rounds: int) -> None:
    """In process, paired: incremental re-check after an edit vs a full re-check."""
    from mtclean.editing.prepared import EngineCache
    from mtclean.editing.session import Session

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.txt"
        path.write_text(text, encoding="utf-8")
        s = Session.open(str(path), EngineCache())
        inc, full = [], []
        for r in range(rounds):
            at = (r * 7919) % max(1, len(s.text) - 1)
            t0 = time.perf_counter()
            s.apply_edit(at, at, "x")
            inc.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            s.recheck()
            full.append(time.perf_counter() - t0)
            s.undo()
    ratio = statistics.median(f / i for f, i in zip(full, inc))
    print(f"session: incremental re-check after a keystroke {ms(inc)}")
    print(f"session: full re-check of the same text       {ms(full)}")
    print(f"session: full / incremental, median of pairs: {ratio:.2f}x")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--only", choices=("review", "session", "lsp"), default=None)
    args = ap.parse_args()
    text = article(args.words, args.data)
    print(f"article: {len(text.split())} words, {len(text)} characters; rules only")
    halves = {"session": session_half, "review": review_half}
    lsp = globals().get("lsp_half")  # the language server's half, when present
    if lsp:
        halves["lsp"] = lsp
    for name, half in halves.items():
        if args.only in (None, name):
            half(text, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
