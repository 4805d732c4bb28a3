"""ENC001 before and after: agreement with ftfy and speed, measured in the same run.

    python benchmarks/encoding_bench.py [--base 2aa9260] [--shared ../shared] [--rounds 3]

Texts: every document of the WMT dev data (the reference and each MT system, one segment
per paragraph), as they are ("clean") and with every fourth document's lines mis-decoded
by turns as Windows-1252, Latin-1, MacRoman or Windows-1252 twice, no-break spaces made
plain in half of them ("mojibake"). "before" is mtclean/checks/encoding.py at `--base`,
"after" the working tree's; both run on the same Documents. Printed: findings, documents
where applying the findings gives exactly `ftfy.fix_text` with mtclean's settings, and
CPU time (median of the rounds), with ftfy.fix_text on the whole text for scale.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1252")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtclean.checks import encoding  # noqa: E402
from mtclean.document import Document  # noqa: E402

CODECS = [("sloppy-windows-1252", 1), ("latin-1", 1), ("mac_roman", 1), ("sloppy-windows-1252", 2)]


def load_base(commit: str):
    """The `mojibake` function of checks/encoding.py at `commit` (its registration
    decorator replaced by a plain one, so it does not clash with today's rule)."""
    src = subprocess.run(["git", "show", f"{commit}:mtclean/checks/encoding.py"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    src = src.replace('@check("mojibake"', '@(lambda *a, **k: (lambda f: f))("mojibake"')
    mod = types.ModuleType("mtclean.checks.encoding_base")
    mod.__package__ = "mtclean.checks"
    exec(compile(src, "encoding_base.py", "exec"), mod.__dict__)
    return mod.mojibake


def mis_decode(text: str, k: int) -> str:
    codec, times = CODECS[k % len(CODECS)]
    out = []
    for line in text.split("\n"):
        bad = line
        for _ in range(times):
            bad = bad.encode("utf-8").decode(codec)
        out.append(bad.replace("\xa0", " ") if k % 2 else bad)
    return "\n".join(out)


class _Rule:
    options: dict = {}


def apply(text: str, hits) -> str:
    out, pos = [], 0
    for h in sorted(hits, key=lambda h: h.start):
        out.append(text[pos:h.start])
        out.append(h.replacement)
        pos = h.end
    return "".join(out) + text[pos:]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="2aa9260")
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    data = Path(args.shared) / "data/wmt-zhen/dev/newstest2021.zh-en.docs.jsonl"
    if not data.is_file():
        print(f"{data} not found; pass --shared PATH", file=sys.stderr)
        return 2
    texts = []
    with data.open(encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            texts.append("\n\n".join(doc["ref"]) + "\n")
            texts.extend("\n\n".join(v) + "\n" for v in doc["systems"].values())
    corpora = {"clean": texts,
               "mojibake": [mis_decode(t, i // 4) if i % 4 == 0 else t for i, t in enumerate(texts)]}
    checks = {"before": load_base(args.base), "after": encoding.mojibake}
    cfg = encoding.config()
    for name, corpus in corpora.items():
        docs = [Document(t) for t in corpus]
        expected = [ftfy.fix_text(t, config=cfg) for t in corpus]
        changed = sum(e != t for e, t in zip(expected, corpus))
        chars = sum(map(len, corpus))
        print(f"{name}: {len(corpus)} documents, {chars / 1e6:.2f} M characters, "
              f"{changed} that ftfy changes")
        times: dict[str, list[float]] = {k: [] for k in [*checks, "ftfy.fix_text"]}
        results = {}
        for _ in range(args.rounds):
            for label, fn in checks.items():
                t0 = time.process_time()
                results[label] = [list(fn(d, _Rule())) for d in docs]
                times[label].append(time.process_time() - t0)
            t0 = time.process_time()
            for t in corpus:
                ftfy.fix_text(t, config=cfg)
            times["ftfy.fix_text"].append(time.process_time() - t0)
        for label in checks:
            hits = results[label]
            same = sum(apply(t, h) == e for t, h, e in zip(corpus, hits, expected))
            flagged = sum(bool(h) for h in hits)
            print(f"  {label:<7} {sum(map(len, hits)):5d} findings in {flagged:4d} documents; "
                  f"fixed text == ftfy's in {same}/{len(corpus)}; "
                  f"{statistics.median(times[label]) * 1000:7.1f} ms")
        print(f"  {'ftfy.fix_text on whole texts':<36} "
              f"{statistics.median(times['ftfy.fix_text']) * 1000:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
