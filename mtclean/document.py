"""The document model: the original text, its line lookup and its views.

A view is a fact about the text (paragraphs, sentences, shape, word runs, capitalized
words, a check family's layout model...) computed on first use and kept with the
document, so the rules of one document share the work and nothing about a text is kept
anywhere else: no module holds per-text state (tests/test_no_text_state.py).
"""

from __future__ import annotations

import bisect
import os
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Callable, TypeVar

from . import segment, shape as _shape, words

T = TypeVar("T")


def _paths(value, key: str) -> tuple[str, ...]:
    if isinstance(value, (str, bytes, os.PathLike)):  # one path would read as its letters
        raise TypeError(f"CheckContext.{key} must be a sequence of paths, not one path")
    return tuple(os.fspath(p) for p in value or ())


@dataclass(frozen=True)
class CheckContext:
    """What a document is checked with besides its text, bound once per file or record:
    the name lexicon files (NAME001/NAME002, the grammar filters), extra entity gazetteer
    files (ENT001) and the Chinese source aligned segment by segment (the SRC rules).
    Frozen, so one context can be shared by every document of a file or a batch."""

    names: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    source: object | None = None  # a source.align.Alignment (not imported: it sits above)

    def __post_init__(self):
        object.__setattr__(self, "names", _paths(self.names, "names"))
        object.__setattr__(self, "entities", _paths(self.entities, "entities"))

    def with_source(self, source: object) -> CheckContext:
        """This context carrying an aligned source (a new record; this one is not
        changed). Made per document when a source is attached, so its paths, checked
        when this context was made, are not checked again (dataclasses.replace would)."""
        new = object.__new__(CheckContext)
        new.__dict__.update(self.__dict__, source=source)
        return new


NO_CONTEXT = CheckContext()
_MISSING = object()  # a view not computed yet


class cached_property:  # noqa: N801 (named as the functools one it stands in for)
    """A view computed on first use and stored on the document, which answers every later
    use from its own `__dict__`. functools' version takes a lock on each first use before
    Python 3.12: a visible cost when every segment of a corpus is a new document."""

    def __init__(self, compute):
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, doc, owner=None):
        if doc is None:
            return self
        value = doc.__dict__[self.name] = self.compute(doc)
        return value


class Spans(Sequence):
    """(start, end) spans stored flat in one array of machine integers: the sentences of
    a 50 MB file take 8 MB here instead of about 60 MB as a list of tuples."""

    __slots__ = ("_flat",)

    def __init__(self, pairs: Iterable[tuple[int, int]] = ()):
        self._flat = array("q")
        self.extend(pairs)

    def __len__(self) -> int:
        return len(self._flat) // 2

    def extend(self, pairs: Iterable[tuple[int, int]]) -> None:
        """Append spans (segment.split_sentences writes into a Spans this way)."""
        flat = self._flat
        for a, b in pairs:
            flat.append(a)
            flat.append(b)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return list(self)[i]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("span index out of range")
        return self._flat[2 * i], self._flat[2 * i + 1]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        it = iter(self._flat)
        return zip(it, it)

    def __eq__(self, other) -> bool:
        return list(self) == list(other) if isinstance(other, (list, tuple, Spans)) else NotImplemented

    def __repr__(self) -> str:
        return f"Spans({list(self)!r})"

    def starts(self) -> array:
        return self._flat[0::2]


@dataclass
class Document:
    """Text under analysis. It is never altered; every span indexes `text` directly."""

    text: str
    path: str = "-"
    context: CheckContext = NO_CONTEXT

    def view(self, compute: Callable[[Document], T]) -> T:
        """`compute(self)`, computed once for this document. For a check family's own
        views (a trigger's scan its check reads again); `compute` must be a module-level
        function or class (it is the key) and depend on nothing but the document."""
        views = self._views
        value = views.get(compute, _MISSING)  # not try/except: each view misses once
        if value is _MISSING:
            value = views[compute] = compute(self)
        return value

    @cached_property
    def _views(self) -> dict:
        """The `view` memo, made on first use (most segments need none)."""
        return {}

    @cached_property
    def shape(self) -> str | None:
        """The text's shape (mtclean/shape.py) as a string, or None when it is not ASCII
        (the gates' substring tests run a third faster on a string than on bytes)."""
        sh = _shape.shape(self.text)
        return None if sh is None else sh.decode("ascii")

    @cached_property
    def plain(self) -> bool:
        """True when the text's letters are all ASCII (mtclean/words.py)."""
        return words.is_plain(self.text)

    @cached_property
    def word_runs(self) -> list[bytes] | None:
        """The lowered word runs of plain text, None for other text (mtclean/words.py)."""
        return words.word_runs(self.text)

    @cached_property
    def long_capitals(self) -> list[str]:
        """Capitalized words of four letters or more, in order (mtclean/words.py)."""
        return words.long_capitals(self.text)

    @cached_property
    def line_starts(self) -> list[int]:
        starts = [0]
        find = self.text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        return starts

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) of a code-point offset."""
        idx = bisect.bisect_right(self.line_starts, offset) - 1
        return idx + 1, offset - self.line_starts[idx] + 1

    def line_text(self, line: int) -> str:
        """Return line `line` (1-based) without its line ending."""
        a = self.line_starts[line - 1]
        b = self.line_starts[line] if line < len(self.line_starts) else len(self.text)
        return self.text[a:b].rstrip("\r\n")

    @cached_property
    def paragraphs(self) -> Spans:
        return Spans(segment.iter_paragraphs(self.text))

    @cached_property
    def sentences(self) -> Spans:
        # Straight into the compact store: a list of tuples first took 2 bytes per byte of text.
        return segment.split_sentences(self.text, self.paragraphs, out=Spans())

    def paragraph_at(self, offset: int) -> tuple[int, int] | None:
        starts = self._paragraph_starts
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and self.paragraphs[i][0] <= offset <= self.paragraphs[i][1]:
            return self.paragraphs[i]
        return None

    def sentence_at(self, offset: int) -> tuple[int, int] | None:
        starts = self._sentence_starts
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and self.sentences[i][0] <= offset <= self.sentences[i][1]:
            return self.sentences[i]
        return None

    @cached_property
    def _paragraph_starts(self) -> array:
        return self.paragraphs.starts()

    @cached_property
    def _sentence_starts(self) -> array:
        return self.sentences.starts()
