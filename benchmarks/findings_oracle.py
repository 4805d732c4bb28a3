"""Record every finding and fix mtclean makes on the dev data, or prove they are unchanged.

A refactoring must keep every finding identical. This script runs the WMT dev data three
ways and writes one JSON line per unit of work:

- each segment (reference and every system) alone through the Python API: findings, the
  safe fix and the unsafe fix;
- each whole document (segments joined by a blank line): the same;
- `mtclean batch --doc-field doc_id --unsafe-fixes` over all segments as JSONL records:
  every output line, so group cleaning and the per-record info are covered.

With `--source`, the same texts are checked against their Chinese source instead
(`source=` per document, segments one a line, and batch `--source-field`), so the
source-aware rules are covered:

    python benchmarks/findings_oracle.py --record /tmp/oracle.jsonl
    python benchmarks/findings_oracle.py --compare /tmp/oracle.jsonl   # exit 1 on any change
    python benchmarks/findings_oracle.py --source --record /tmp/oracle-source.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULT_DATA = "/work/shared/data/wmt-zhen/dev/newstest2021.zh-en.docs.jsonl"


def _texts(data: Path, with_zh: bool = False):
    """(doc_id, source name, segments) for the reference and every system of every
    document; with `with_zh`, the Chinese source segments come fourth."""
    with data.open(encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            zh = (doc["src"],) if with_zh else ()
            yield (doc["doc_id"], "ref", doc["ref"], *zh)
            for name, segs in sorted(doc["systems"].items()):
                yield (doc["doc_id"], name, segs, *zh)


def _unit(text: str, source: str | None = None) -> dict:
    from mtclean import check_text, fix_text

    found = [f.as_dict() for f in check_text(text, source=source)]
    safe, _, left = fix_text(text, source=source)
    unsafe, _, left_unsafe = fix_text(text, unsafe=True, source=source)
    return {"findings": found, "safe": safe, "safe_left": [f.as_dict() for f in left],
            "unsafe": unsafe, "unsafe_left": [f.as_dict() for f in left_unsafe]}


def _batch(data: Path, with_zh: bool = False) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp, "in.jsonl"), Path(tmp, "out.jsonl")
        with src.open("w", encoding="utf-8") as fh:
            for doc_id, name, segs, *zh in _texts(data, with_zh):
                for i, seg in enumerate(segs):
                    rec = {"doc_id": f"{doc_id}/{name}", "seg": i, "text": seg}
                    if zh:
                        rec["zh"] = zh[0][i]
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        cmd = [sys.executable, "-m", "mtclean", "batch", str(src), "-o", str(out),
               "--doc-field", "doc_id", "--unsafe-fixes", "--quiet"]
        if with_zh:
            cmd += ["--source-field", "zh"]
        subprocess.run(cmd, check=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        return [{"kind": "batch", "line": n, "record": json.loads(line)}
                for n, line in enumerate(out.read_text(encoding="utf-8").splitlines(), 1)]


def collect(data: Path, with_zh: bool = False) -> list[dict]:
    rows = []
    for doc_id, name, segs, *zh in _texts(data, with_zh):
        for i, seg in enumerate(segs):
            rows.append({"kind": "segment", "doc": doc_id, "source": name, "seg": i,
                         **_unit(seg, zh[0][i] if zh and seg.strip() else None)})
        rows.append({"kind": "document", "doc": doc_id, "source": name,
                     **_unit("\n".join(segs) if zh else "\n\n".join(segs),
                             "\n".join(zh[0]) if zh else None)})
    rows.extend(_batch(data, with_zh))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--record", metavar="FILE", help="write the findings to FILE")
    mode.add_argument("--compare", metavar="FILE", help="compare with a recorded FILE")
    ap.add_argument("--data", default=DEFAULT_DATA, help="WMT dev documents (JSONL)")
    ap.add_argument("--source", action="store_true",
                    help="check every text against its Chinese source (the source-aware rules)")
    args = ap.parse_args()
    rows = collect(Path(args.data), args.source)
    lines = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows]
    kinds = {k: sum(1 for r in rows if r["kind"] == k) for k in ("segment", "document", "batch")}
    n_found = sum(len(r.get("findings", ())) for r in rows)
    print(f"{kinds['segment']} segments, {kinds['document']} documents, {kinds['batch']} batch "
          f"records; {n_found} findings (API)")
    if args.record:
        Path(args.record).write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"recorded to {args.record}")
        return 0
    old = Path(args.compare).read_text(encoding="utf-8").splitlines()
    diffs = [(i, a, b) for i, (a, b) in enumerate(zip(old, lines), 1) if a != b]
    if len(old) != len(lines):
        print(f"DIFFERENT: {len(old)} recorded rows, {len(lines)} now")
    for i, a, b in diffs[:5]:
        print(f"row {i} differs:\n  was: {a[:400]}\n  now: {b[:400]}")
    if diffs or len(old) != len(lines):
        print(f"DIFFERENT: {len(diffs)} rows differ")
        return 1
    print(f"IDENTICAL: all {len(lines)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
