"""Untranslated segments: a target that copies its source, a source left without a target.

Han or kana left inside an English sentence is CJK004's (monolingual) finding; with the
source at hand, a target segment made of the source's own characters is a segment the
system did not translate at all, and an empty target for a non-empty source is a
dropped segment.
"""

from __future__ import annotations

import regex

from ..checks import check
from ..script import has_cjk
from ..finding import Hit
from . import align

_HAN = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]+")


def copied_share(source: str, target: str) -> float:
    """The share of the source's Han/kana characters that the target repeats verbatim
    (in runs of two or more characters)."""
    total = sum(len(m) for m in _HAN.findall(source))
    if not total:
        return 0.0
    copied = sum(len(run) for run in _HAN.findall(target) if len(run) >= 2 and run in source)
    return copied / total


@check("source-untranslated-segment", trigger=has_cjk, cjk=True)  # Han or kana: CJK
def untranslated_segment(doc, rule):
    """A target segment that is mostly the source text itself."""
    share = float(rule.options.get("share", 0.5))
    for pair in align.pairs_of(doc):
        target = pair.target
        if not target.isascii() and _HAN.search(target) and copied_share(pair.source, target) >= share:
            a, b = align.segment_span(doc, pair)
            yield Hit(a, b, source_span=(0, len(pair.source)))


@check("source-missing-segment")
def missing_segment(doc, rule):
    """A source segment with text whose target segment is empty."""
    for pair in align.pairs_of(doc):
        if not pair.target.strip() and _HAN.search(pair.source):
            yield Hit(pair.start, pair.start, source_span=(0, len(pair.source)),
                      message=f"Source line {pair.source_line} has no translation")
