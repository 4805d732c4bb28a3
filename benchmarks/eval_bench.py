"""Reproduce mtclean's quality figures on the shared WMT dev bench with one command.

    python benchmarks/eval_bench.py [--shared ../shared] [--seed 1] [--grammar none|harper|languagetool]

It builds the bench with ../shared/eval/inject.py into a temporary directory (never into
the repository), scores `python -m mtclean` with score.py, runs density.py, and prints
the figures next to the targets of issue 3. It measures; it does not fail on a target.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from mtclean.config import GRAMMAR_CHOICES

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"recall": 0.90, "fix_acc": 0.85, "clean_fp_per_1k": 2.0}


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    print("$", " ".join(cmd), file=sys.stderr)
    return subprocess.run(cmd, text=True, capture_output=True, **kw)


def _fmt(x) -> str:
    return "  n/a" if x is None else f"{x:5.3f}"


def targets_table(summary: dict) -> str:
    """Per-category recall and fix accuracy against the targets, plus the clean FP rate."""
    rows = [f"{'category':<20} {'recall':>6} {'fix-acc':>7}  target: recall >= {TARGETS['recall']}, "
            f"fix-acc >= {TARGETS['fix_acc']}"]
    for cat, s in summary["by_category"].items():
        if not s["injected"]:
            continue
        ok = (s["recall"] or 0) >= TARGETS["recall"] and (s["fix_acc"] or 0) >= TARGETS["fix_acc"]
        rows.append(f"{cat:<20} {_fmt(s['recall']):>6} {_fmt(s['fix_acc']):>7}  {'ok' if ok else 'BELOW'}")
    o = summary["overall"]
    clean = summary["clean"]
    fps = clean["non_grammar"].get("false_positives", 0)
    per_1k = clean.get("fp_per_1k_sentences_non_grammar",
                       1000 * fps / max(1, summary["clean_sentences"]))
    rows.append(f"{'overall':<20} {_fmt(o['recall']):>6} {_fmt(o['fix_acc']):>7}")
    rows.append(f"clean-reference false positives (non-grammar): {fps} = "
                f"{per_1k:.1f} per 1k sentences (target <= {TARGETS['clean_fp_per_1k']})"
                f"  {'ok' if per_1k <= TARGETS['clean_fp_per_1k'] else 'ABOVE'}")
    return "\n".join(rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--grammar", default="none", choices=GRAMMAR_CHOICES)
    ap.add_argument("--no-density", action="store_true")
    args = ap.parse_args(argv)
    shared = Path(args.shared)
    data = shared / "data/wmt-zhen/dev/newstest2021.zh-en.docs.jsonl"
    ev = shared / "eval"
    if not data.is_file():
        print(f"eval_bench: {data} not found; pass --shared PATH to the shared folder", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="mtclean-bench-") as tmp:
        bench = Path(tmp) / "bench"
        r = run([sys.executable, str(ev / "inject.py"), "--data", str(data), "--seed", str(args.seed),
                 "--out", str(bench)])
        if r.returncode:
            print(r.stderr, file=sys.stderr)
            return 2
        if args.grammar != "none":
            # Config discovery walks up from each file, so this selects the backend.
            (bench / ".mtclean.toml").write_text(f'grammar = "{args.grammar}"\n')
        cmd = f"{sys.executable} -m mtclean"
        out_json = Path(tmp) / "score.json"
        r = run([sys.executable, str(ev / "score.py"), "--bench", str(bench), "--mtclean", cmd,
                 "--json", str(out_json)], cwd=str(ROOT))
        print(r.stdout)
        if r.returncode not in (0, 1):
            print(r.stderr, file=sys.stderr)
            return 2
        if not args.no_density:
            r = run([sys.executable, str(ev / "density.py"), "--data", str(data), "--mtclean", cmd],
                    cwd=str(ROOT))
            print(r.stdout)
        try:
            summary = json.loads(out_json.read_text())
        except (OSError, ValueError):
            print("eval_bench: score.py wrote no JSON summary", file=sys.stderr)
            return 2
        print(targets_table(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
