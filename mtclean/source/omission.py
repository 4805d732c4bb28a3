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

from .native import speedups as _speedups

_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
_CLAUSE = regex.compile(r"[^，,；;。！？!?：:]+")


_SPACES = " \t\n\r\u3000"
_LATIN = re.compile(r"[A-Za-z0-9]+")
LATIN_PER_CHAR = 3.5  # letters of an English word per Chinese character, roughly


def length(text: str) -> float:
    """Non-space characters, with Latin words in a Chinese text (Finding Freedom, COVID-19)
    counted as the Chinese characters they would take, so they do not inflate a source.
    Counted in C (`str.count`, one `findall`): a Chinese text has few of either, and a
    Python step per space or word costs more than the scans."""
    total = len(text)
    for c in _SPACES:
        if c in text:
            total -= text.count(c)
    latin = len("".join(_LATIN.findall(text))) if _LATIN.search(text) else 0
    return total - latin + latin / LATIN_PER_CHAR


def _outliers_py(pairs: list, min_source: float, rows: tuple, rare: str,
                 per: float = LATIN_PER_CHAR) -> list[tuple[int, float, int, int]]:
    """(index, source length n, target characters m, row) of each pair whose ratio m / n
    is outside the bounds of its row of `rows` ((max_source or None, low, high), the first
    whose max_source is None or at least n); spaces and the `rare` characters are not
    counted in the target. The C twin `_speedups.length_outliers` is held to this."""
    out = []
    for k, pair in enumerate(pairs):
        n = length(pair.source)
        if n < min_source or n <= 0:  # (an empty source, with min_source set to 0)
            continue
        target = pair.target
        m = len(target) - target.count(" ")
        for c in rare:
            m -= target.count(c)
        if not m:
            continue
        for r, (edge, low, high) in enumerate(rows):
            if edge is None or n <= edge:
                break
        else:
            continue
        ratio = m / n
        if ratio < low or ratio > high:
            out.append((k, n, m, r))
    return out


def _outliers(pairs, min_source, rows, rare):
    if _speedups is not None:
        return _speedups.length_outliers(pairs, float(min_source), rows, rare, LATIN_PER_CHAR)
    return _outliers_py(pairs, min_source, rows, rare)


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
    rows = tuple((row.get("max_source"), float(row["low"]), float(row["high"])) for row in buckets)
    text = doc.text
    rare = "".join(c for c in "\t\n\r" if c in text and not (c == "\n" and align.of(doc).mode == "line"))
    for k, n, m, r in _outliers(pairs, min_source, rows, rare):
        pair = pairs[k]
        target = pair.target
        if not target.isascii() and _CJK.search(target):
            continue  # untranslated text: SRC010 and CJK004 say so, a ratio would mislead
        low, high = rows[r][1], rows[r][2]
        what = "shorter" if m / n < low else "longer"
        a, b = align.segment_span(doc, pair)
        yield Hit(a, b, source_span=(0, len(pair.source)),
                  message=f"The translation is much {what} than its source ({m} characters "
                  f"for {n:.0f}; translations of such a source run {low:g}-{high:g}x): "
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
