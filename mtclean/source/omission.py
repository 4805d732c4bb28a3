"""Omission and addition: a target far shorter or longer than its source, or a source
clause whose numbers all went missing.

The length bounds are data (SRC050's `buckets` option), learned on professional
references by benchmarks/learn_length_ratio.py. Both are warnings without a fix: only a
translator can restore what was left out.
"""

from __future__ import annotations

import re

import regex

from ..checks import check
from ..finding import Hit
from . import align
from .numbers import comparisons
from .zhnum import extract

_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
_CLAUSE = regex.compile(r"[^，,；;。！？!?：:]+")


_SPACES = " \t\n\r\u3000"
_SPACE_OR_LATIN = re.compile(r"[ \t\n\r\u3000]|[A-Za-z0-9]+")
LATIN_PER_CHAR = 3.5  # letters of an English word per Chinese character, roughly


def length(text: str) -> float:
    """Non-space characters, with Latin words in a Chinese text (Finding Freedom, COVID-19)
    counted as the Chinese characters they would take, so they do not inflate a source.
    One scan finds both (a Chinese text has few of either)."""
    total, latin = len(text), 0
    for piece in _SPACE_OR_LATIN.findall(text):
        if piece in _SPACES:  # one space character
            total -= 1
        else:
            latin += len(piece)
    return total - latin + latin / LATIN_PER_CHAR


@check("source-length-ratio")
def length_ratio(doc, rule):
    """A target much shorter (omission) or longer (addition) than translations of a
    source of that length are."""
    buckets = rule.options.get("buckets") or []
    min_source = int(rule.options.get("min_source", 6))
    pairs = align.pairs_of(doc)
    if not pairs:
        return
    # The bounds, read once a document; the rarer spaces counted only when the document
    # has them (a line mode segment never holds a line break).
    rows = [(row.get("max_source"), (float(row["low"]), float(row["high"]))) for row in buckets]
    text = doc.text
    rare = [c for c in "\t\n\r" if c in text and not (c == "\n" and align.of(doc).mode == "line")]
    for pair in pairs:
        n = length(pair.source)
        if n < min_source:
            continue
        target = pair.target
        m = len(target) - target.count(" ")
        for c in rare:
            m -= target.count(c)
        if not m or (not target.isascii() and _CJK.search(target)):
            continue  # untranslated text: SRC010 and CJK004 say so, a ratio would mislead
        for edge, lim in rows:
            if edge is None or n <= edge:
                break
        else:
            continue
        ratio = m / n
        if ratio < lim[0] or ratio > lim[1]:
            a, b = align.segment_span(doc, pair)
            what = "shorter" if ratio < lim[0] else "longer"
            yield Hit(a, b, source_span=(0, len(pair.source)),
                      message=f"The translation is much {what} than its source ({m} characters "
                      f"for {n:.0f}; translations of such a source run {lim[0]:g}-{lim[1]:g}x): "
                      f"something may be {'left out' if what == 'shorter' else 'added'}")


@check("source-clause-omitted")
def clause_omitted(doc, rule):
    """A source clause with two or more numbers, none of which reached the translation."""
    least = int(rule.options.get("min_numbers", 2))
    if align.of(doc) is None:
        return
    for pair, c in comparisons(doc, rule):
        missing = c.missing
        if len(missing) < least or not pair.target.strip():
            continue
        every = extract(pair.source, frozenset(rule.options.get("skip", ())))
        for m in _CLAUSE.finditer(pair.source):
            inside = [z for z in every if m.start() <= z.start < m.end()]
            gone = [z for z in missing if m.start() <= z.start < m.end()]
            if len(inside) >= least and len(gone) == len(inside):
                a, b = align.segment_span(doc, pair)
                yield Hit(a, b, source_span=m.span(),
                          message=f"The source clause “{m[0].strip()}” seems left out: none of its "
                          f"numbers ({', '.join(z.text for z in gone)}) is in the translation")
