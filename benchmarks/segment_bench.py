"""Sentence splitter: exact accuracy on the case table and speed, before and after.

    python benchmarks/segment_bench.py [--base 2aa9260] [--shared ../shared] [--rounds 7]

"before" is mtclean/segment.py as it was at the commit `--base` (read with `git show`
and loaded as a module), "after" is the working tree's. pySBD is measured too when it is
installed (it is not a dependency). Accuracy: the share of the table's cases
(tests/cases/segment.yaml: `sentences` and `known_failures`) whose sentences come out
exactly as written. Speed: the professional references of the WMT dev set (one document
per text, one segment per paragraph, as the eval bench joins them), split by each
splitter in turn within each round, so that ratios are paired; medians of CPU time
(process time: other processes on a shared machine disturb it less) are printed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtclean import segment  # noqa: E402


def load_base(commit: str):
    """mtclean/segment.py at `commit`, as a module of its own."""
    src = subprocess.run(["git", "show", f"{commit}:mtclean/segment.py"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    path = Path(tempfile.mkdtemp(prefix="segbase-")) / "segment_base.py"
    path.write_text(src, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("segment_base", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def splitter(mod):
    """Whole-text sentence strings from a segment module: `split_sentences` where it has
    one, else what Document.sentences did (each paragraph split in turn)."""
    if hasattr(mod, "split_sentences"):
        return lambda text: [text[s:e] for s, e in mod.split_sentences(text)]

    def split(text: str) -> list[str]:
        out = []
        for a, b in mod.paragraphs(text):
            out.extend(text[s:e] for s, e in mod.sentences(text, a, b))
        return out
    return split


def pysbd_splitter():
    try:
        import pysbd
    except ImportError:
        return None
    seg = pysbd.Segmenter(language="en", clean=False)

    def split(text: str) -> list[str]:
        out = []
        for para in segment.paragraphs(text):
            out.extend(s.strip() for s in seg.segment(text[para[0]:para[1]]) if s.strip())
        return out
    return split


def table_cases() -> list[dict]:
    table = yaml.safe_load((ROOT / "tests/cases/segment.yaml").read_text(encoding="utf-8"))
    cases = table["sentences"] + (table.get("known_failures") or [])
    for c in cases:
        c.setdefault("text", " ".join(c["sentences"]))
    return cases


def accuracy(split, cases) -> tuple[int, list[str]]:
    bad = [c["id"] for c in cases if split(c["text"]) != c["sentences"]]
    return len(cases) - len(bad), bad


def dev_texts(shared: Path) -> list[str]:
    data = shared / "data/wmt-zhen/dev/newstest2021.zh-en.docs.jsonl"
    texts = []
    with data.open(encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            texts.append("\n\n".join(s for s in doc["ref"] if s.strip()) + "\n")
    return texts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="2aa9260")
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=5, help="passes over the texts per timing")
    args = ap.parse_args(argv)

    splitters = {"before": splitter(load_base(args.base)), "after": splitter(segment)}
    sbd = pysbd_splitter()
    if sbd is not None:
        splitters["pysbd"] = sbd

    cases = table_cases()
    print(f"case table: {len(cases)} cases (tests/cases/segment.yaml)")
    for name, split in splitters.items():
        ok, bad = accuracy(split, cases)
        print(f"  {name:<7} exact {ok}/{len(cases)} = {ok / len(cases):6.1%}"
              + (f"   failing: {', '.join(bad[:6])}{' ...' if len(bad) > 6 else ''}" if bad else ""))

    shared = Path(args.shared)
    if not (shared / "data").is_dir():
        print(f"speed: {shared}/data not found; pass --shared PATH", file=sys.stderr)
        return 0
    texts = dev_texts(shared)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    n_sents = {name: sum(len(split(t)) for t in texts) for name, split in splitters.items()}
    times: dict[str, list[float]] = {name: [] for name in splitters}
    repeat = {name: (1 if name == "pysbd" else args.repeat) for name in splitters}
    for _ in range(args.rounds):
        for name, split in splitters.items():
            t0 = time.process_time()
            for _ in range(repeat[name]):
                for t in texts:
                    split(t)
            times[name].append((time.process_time() - t0) / repeat[name])
    print(f"speed: {len(texts)} dev reference documents, {mb:.2f} MB, "
          f"{args.rounds} rounds (median)")
    med = {name: statistics.median(v) for name, v in times.items()}
    for name in splitters:
        print(f"  {name:<7} {med[name] * 1000:8.1f} ms  {mb / med[name]:7.2f} MB/s  "
              f"{n_sents[name] / med[name]:10.0f} sentences/s  ({n_sents[name]} sentences)"
              f"  time vs before: {med[name] / med['before']:.2f}x")
    ratios = [a / b for a, b in zip(times["after"], times["before"])]
    print(f"  after/before time, paired per round: median {statistics.median(ratios):.2f}x "
          f"(min {min(ratios):.2f}, max {max(ratios):.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
