"""CAP002: flag a body sentence MT wrote in Title Case ("Grieve Said That Russia And
The ..."); the fix lowercases its common words and keeps names, titles and proper
adjectives."""

from __future__ import annotations

import re
from bisect import bisect_right

from .. import check
from ...document import Document
from ...finding import Hit
from ...lexicon.wordlists import FUNCTION_WORDS, INSTITUTION_WORDS, TITLES, proper_in_dictionary
from .common import common
from .layout import TC_WORDS, WORD, Layout, capitalized_in_body

# A `layout.TC_MARK` word after a space, anything before it: a plain `re` scan whose
# lookahead passes over most spaces at once (a third of the cost of TC_MARK's lookbehind).
_TC_WORD = re.compile(r" (?=[%s])(?:%s)(?= )"
                      % ("".join(sorted({w[0] for w in TC_WORDS.split("|")})), TC_WORDS))


def _two_marks(text: str) -> bool:
    """CAP002's precondition: a Title Case sentence holds two `TC_MARK`s, so the text holds
    two `_TC_WORD`s (they cannot overlap: each ends before the space the next one needs)."""
    m = _TC_WORD.search(text)
    return m is not None and _TC_WORD.search(text, m.end()) is not None


_NAME_HEADS = INSTITUTION_WORDS | TITLES
_CAPITAL_S = re.compile(r"\w['’]S$")  # a possessive the Title Case pass capitalized


def _keep_capital(word: str, evidence: dict[str, int]) -> bool:
    """In a Title Case sentence, keep capitals on names, titles and proper adjectives."""
    low = word.lower()
    if word.isupper() or len(word) < 2:
        return True
    if low in FUNCTION_WORDS:
        return False
    return not common(word, 3.0) or proper_in_dictionary(word) or evidence.get(word, 0) > 0


def _marks_scan(rule, context):
    """CAP002's scan of a batch chunk: the texts `_two_marks` passes, from searches of the
    joined chunk. A `_TC_WORD` match never holds a separator character, and the lookahead
    at a text's end sees the separator's line break, no space, as the text alone sees its
    end; so the first match at or after a text's start is the first of the first text
    holding one, and its second is searched up to that text's end."""

    def scan(chunk, out: set) -> None:
        joined, starts, ends = chunk.joined, chunk.starts, chunk.ends
        search, last = _TC_WORD.search, len(starts) - 1
        m = search(joined)
        while m is not None:
            i = bisect_right(starts, m.start()) - 1
            if search(joined, m.end(), ends[i]) is not None:
                out.add(i)
            if i >= last:
                return
            m = search(joined, starts[i + 1])
    return scan


# A Title Case sentence holds at least two `TC_MARK`s.
@check("title-case-sentence", trigger=lambda doc: _two_marks(doc.text), chunk_scan=_marks_scan)
def title_case_sentence(doc: Document, rule) -> list[Hit]:
    """Flag a body sentence written in Title Case; the fix lowercases its common words."""
    text = doc.text
    layout = doc.view(Layout)
    title_case = layout.title_case(doc)[0]
    if not title_case:
        return []
    evidence = capitalized_in_body(doc, layout, {w for a, b in title_case
                                       for w in WORD.findall(text, a, b) if w[:1].isupper()})
    hits = []
    for a, b in title_case:
        words = list(WORD.finditer(text, a, b))
        keep = [True] * len(words)
        for i in range(len(words) - 1, 0, -1):
            w = words[i].group()
            before = text[words[i - 1].end():words[i].start()]
            if not w[0].isupper() or any(c in before for c in ":\"“‘("):
                continue
            keep[i] = _keep_capital(w, evidence)
            if not keep[i] and w.lower() not in FUNCTION_WORDS and any(
                    0 <= k < len(words) and words[k].group() in _NAME_HEADS for k in (i - 1, i + 1)):
                keep[i] = True  # "City Health Commission": part of an institution's name
        new = {i: words[i].group().lower() for i in range(1, len(words)) if not keep[i]}
        if not new:
            continue
        for i in range(1, len(words)):
            w = words[i].group()
            if keep[i] and _CAPITAL_S.search(w) and not w.isupper():
                new[i] = w[:-1] + "s"  # "Spain'S" kept as a name: its possessive is 's
        changed = sorted(new)
        lo, hi = words[changed[0]].start(), words[changed[-1]].end()
        pieces, pos = [], lo
        for i in changed:
            m = words[i]
            pieces.append(text[pos:m.start()])
            pieces.append(new[i])
            pos = m.end()
        pieces.append(text[pos:hi])
        hits.append(Hit(lo, hi, replacement="".join(pieces),
                        message="Sentence written in Title Case; common words should be lowercase"))
    return hits
