"""How well QUO001 guesses where a quotation left open should close, on real news text.

    python benchmarks/quote_close_bench.py [--data DOCS.jsonl] [--show N] [--json OUT]

Every quotation that pairs cleanly in the WMT21 zh-en dev documents (the human reference
and the six MT systems, one segment a paragraph) has its closing mark deleted, one at a
time, and the document is checked with QUO001 alone. The outcome per quotation:

- right: the fix puts the mark back where it was (the text is restored exactly);
- wrong: a fix that restores something else (the mark elsewhere, or the final stop on
  the other side of it: an editor would move it);
- no fix: QUO001 reports the mark with no guess (what an editor prefers to a wrong one);
- not at the mark: no QUO001 finding at the opening mark (the deletion left text that
  pairs otherwise, or the multi-paragraph convention covers it).

The injected benches of ../shared/eval delete one closing mark in a few documents; this
deletes every one, so a change to the guesses shows in hundreds of cases, not a dozen.
`--json` writes each quotation's outcome, keyed by corpus, document and offset, for
comparing two builds.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from mtclean.api import build_engine
from mtclean.document import Document

DATA = Path("/work/shared/data/wmt-zhen/dev/newstest2021.zh-en.docs.jsonl")  # ../shared from main
# A curly pair, or a straight one in its natural place, on one line, nothing quoted inside.
PAIR = re.compile(r'“([^“”"\n]{1,200})”|(?<=[\s(—])"([^“”"\n]{1,200})"(?=[\s.,;:!?)—]|$)')


def texts(path: Path):
    """(corpus, document id, text) for the reference and each system of every document."""
    for line in path.open(encoding="utf-8"):
        d = json.loads(line)
        yield "reference", d["doc_id"], "\n\n".join(d["ref"])
        for name, segments in d["systems"].items():
            yield name, d["doc_id"], "\n\n".join(segments)


def outcome(engine, text: str, m: re.Match) -> tuple[str, str]:
    """The outcome of deleting the closing mark of the quotation `m`, and what the fix made."""
    close = m.end() - 1
    broken = text[:close] + text[close + 1:]
    found = [f for f in engine.check(Document(broken)) if f.start == m.start()]
    if not found:
        return "not at the mark", ""
    fix = found[0].fix
    if fix is None:
        return "no fix", ""
    fixed = broken[:found[0].start] + fix.replacement + broken[found[0].end:]
    return ("right" if fixed == text else "wrong"), fix.replacement


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--show", type=int, default=0, help="print this many wrong fixes")
    ap.add_argument("--json", type=Path, help="write each quotation's outcome here")
    args = ap.parse_args(argv)
    if not args.data.is_file():
        ap.error(f"{args.data}: no such file (the WMT dev documents, JSONL: ../shared/data/wmt-zhen/dev/)")
    engine = build_engine(select=["QUO001"])
    counts: Counter = Counter()
    by_corpus: dict[str, Counter] = {}
    outcomes, wrong = {}, []
    for corpus, doc_id, text in texts(args.data):
        for m in PAIR.finditer(text):
            kind, made = outcome(engine, text, m)
            counts[kind] += 1
            by_corpus.setdefault(corpus, Counter())[kind] += 1
            outcomes[f"{corpus}|{doc_id}|{m.start()}"] = kind
            if kind == "wrong":
                wrong.append((corpus, text[max(0, m.start() - 30):m.end() + 10], made))
    kinds = ("right", "wrong", "no fix", "not at the mark")
    print(f"quotations with their closing mark deleted: {sum(counts.values())}")
    print(f"{'corpus':12}" + "".join(f"{k:>17}" for k in kinds) + f"{'right/offered':>15}")
    for name, c in list(by_corpus.items()) + [("all", counts)]:
        offered = c["right"] + c["wrong"]
        share = f"{c['right'] / offered:.3f}" if offered else "-"
        print(f"{name:12}" + "".join(f"{c[k]:>17}" for k in kinds) + f"{share:>15}")
    for corpus, context, made in wrong[:args.show]:
        print(f"  {corpus}: {context!r} -> {made!r}")
    if args.json:
        args.json.write_text(json.dumps(outcomes, indent=0), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
