"""Check a large file in blocks of whole paragraphs, so its memory peak is one block's
views and the findings, not the whole text's views (issue 11).

The document-level checks (`DOCUMENT_LEVEL_CHECKS`: a name's other spellings, headline
and title style, the line width, whether the text is prose, where it starts) run once
over the whole text first. Every other rule runs block by block: each block is checked
inside a window of `MARGIN` more paragraphs on either side (a paragraph's findings can
depend on its neighbours) and keeps the findings that start in it. The whole text is then
kept as UTF-8 bytes (`StoredText`), which the blocks are decoded from and the report
reads its lines from: a str with one CJK mark in it takes 2 or 4 bytes a character.
tests/test_blockcheck.py holds the findings equal to those of one whole-text check.
"""

from __future__ import annotations

import bisect
import heapq
from array import array
from collections.abc import Iterator
from pathlib import Path

from .document import CheckContext, Document, Spans
from .engine import Engine, Keep, locate
from .finding import Finding
from .rules import Rule
from .textio import SourceText
from .yamlio import BUILTIN_RULES_DIR

# Built-in checks whose findings in one paragraph depend on text elsewhere in the document:
# a name's other spellings (name-variants), headline and title style (spurious-capital,
# title-case-sentence), the document's line width (stray-line-break) and whether it is
# prose at all (missing-final-stop), where a text starts and what a headline is
# (lowercase-sentence-start). All other rules see a few paragraphs around a finding only:
# the editing session re-runs these over the whole text after every edit and the rest
# over the paragraphs it touched (tests/test_editing_session.py holds "incremental ==
# full" on random edits); the block check relies on the same split.
DOCUMENT_LEVEL_CHECKS = frozenset({
    "name-variants", "spurious-capital", "title-case-sentence", "stray-line-break",
    "missing-final-stop", "lowercase-sentence-start",
})
BLOCK_CHARS = 2 << 20  # code points a block holds at least (its last paragraph ends it)
MARGIN = 2  # paragraphs of context on either side of a block


def is_document_level(rule: Rule) -> bool:
    return rule.kind == "check" and rule.check in DOCUMENT_LEVEL_CHECKS


def can_split(engine: Engine, text: str) -> bool:
    """Whether checking `text` in blocks finds exactly what a whole check finds: not with
    grammar backends (they see the whole document), inline suppression comments (a
    comment can silence findings anywhere below it) or a user's pattern rule (it may
    match across any number of paragraphs; the built-in ones are held to the split)."""
    return (not engine.detectors and "mtclean:" not in text
            and all(r.kind != "pattern" or _builtin(r) for r in engine.rules))


def _builtin(rule: Rule) -> bool:
    return Path(rule.source_file).resolve().parent == BUILTIN_RULES_DIR.resolve()


def split(engine: Engine) -> tuple[Engine, Engine]:
    """(paragraph-local, document-level) engines with `engine`'s rules between them."""
    return (Engine([r for r in engine.rules if not is_document_level(r)], ignore=engine.ignore),
            Engine([r for r in engine.rules if is_document_level(r)], ignore=engine.ignore))


def blocks(paras: Spans, n: int, block_chars: int) -> Iterator[tuple[int, int, int, int]]:
    """(window start, window end, own start, own end) of each block of a text of `n`
    characters with paragraphs `paras`. The own spans cover [0, n) without overlap (the
    last one ends at n + 1, so a finding at the very end has an owner); a window adds
    `MARGIN` paragraphs and the blank lines around them."""
    count = len(paras)
    i = 0
    while True:
        j = i
        while j + 1 < count and paras[j][1] - paras[i][0] < block_chars:
            j += 1
        own_lo = paras[i][0] if i else 0
        own_hi = paras[j + 1][0] if j + 1 < count else n + 1
        w_first, w_last = i - MARGIN, j + MARGIN
        lo = paras[w_first - 1][1] if w_first > 0 else 0
        hi = paras[w_last + 1][0] if w_last + 1 < count else n
        yield lo, hi, own_lo, own_hi
        if j + 1 >= count:
            return
        i = j + 1


class StoredText:
    """A checked text kept for the report as UTF-8 bytes, with what `Document.position`
    and `Document.line_text` need: the code-point and byte offset of each line."""

    def __init__(self, text: str, path: str, context: CheckContext):
        self.path, self.context = path, context
        self.data = text.encode("utf-8")
        self.line_starts = _starts(text, "\n")
        self._byte_starts = _starts(self.data, b"\n")

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of a code-point offset, as `Document.position`."""
        idx = bisect.bisect_right(self.line_starts, offset) - 1
        return idx + 1, offset - self.line_starts[idx] + 1

    def line_text(self, line: int) -> str:
        """Line `line` (1-based) without its line ending, as `Document.line_text`."""
        a = self._byte_starts[line - 1]
        b = self._byte_starts[line] if line < len(self._byte_starts) else len(self.data)
        return self.data[a:b].decode("utf-8").rstrip("\r\n")

    def byte_offsets(self, text: str, offsets: list[int]) -> dict[int, int]:
        """The byte offset of each of the sorted code-point `offsets` of `text`."""
        out, pos, at = {}, 0, 0
        for o in offsets:
            at += len(text[pos:o].encode("utf-8"))
            pos = o
            out[o] = at
        return out


def _starts(text, newline) -> array:
    starts = array("q", [0])
    find = text.find
    i = find(newline)
    while i != -1:
        starts.append(i + 1)
        i = find(newline, i + 1)
    return starts


def check(engine: Engine, keep: Keep, source: SourceText, context: CheckContext,
          block_chars: int | None = None) -> tuple[list[Finding], StoredText]:
    """The findings of `engine` on `source`'s text, kept by `keep`, checked block by
    block, and the text stored for the report. Takes the text over (`source.text` is
    emptied) so that it can be let go once stored as bytes. Call only where `can_split`."""
    text, source.text = source.text, ""
    path, block_chars = source.path, block_chars or BLOCK_CHARS
    local, whole = split(engine)
    doc = Document(text, path, context)
    found_whole = keep(doc, whole.check(doc))
    n = len(text)
    cuts = list(blocks(doc.paragraphs, n, block_chars)) if doc.paragraphs else [(0, n, 0, n + 1)]
    del doc  # and the document-level views with it
    stored = StoredText(text, path, context)
    at = stored.byte_offsets(text, sorted({o for lo, hi, _, _ in cuts for o in (lo, hi)}))
    del text
    found_local: list[Finding] = []
    for lo, hi, own_lo, own_hi in cuts:
        window = Document(stored.data[at[lo]:at[hi]].decode("utf-8"), path, context)
        mine = []
        for f in local.check(window):
            if own_lo <= f.start + lo < own_hi:
                f.start += lo
                f.end += lo
                mine.append(locate(stored, f))
        found_local.extend(keep(window, mine))
        del window, mine
    return list(heapq.merge(found_whole, found_local, key=Finding.sort_key)), stored
