"""Pair target segments with source segments: one to one by line, or by paragraph.

The mode is detected: line mode when both texts have as many lines, paragraph mode
(blank-line separated) when they have as many paragraphs. Anything else is an input
error naming both files and the first place they diverge. Target spans are recomputed
from the document's current text, so pairs stay right after fixes that keep the
segmentation (fixes that would change it are held back: source/keep.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import regex

from ..document import NO_CONTEXT, CheckContext
from ..errors import InputError

from .native import speedups as _speedups

_BLANK = regex.compile(r"\n[ \t\r\f\v\u3000]*\n")  # a blank line ends a paragraph
_PARA = regex.compile(r"(?:[^\n]|\n(?![ \t\r\f\v\u3000]*(?:\n|$)))+")


def _line_spans_py(text: str) -> list[tuple[int, int]]:
    """Line spans without their line ends (\n, or \r\n), every line (the C twin
    `_speedups.line_spans` is held to this)."""
    spans, pos = [], 0
    for line in text.split("\n"):
        end = pos + len(line)
        spans.append((pos, end - 1 if line.endswith("\r") else end))
        pos = end + 1
    return spans


def _lines(text: str) -> list[tuple[int, int]]:
    """Line spans without their line ends; trailing empty lines are not segments."""
    spans = _speedups.line_spans(text) if _speedups is not None else _line_spans_py(text)
    while spans and not text[spans[-1][0]:spans[-1][1]].strip():
        spans.pop()
    return spans


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Blank-line separated blocks (stripped of surrounding whitespace lines)."""
    out = []
    for m in _PARA.finditer(text):
        a, b = m.span()
        chunk = text[a:b]
        if chunk.strip():
            a += len(chunk) - len(chunk.lstrip())
            b -= len(chunk) - len(chunk.rstrip())
            out.append((a, b))
    return out


def _records(sep: str):
    """Records joined by `sep` (batch documents): one segment each."""

    def split(text: str) -> list[tuple[int, int]]:
        spans, pos = [], 0
        for part in text.split(sep):
            spans.append((pos, pos + len(part)))
            pos += len(part) + len(sep)
        return spans

    return split


SPLITTERS = {"line": _lines, "paragraph": _paragraphs, "records": _records("\n\n")}


class Pair(NamedTuple):
    """A target segment [start, end) of the document and its source segment (a tuple:
    thousands are made per document, and a tuple is the cheapest record to build)."""

    start: int
    end: int
    source: str
    source_start: int  # offset of the source segment in the source text
    source_line: int  # 1-based line of the source segment in the source file
    index: int  # 0-based segment number
    target: str  # the target segment's text (the document's text[start:end])


@dataclass
class Alignment:
    """A source text split into segments, and the mode that pairs them with a target."""

    source_text: str
    mode: str
    source_path: str = "<source>"
    spans: list[tuple[int, int]] = field(default_factory=list)
    _last: tuple | None = field(default=None, repr=False, compare=False)
    _target: tuple | None = field(default=None, repr=False, compare=False)  # (text, its spans)
    memo: dict = field(default_factory=dict, repr=False, compare=False)  # shared analyses

    def pairs(self, text: str) -> list[Pair]:
        """The pairs for a target text; empty when its segmentation no longer matches."""
        if self._last is not None and self._last[0] is text:
            return self._last[1]
        if self._target is not None and self._target[0] is text:
            tspans = self._target[1]  # the split pair_texts made to detect the mode
        else:
            tspans = SPLITTERS[self.mode](text)
        self._target = None
        out: list[Pair] = []
        if len(tspans) == len(self.spans):
            if _speedups is not None and type(tspans) is list and type(self.spans) is list:
                out = _speedups.make_pairs(Pair, text, tspans, self.source_text, self.spans)
            else:
                out = _pairs_py(text, tspans, self.source_text, self.spans)
        self._last = (text, out)
        return out

    def shared(self, key, make):
        """`make()`, computed once per key for this document, so the rules of one check
        family share their reading of a segment pair."""
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]


def _pairs_py(text: str, tspans: list, src: str, sspans: list) -> list[Pair]:
    """The pairs of target spans and source spans (the C twin `_speedups.make_pairs` is
    held to this)."""
    out = []
    new = tuple.__new__  # Pair's own constructor is Python code; this is the C one
    line, pos = 1, 0  # source line numbers, counted as we go (linear in the text)
    for i, ((a, b), (sa, sb)) in enumerate(zip(tspans, sspans)):
        line += src.count("\n", pos, sa)
        pos = sa
        out.append(new(Pair, (a, b, src[sa:sb], sa, line, i, text[a:b])))
    return out


def _first_divergence(src: str, tgt: str) -> str:
    """Where two texts stop lining up, in words a user can act on."""
    s_lines = [src[a:b] for a, b in _lines(src)]
    t_lines = [tgt[a:b] for a, b in _lines(tgt)]
    for i, (s, t) in enumerate(zip(s_lines, t_lines), 1):
        if bool(s.strip()) != bool(t.strip()):
            return f"line {i} is blank in the {'source' if not s.strip() else 'target'} only"
    n = min(len(s_lines), len(t_lines))
    return f"line {n + 1} exists in the {'source' if len(s_lines) > n else 'target'} only"


def pair_texts(text: str, source: str, path: str = "<target>",
               source_path: str = "<source>") -> Alignment:
    """Detect line or paragraph mode and return the alignment, or raise InputError."""
    s_lines, t_lines = _lines(source), _lines(text)
    if len(s_lines) == len(t_lines):
        return Alignment(source, "line", source_path, s_lines, _target=(text, t_lines))
    s_paras, t_paras = _paragraphs(source), _paragraphs(text)
    if len(s_paras) == len(t_paras) and (_BLANK.search(source) or _BLANK.search(text)):
        return Alignment(source, "paragraph", source_path, s_paras)
    raise InputError(
        f"{source_path} and {path} do not align: {len(s_lines)} vs {len(t_lines)} lines, "
        f"{len(s_paras)} vs {len(t_paras)} paragraphs; {_first_divergence(source, text)}; "
        "give one target segment per source line or paragraph")


def records_alignment(sources: list[str | None]) -> Alignment:
    """Batch records (joined by a blank line, as batch joins a document's records) paired
    with their sources; a record without a source gets an empty one, which the source
    checks pass over. A record holding a blank line itself breaks the pairing, and its
    document is then checked monolingually."""
    joined = "\n\n".join(s or "" for s in sources)
    return Alignment(joined, "records", "<source field>", SPLITTERS["records"](joined))


def read_alignment(source_path: str, text: str, path: str) -> Alignment:
    """Read the source file (UTF-8, like any input) and pair it with a target text."""
    from ..textio import read_path

    src = read_path(source_path)
    return pair_texts(text, src.text, path, src.path)


def attach(context: CheckContext | None, alignment: Alignment | None) -> CheckContext:
    """The check context carrying the alignment (a new record; `context` is not changed)."""
    context = context or NO_CONTEXT
    return context if alignment is None else context.with_source(alignment)


def segment_span(doc, pair: Pair) -> tuple[int, int]:
    """The target segment without surrounding whitespace (where a segment-level finding goes)."""
    seg = pair.target
    a = pair.start + len(seg) - len(seg.lstrip())
    return a, max(a, pair.start + len(seg.rstrip()))


def of(doc) -> Alignment | None:
    """The document's alignment, if it was checked with a source."""
    return doc.context.source


def pairs_of(doc) -> list[Pair]:
    """The document's segment pairs; empty without a source (source checks then do nothing)."""
    al = of(doc)
    return al.pairs(doc.text) if al is not None else []
