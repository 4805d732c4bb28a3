"""Punctuation parity: a question, a quotation or a parenthesis on one side only.

Chinese marks are counted in the source (？ “” 「」 （）) and their English counterparts in
the target. Book-title marks 《》 count as quotation marks: English renders a title in
quotes, italics or title case, so a quoted title in the target is not "extra". Each check
needs a clear case to fire (a direct quotation of some length, a parenthesis with words
in it), since translators may legitimately recast punctuation.
"""

from __future__ import annotations

import re

import regex

from ..checks import check
from ..finding import Hit
from . import align
from .native import speedups as _speedups

_SRC_QUESTION = regex.compile(r"[？?]")
_TGT_QUESTION = regex.compile(r"\?")
# A direct quotation in the source: opened after a colon (说：“…”) or in corner brackets,
# with at least `min_chars` characters inside.
_SRC_QUOTE = regex.compile(r"[：:]\s*[“「『\"](?P<q>[^”」』\"]+)[”」』\"]|[「『](?P<q>[^」』]+)[」』]")
_SRC_QUOTE_MARKS = "“”「」『』《》\""
_SRC_ANY_QUOTE = re.compile(f"[{_SRC_QUOTE_MARKS}]")  # stdlib: a plain set, searched once a segment
_TGT_QUOTE = regex.compile(r"[“”\"«»]|(?<!\p{L})‘|’(?!\p{L})")
# An English quotation (its length in words is checked against `min_words`).
_TGT_QUOTATION = regex.compile(r"[“\"](?P<q>[^”\"]+)[”\"]")
_WORD = regex.compile(r"\p{L}+")
_SRC_PAREN = regex.compile(r"[（(](?P<p>[^）)]*\p{Han}[^）)]*)[）)]")
_TGT_PAREN = regex.compile(r"[(\[]")


def _marked_py(pairs: list, source_chars: str, target_chars: str) -> list[int]:
    """The pairs with text on both sides whose source holds one of `source_chars` or
    whose target one of `target_chars` (the C twin `_speedups.marked` is held to this)."""
    return [k for k, p in enumerate(pairs)
            if (any(c in p.source for c in source_chars) or any(c in p.target for c in target_chars))
            and p.source and p.target and not p.source.isspace() and not p.target.isspace()]


def _segments(doc, source_chars: str, target_chars: str):
    """The pairs (and their targets) where one of the marks stands: most pairs hold none,
    and pass here without a Python step each."""
    pairs = align.pairs_of(doc)
    if _speedups is not None:
        marked = _speedups.marked(pairs, source_chars, target_chars)
    else:
        marked = _marked_py(pairs, source_chars, target_chars)
    for k in marked:
        pair = pairs[k]
        yield pair, pair.target


def _source_text(doc) -> str:
    """The whole source text: a mark absent from it and from the target is absent from
    every segment pair, and the check has nothing to compare."""
    al = align.of(doc)
    return al.source_text if al is not None else ""


@check("source-question-parity")
def question_parity(doc, rule):
    """A question in the source and none in the target, or the reverse (unless the source
    asks with a question word and no mark, as headlines do: 能否, 是否, 吗)."""
    words = tuple(rule.options.get("question_words", ()))
    source = _source_text(doc)
    if "?" not in doc.text and "？" not in source and "?" not in source:
        return
    for pair, target in _segments(doc, "？?", "?"):
        src_q = _SRC_QUESTION.search(pair.source)
        tgt_q = _TGT_QUESTION.search(target)
        if src_q and not tgt_q:
            a, b = align.segment_span(doc, pair)
            yield Hit(a, b, message="The source asks a question (？) but the translation has no question mark",
                      source_span=src_q.span())
        elif tgt_q and not src_q and not any(w in pair.source for w in words):
            yield Hit(pair.start + tgt_q.start(), pair.start + tgt_q.end(),
                      message="Question mark with no question in the source")


@check("source-quote-parity")
def quote_parity(doc, rule):
    """A direct quotation in the source and no quotation mark in the target, or a
    quotation in the target where the source quotes nothing (titles 《》 count)."""
    min_chars = int(rule.options.get("min_chars", 8))
    min_words = int(rule.options.get("min_words", 6))
    if not _SRC_ANY_QUOTE.search(_source_text(doc)) and '"' not in doc.text and "“" not in doc.text:
        return
    for pair, target in _segments(doc, _SRC_QUOTE_MARKS, '"“'):
        src_quotes = _SRC_ANY_QUOTE.search(pair.source)
        if src_quotes is None and '"' not in target and "“" not in target:
            continue  # no quotation on either side (most segments): nothing to compare
        quote = next((m for m in _SRC_QUOTE.finditer(pair.source) if len(m["q"]) >= min_chars), None)
        if quote is not None and not _TGT_QUOTE.search(target):
            a, b = align.segment_span(doc, pair)
            yield Hit(a, b, message="The source quotes someone directly but the translation has no quotation marks",
                      source_span=quote.span())
            continue
        if src_quotes is None:
            m = next((m for m in _TGT_QUOTATION.finditer(target)
                      if len(_WORD.findall(m["q"])) >= min_words), None)
            if m is not None:
                yield Hit(pair.start + m.start(), pair.start + m.end(),
                          message="Quotation with no quotation or title marks in the source")


@check("source-paren-parity")
def paren_parity(doc, rule):
    """A parenthesis with words in it in the source and none in the target."""
    source = _source_text(doc)
    if "（" not in source and "(" not in source:
        return
    for pair, target in _segments(doc, "（(", ""):
        m = _SRC_PAREN.search(pair.source)
        if m is not None and not _TGT_PAREN.search(target):
            a, b = align.segment_span(doc, pair)
            yield Hit(a, b, message=f"The source has a parenthesis ({m[0]}) that the translation drops",
                      source_span=m.span())
