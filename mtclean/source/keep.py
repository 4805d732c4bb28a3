"""What the source changes in the findings a run keeps.

Fixes that would add or remove a line break are shown but not applied (they would break
the pairing with the source), and NAME001 findings the source contradicts are dropped:
when the flagged spelling is the source's own reading of a name and the proposed one is
not a reading of that name (Zhuonai for 卓乃 "fixed" to Zhonai because Zhonai is more
frequent), SRC020 reports the other direction. A segment SRC010 calls untranslated is one
problem: the monolingual untranslated-text findings inside it (CJK004, CJK005) are dropped.
"""

from __future__ import annotations

import dataclasses

from . import align
from .names import name_map


def overruled(doc, findings: list) -> list:
    """`findings` without the NAME001 findings the source contradicts."""
    if not any(f.rule == "NAME001" for f in findings):
        return findings
    hans: dict[str, set[str]] = {}
    for r in name_map(doc).found:
        hans.setdefault(r.text, set()).add(r.han)
    out = []
    for f in findings:
        if f.rule == "NAME001" and f.text in hans:
            proposed = hans.get(f.fix.replacement, set()) if f.fix else set()
            if not hans[f.text] & proposed:
                continue
        out.append(f)
    return out


_UNTRANSLATED = ("CJK004", "CJK005")


def one_untranslated(findings: list) -> list:
    """Drop CJK004/CJK005 findings inside a segment SRC010 reports (one problem, one finding:
    the source shows the whole segment was passed through)."""
    spans = [(f.start, f.end) for f in findings if f.rule == "SRC010"]
    if not spans:
        return findings
    return [f for f in findings if not (f.rule in _UNTRANSLATED
                                        and any(a <= f.start and f.end <= b for a, b in spans))]


def source_keep(keep):
    """Wrap a findings filter (suppressions) for documents checked with a source."""

    def kept(doc, findings):
        found = keep(doc, findings) if keep else findings
        if align.of(doc) is None:
            return found
        found = one_untranslated(overruled(doc, found))
        text = doc.text
        return [dataclasses.replace(f, fix=None)
                if f.fix and ("\n" in f.fix.replacement or "\n" in text[f.start:f.end]) else f
                for f in found]

    return kept
