"""Grammar backends: mtclean's whole run against the bare backend on the same text (a benchmark).

Two pairs, each timed as whole processes in alternating rounds on the same files, with
medians and the ratio mtclean / bare:

- LanguageTool: `mtclean check --languagetool-url URL DIR` against a plain client that
  posts each file to /v2/check of the same server with the same parameters (language,
  disabled rules) and as many requests at once as the server takes (its thread count).
- Harper: `mtclean check --grammar harper DIR` (rules + Harper + filters) against
  harper-py alone linting each file.

The text is the first ~20,000 words of the dev references (one file per document), read
at run time. The server is started here with its result cache off, so no round profits
from an earlier one; the first round of each pair is a warm-up and is not counted.

    python benchmarks/grammar_bench.py [--data JSONL] [--words 20000] [--rounds 5]
                                       [--url URL] [--skip-lt] [--skip-harper]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_DATA = "/work/shared/data/wmt-zhen/dev/newstest2021.zh-en.docs.jsonl"


# --- the bare baselines, run as their own processes ------------------------------------

def plain_languagetool(url: str, folder: str, threads: int, disabled: str) -> None:
    """The baseline client: each file POSTed to /v2/check, `threads` at a time, keep-alive."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    import requests

    local = threading.local()

    def post(path: Path) -> int:
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        data = {"text": path.read_text(encoding="utf-8"), "language": "en-US"}
        if disabled:
            data["disabledRules"] = disabled
        r = session.post(url + "/v2/check", data=data, timeout=300)
        r.raise_for_status()
        return len(r.json()["matches"])

    with ThreadPoolExecutor(threads) as pool:
        print(sum(pool.map(post, sorted(Path(folder).glob("*.txt")))))


def harper_alone(folder: str) -> None:
    """The baseline for Harper: one American Linter, default lints, each file once."""
    import harper

    linter = harper.Linter(harper.Dialect.AMERICAN)
    print(sum(len(linter.lint(p.read_text(encoding="utf-8"), language="plaintext"))
              for p in sorted(Path(folder).glob("*.txt"))))


# --- the benchmark ---------------------------------------------------------------------

def write_docs(data: str, words: int, folder: Path) -> tuple[int, int]:
    """One file per reference document until `words` words; returns (files, words)."""
    n = total = 0
    with open(data, encoding="utf-8") as fh:
        for line in fh:
            ref = json.loads(line)["ref"]
            text = ("\n\n".join(ref) if isinstance(ref, list) else ref) + "\n"
            (folder / f"doc{n:04d}.txt").write_text(text, encoding="utf-8")
            n += 1
            total += len(text.split())
            if total >= words:
                break
    return n, total


def _cpu(server_pid: int | None) -> float:
    """CPU seconds used so far by finished children plus the server JVM (if we know it)."""
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = ru.ru_utime + ru.ru_stime
    if server_pid:
        import psutil

        t = psutil.Process(server_pid).cpu_times()
        cpu += t.user + t.system + t.children_user + t.children_system
    return cpu


def timed(cmd: list[str], server_pid: int | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of one process (plus the server's CPU in that time).

    Exit codes 0 and 1 (findings) are both fine. CPU time is the steadier figure on a
    shared machine: other jobs stretch wall time but do not add to our CPU seconds.
    """
    c0, t0 = _cpu(server_pid), time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    secs, cpu = time.perf_counter() - t0, _cpu(server_pid) - c0
    if proc.returncode not in (0, 1) or proc.stderr.strip():
        sys.exit(f"grammar_bench: {' '.join(cmd[:4])} ... failed ({proc.returncode}): "
                 f"{proc.stderr.strip()[-300:]}")
    return secs, cpu


def pair(label: str, bare: list[str], ours: list[str], rounds: int, words: int,
         server_pid: int | None = None) -> float:
    """Alternating rounds (bare first, then ours first, ...); prints medians and ratios."""
    timed(bare, server_pid), timed(ours, server_pid)  # warm-up: page cache, JIT, pipelines
    t_bare, t_ours = [], []
    for r in range(rounds):
        order = [(bare, t_bare), (ours, t_ours)]
        for cmd, out in (order if r % 2 == 0 else order[::-1]):
            out.append(timed(cmd, server_pid))
        (wb, cb), (wo, co) = t_bare[-1], t_ours[-1]
        print(f"  round {r + 1}: wall bare {wb:6.2f}s mtclean {wo:6.2f}s ({wo / wb:.2f}x); "
              f"cpu bare {cb:6.2f}s mtclean {co:6.2f}s ({co / cb:.2f}x); "
              f"load {os.getloadavg()[0]:.1f}", flush=True)
    for i, what in ((0, "wall"), (1, "cpu")):
        b = [t[i] for t in t_bare]
        o = [t[i] for t in t_ours]
        mb, mo = statistics.median(b), statistics.median(o)
        paired = statistics.median(y / x for x, y in zip(b, o))
        print(f"{label} {what}: bare median {mb:.2f}s, mtclean median {mo:.2f}s "
              f"({words / mo:.0f} words/s); RATIO mtclean / bare = {mo / mb:.2f}x "
              f"(median of per-round ratios {paired:.2f}x, {rounds} rounds)", flush=True)
    return statistics.median(t[0] for t in t_ours) / statistics.median(t[0] for t in t_bare)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--words", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--url", default=None, help="use this LanguageTool server (else start one)")
    ap.add_argument("--threads", type=int, default=2, help="server threads (a server we start)")
    ap.add_argument("--skip-lt", action="store_true")
    ap.add_argument("--skip-harper", action="store_true")
    ap.add_argument("--plain-lt", nargs=4, metavar=("URL", "DIR", "THREADS", "DISABLED"),
                    help=argparse.SUPPRESS)
    ap.add_argument("--harper-alone", metavar="DIR", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.plain_lt:
        url, folder, threads, disabled = args.plain_lt
        plain_languagetool(url, folder, int(threads), disabled)
        return 0
    if args.harper_alone:
        harper_alone(args.harper_alone)
        return 0

    me = [sys.executable, os.path.abspath(__file__)]
    mtclean = [sys.executable, "-m", "mtclean", "check", "--output-format", "json"]
    with tempfile.TemporaryDirectory(prefix="grammar-bench-") as tmp:
        folder = Path(tmp)
        files, words = write_docs(args.data, args.words, folder)
        print(f"data: {args.data}: {files} documents, {words} words")
        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")

        if not args.skip_harper:
            print("Harper (whole processes):")
            pair("Harper", me + ["--harper-alone", tmp],
                 mtclean + ["--grammar", "harper", tmp], args.rounds, words)

        if not args.skip_lt:
            lt_pair(args, me, mtclean, tmp, words)
    return 0


def lt_pair(args, me: list[str], mtclean: list[str], folder: str, words: int) -> None:
    from mtclean.grammar.languagetool import DISABLED_RULES
    from mtclean.grammar.process import LocalServer
    from mtclean.grammar.provision import can_start

    url, threads, srv = args.url, args.threads, None
    if not url:
        if not can_start():
            print("LanguageTool: not installed or no Java (run `mtclean languagetool install`); "
                  "skipped")
            return
        srv = LocalServer(threads=threads, cache_size=0)
        t0 = time.perf_counter()
        srv.start()
        print(f"LanguageTool start-up (incl. warm-up): {time.perf_counter() - t0:.1f}s")
        url = srv.url
    try:
        print(f"LanguageTool at {url}, {threads} requests at once (whole processes):")
        env_threads = ["env", f"MTCLEAN_LT_THREADS={threads}"]
        pair("LanguageTool",
             me + ["--plain-lt", url, folder, str(threads), ",".join(DISABLED_RULES)],
             env_threads + mtclean + ["--languagetool-url", url, folder], args.rounds, words,
             server_pid=srv.proc.pid if srv is not None else None)
        if srv is not None:
            import psutil
            rss = psutil.Process(srv.proc.pid).memory_info().rss
            print(f"LanguageTool server RSS: {rss / 2**20:.0f} MiB (-Xmx{srv.xmx})")
    finally:
        if srv is not None:
            srv.stop()


if __name__ == "__main__":
    sys.exit(main())
