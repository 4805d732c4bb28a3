"""Peak memory of `mtclean check` on large generated news files, against the target of
3x the file size + 150 MB, and the time for a megabyte of one repeated CJK mark.

The text comes from this script's own sentence templates (no outside data): news
paragraphs of 3-6 sentences, most carrying one or more MT artifacts (a full-width comma,
a repeated word, a double space, a space before a comma, a straight/curly quote mix, a
Chinese number unit), so the run produces findings in most paragraphs. Each measurement
is a fresh `python -m mtclean check` child whose own peak RSS (ru_maxrss) is reported.

    python benchmarks/check_memory_bench.py            # 50 MB and 200 MB files, 1 MB marks
    python benchmarks/check_memory_bench.py --quick    # 10 MB and 50 MB, 256 KB marks
    python benchmarks/check_memory_bench.py --sizes 50 --marks 。，【
    python benchmarks/check_memory_bench.py --where 2   # where the memory of a 2 MB check goes

`--where` answers "what to shrink first": in a fresh child it reads a generated file,
then runs each active rule alone under tracemalloc and prints, per rule, the peak it
allocates on top of what was held before it (its transient) and what it leaves behind
(its document views), then the whole check's findings, each per MB of input. It checks
the text whole; `mtclean check` checks a text over 8M characters in blocks
(mtclean/blockcheck.py), where a block holds about 2M characters of such views.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time

PY = sys.executable

CITIES = ["Harbin", "Lanzhou", "Porto", "Mombasa", "Tromso", "Cusco", "Hobart", "Tartu",
          "Kunming", "Quito", "Dakar", "Gdansk", "Ulsan", "Perth", "Leeds", "Nantes"]
PEOPLE = ["Li Wenjun", "Zhao Min", "Maria Okafor", "Pieter de Vries", "Sun Hao", "Ana Lind",
          "Wang Jie", "Tomas Berg", "Chen Lu", "Amir Haddad"]
BODIES = ["the city council", "the transport bureau", "the health commission",
          "the port authority", "the education department", "the water company"]
THINGS = ["new metro line", "flood barrier", "hospital wing", "school canteen programme",
          "bus depot", "solar farm", "river bridge", "night market"]

CLEAN = [
    "{body} said on {day} that the {thing} in {city} would open next spring.",
    "Officials expect about {n} people to use the {thing} every day.",
    "\u201cWe listened to residents,\u201d said {person}, who leads the project.",
    "The plan was approved after {n} public comments were received.",
    "Work on the {thing} began in {year} and has cost {n} million yuan so far.",
    "{person} told reporters the budget had not changed since {year}.",
]
# Each template carries one artifact an MT system leaves behind.
FAULTY = [
    "{body} said on {day} that the {thing} in {city} would open next spring\uff0c officials said.",
    "Officials expect about {n} people to use the the {thing} every day.",
    "The plan was approved after {n}  public comments were received.",
    "Work on the {thing} began in {year} , and has cost {n} million yuan so far.",
    "\u201cWe listened to residents,\" said {person}, who leads the project.",
    "The {thing} will serve 3 hundred million passengers, {body} said.",
    "{person} said the {thing} was \u201cready\u201d\u3002 Testing continues.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def paragraph(rng: random.Random) -> str:
    out = []
    faulty = rng.random() < 0.85  # most paragraphs carry at least one finding
    for i in range(rng.randint(3, 6)):
        pool = FAULTY if faulty and i == 0 or rng.random() < 0.15 else CLEAN
        t = rng.choice(pool)
        out.append(t.format(body=rng.choice(BODIES).capitalize() if t.startswith("{body}") else rng.choice(BODIES),
                            day=rng.choice(DAYS), thing=rng.choice(THINGS), city=rng.choice(CITIES),
                            n=rng.randint(2, 900), person=rng.choice(PEOPLE), year=rng.randint(2015, 2024)))
    rng.shuffle(out)
    return " ".join(out)


def write_news(path: str, megabytes: int, seed: int = 7) -> int:
    """Write about `megabytes` MB of generated news paragraphs; return the size in bytes."""
    rng = random.Random(seed)
    target = megabytes * 1_000_000
    size = 0
    with open(path, "w", encoding="utf-8") as fh:
        while size < target:
            block = "\n\n".join(paragraph(rng) for _ in range(200)) + "\n\n"
            fh.write(block)
            size += len(block.encode("utf-8"))
    return os.path.getsize(path)


# The child reports its own peak RSS, so the figure is mtclean's alone.
_MEASURE = """
import resource, runpy, sys, time
sys.argv = ["mtclean"] + sys.argv[1:]
t = time.monotonic()
code = 0
try:
    runpy.run_module("mtclean", run_name="__main__")
except SystemExit as exc:
    code = exc.code or 0
sys.stderr.write(f"\\nMAXRSS_KB={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} "
                 f"SECONDS={time.monotonic() - t:.2f} EXIT={code}\\n")
"""


def measure(args: list[str]) -> tuple[float, float, int]:
    """(peak RSS in MB, seconds, exit code) of one `mtclean` run with output discarded."""
    proc = subprocess.run([PY, "-c", _MEASURE, *args], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    tail = proc.stderr.rsplit("MAXRSS_KB=", 1)
    if len(tail) != 2:
        raise SystemExit(f"mtclean failed: {proc.stderr[-500:]}")
    kb, secs, code = tail[1].split()
    return int(kb) / 1024, float(secs.split("=")[1]), int(code.split("=")[1])


# Run in a child: each rule alone under tracemalloc, then the whole check (see --where).
_WHERE = """
import sys, tracemalloc
from mtclean.cli import Options, Runner, WARM_UP_TEXT
from mtclean.document import Document
from mtclean.textio import read_path
path = sys.argv[1]
engine, keep, meta = Runner(Options(max_file_size=1 << 31)).prepare(path)
engine.check(Document(WARM_UP_TEXT, "<warm-up>", meta))  # load word data outside the trace
mb = lambda n: n / 2**20
tracemalloc.start(1)
source = read_path(path, 1 << 31)
size = len(source.text.encode("utf-8")) / 2**20
text_mb = mb(tracemalloc.get_traced_memory()[0])
doc = Document(source.text, path, meta)
rows = []
for rule, run in engine._active(doc):
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    hits = sum(1 for _ in run(doc))
    now, peak = tracemalloc.get_traced_memory()
    rows.append((peak - held, now - held, rule.id, hits))
views_mb = mb(tracemalloc.get_traced_memory()[0]) - text_mb
held = tracemalloc.get_traced_memory()[0]
tracemalloc.reset_peak()
findings = keep(doc, engine.check(doc))  # views are warm now: this adds the findings
now, peak = tracemalloc.get_traced_memory()
print(f"input {size:.1f} MB; decoded text {text_mb:.1f} MB ({text_mb / size:.2f} MB per MB)")
print(f"document views kept by the rules {views_mb:.1f} MB ({views_mb / size:.2f} per MB)")
print(f"{len(findings):,} findings {mb(now - held):.1f} MB ({mb(now - held) / size:.2f} per MB); "
      f"whole check's peak on top of text and views {mb(peak - held):.1f} MB")
print(f"{'rule':<8} {'transient':>10} {'per MB':>7} {'kept':>8} {'hits':>7}")
for t, k, rid, hits in sorted(rows, reverse=True)[:12]:
    print(f"{rid:<8} {mb(t):8.1f}MB {mb(t) / size:7.2f} {mb(k):6.1f}MB {hits:7,}")
"""


def where(megabytes: int) -> None:
    """Print where the memory of a check of a generated `megabytes` MB file goes."""
    tmp = tempfile.mkdtemp(prefix="mtclean-membench-")
    path = os.path.join(tmp, "news.txt")
    try:
        write_news(path, megabytes)
        subprocess.run([PY, "-c", _WHERE, path], check=True)
    finally:
        os.unlink(path)
        os.rmdir(tmp)


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller files (10 and 50 MB), 256 KB of marks")
    ap.add_argument("--sizes", type=int, nargs="*", default=None, help="file sizes in MB")
    ap.add_argument("--marks", default="。，【", help="CJK marks to time, one run each")
    ap.add_argument("--format", default="text", help="mtclean --output-format for the big files")
    ap.add_argument("--where", type=int, metavar="MB", default=None,
                    help="instead: per-rule memory breakdown of a check of an MB-sized file")
    args = ap.parse_args()
    if args.where is not None:
        where(args.where)
        return
    sizes = args.sizes if args.sizes is not None else ([10, 50] if args.quick else [50, 200])
    mark_bytes = (256 if args.quick else 1024) * 1024
    tmp = tempfile.mkdtemp(prefix="mtclean-membench-")
    try:
        # Baseline: what the interpreter with mtclean imported costs on an empty file.
        empty = os.path.join(tmp, "empty.txt")
        open(empty, "w").close()
        base_rss, _, _ = measure(["check", empty])
        print(f"baseline (empty file): peak RSS {base_rss:.0f} MB")
        print(f"{'file':>10} {'findings':>9} {'peak RSS':>10} {'target':>10} {'ratio':>7} {'seconds':>8}")
        for mb in sizes:
            path = os.path.join(tmp, f"news-{mb}mb.txt")
            size = write_news(path, mb)
            findings = _count_findings(path) if mb <= 10 else None
            rss, secs, code = measure(["check", "--max-file-size", "2G", "--output-format",
                                       args.format, path])
            target = 3 * size / 2**20 + 150
            print(f"{size / 2**20:8.0f}MB {findings if findings is not None else '-':>9} "
                  f"{rss:8.0f}MB {target:8.0f}MB {rss / target:7.2f} {secs:8.1f}"
                  + ("" if code in (0, 1) else f"  (exit {code})"))
            os.unlink(path)
        print(f"\none mark repeated to {mark_bytes // 1024} KB inside an English sentence:")
        for mark in args.marks:
            path = os.path.join(tmp, "marks.txt")
            n = mark_bytes // len(mark.encode("utf-8"))
            with open(path, "w", encoding="utf-8") as fh:
                fh.write("The meeting ended" + mark * n + " and everyone left.\n")
            rss, secs, code = measure(["check", path])
            print(f"  {mark!r} x {n:,}: {secs:.2f} s, peak RSS {rss:.0f} MB (exit {code})")
            os.unlink(path)
    finally:
        for name in os.listdir(tmp):
            os.unlink(os.path.join(tmp, name))
        os.rmdir(tmp)


def _count_findings(path: str) -> int:
    out = subprocess.run([PY, "-m", "mtclean", "check", "--statistics", "--max-file-size", "2G", path],
                         capture_output=True, text=True).stdout
    return sum(int(line.split()[0]) for line in out.splitlines() if line.strip())


if __name__ == "__main__":
    main()
