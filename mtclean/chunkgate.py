"""Gates tested once for a chunk of texts: one scan of the joined texts per gated rule.

A batch checks millions of one-record texts, and testing ~30 gates per text is a Python
call each. Joined with `SEPARATOR`, the texts of a chunk are scanned once per gate form,
and each hit is mapped to the text it starts in (`bisect` on the start offsets). A gate
is only a precondition, so findings stay the same as long as "the scan hits inside text
i" holds whenever the gate passes on text i alone. Per form:

- substrings (`requires`, a tuple trigger): an occurrence in text i alone is one in the
  joined text inside text i's span; a find loop that restarts at the next text's start
  after each hit sees the first occurrence of every text that holds one.
- a regex trigger: the same, when whether a match starts at a position depends only on
  the characters it consumes. Anchors, lookaround, `\\G`, `\\K`, `\\X` and inline flags
  could see past the text's end (`_context_free` refuses them); `\\b` and `\\B` see a
  "\\n" of the separator where the text alone has its edge, which is no word character
  either.
- shape needles: ASCII text has the same shape joined as alone; a non-ASCII text always
  passes a shape gate, so it is in the set whatever the scan says.
- `non_ascii`/`cjk` gates stay per text: the engine's runner lists
  (`engine._runner_lists`) drop them for most texts already, so a scan would cost more.
- a predicate stays per text (it reads the document's views); a gate that states
  `requires` beside it (rare characters: SB002's "\\n") is scanned for those first,
  and only the texts they hit test the whole gate. Shape needles beside a predicate are
  not scanned: they pass many texts (REP101's '. ' a third), and a find loop with a hit
  in every third text costs more than the test per text.
- a regex with a stdlib `ascii` form, or refused above, is tested per text, after the
  gate's shape passed on the chunk.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Callable

import regex

from . import shape as _shape, words as _words
from .gate import Gate

SEPARATOR = "\n\n"  # a line break on both sides: nothing a chunk form matches can differ
_SEPARATED = frozenset(SEPARATOR)


class Chunk:
    """The texts of a chunk joined, with what the scans read: start offsets, the shape."""

    def __init__(self, texts: list[str]):
        self.starts, self.ends, pos = [], [], 0
        for t in texts:
            self.starts.append(pos)
            self.ends.append(pos + len(t))
            pos += len(t) + len(SEPARATOR)
        self.joined = SEPARATOR.join(texts)
        self.texts = texts
        self._shape: tuple[bytes, set[int]] | None = None
        self._not_plain: set[int] | None = None
        self._runs: bytes | None = None
        self._run_lists: list[list[bytes]] | None = None
        self._capitals: list[list[str]] | None = None
        self._one_line: bool | None = None

    def shape(self) -> tuple[bytes, set[int]]:
        """The shape of the joined texts, a non-ASCII character standing as one '?' (an
        ASCII text's shape is exact), and the indices of the non-ASCII texts, which pass
        any shape gate."""
        if self._shape is None:
            joined = self.joined
            if joined.isascii():
                self._shape = joined.encode("ascii").translate(_shape._TABLE), set()
            else:
                self._shape = (joined.encode("ascii", "replace").translate(_shape._TABLE),
                               {i for i, t in enumerate(self.texts) if not t.isascii()})
        return self._shape


    def one_line(self) -> bool:
        """True when no text holds a line break (most chunks): tests of a line's start or
        end then reduce to the text's."""
        if self._one_line is None:
            self._one_line = self.joined.count("\n") == len(SEPARATOR) * (len(self.texts) - 1)
        return self._one_line

    def not_plain(self) -> set[int]:
        """The indices of the texts that are not plain (`words.is_plain`)."""
        if self._not_plain is None:
            joined = self.joined
            self._not_plain = (set() if _words.is_plain(joined) else
                               {i for i, t in enumerate(self.texts) if not _words.is_plain(t)})
        return self._not_plain

    def runs(self) -> bytes:
        """The joined texts as `words.word_runs` reads a plain text, one byte a character:
        a lowered run character (’ as '), or a space for any other character (the
        separator too). A plain text's runs are the space-separated words of its span."""
        if self._runs is None:
            self._runs = (self.joined.replace("’", "'").encode("ascii", "replace")
                          .translate(_words.RUN_TABLE))
        return self._runs

    def word_runs(self) -> list[list[bytes]]:
        """Each text's span of `runs` split: a plain text's `words.word_runs` (any list for
        another text)."""
        if self._run_lists is None:
            runs = self.runs()
            self._run_lists = [runs[a:b].split() for a, b in zip(self.starts, self.ends)]
        return self._run_lists

    def long_capitals(self) -> list[list[str]]:
        """Each text's long capitalized words (`words.long_capitals`, the document view
        the name and entity checks screen a text with)."""
        if self._capitals is None:
            self._capitals = list(map(_words.long_capitals, self.texts))
        return self._capitals


Scan = Callable[[Chunk, set], None]  # adds the indices of the texts it may fire on

# What a regex may hold to be scanned over joined texts: no anchors, lookaround, \G, \K,
# \X, inline flags or other (? constructs but (?: groups (a `$` or `^` in a character
# class is refused too: rare, and safe to scan per text).
_ESCAPE = re.compile(r"\\.", re.S)
_UNSAFE = re.compile(r"[$]|(?<!\[)\^|\(\?(?!:)")
_UNSAFE_ESCAPES = frozenset("AZzGKX")


def _context_free(pattern: str) -> bool:
    """True when a match at a position depends only on the characters it consumes."""
    if any(e[1] in _UNSAFE_ESCAPES for e in _ESCAPE.findall(pattern)):
        return False
    return _UNSAFE.search(_ESCAPE.sub("", pattern)) is None


def _owners(hit, starts: list[int], out: set) -> None:
    """Add the text of each first hit in a text; `hit(pos)` is the next hit at or after pos."""
    last = len(starts) - 1
    pos = hit(0)
    while pos >= 0:
        i = bisect_right(starts, pos) - 1
        out.add(i)
        if i >= last:
            return
        pos = hit(starts[i + 1])


def _needle_owners(find, needle, chunk: Chunk, out: set) -> None:
    """`_owners` for a substring (`find` searches the joined text or its shape): only an
    occurrence that ends inside its text counts, so one that runs into the separator
    (a "." ending a text is ". " in the joined shape) adds no text."""
    starts, ends, size = chunk.starts, chunk.ends, len(needle)
    last = len(starts) - 1
    pos = find(needle, 0)
    while pos >= 0:
        i = bisect_right(starts, pos) - 1
        if pos + size <= ends[i]:
            out.add(i)
        elif pos < ends[i]:  # it runs into the separator: a later one may not
            pos = find(needle, pos + 1)
            continue
        if i >= last:
            return
        pos = find(needle, starts[i + 1])


def match_owners(search, haystack, chunk: Chunk, out: set) -> None:
    """`_needle_owners` for a pattern (`search(haystack, pos)`, a compiled pattern's
    search over the joined texts or a view of them one unit a character): the texts in
    which a match starts and ends. A match that runs into the separator adds no text; the
    search goes on one character later, so every text's own leftmost match is seen when
    the pattern reads nothing outside the match but the text's edges as non-word ones."""
    starts, ends = chunk.starts, chunk.ends
    last = len(starts) - 1
    m = search(haystack, 0)
    while m is not None:
        pos = m.start()
        i = bisect_right(starts, pos) - 1
        if m.end() <= ends[i]:
            out.add(i)
            if i >= last:
                return
            m = search(haystack, starts[i + 1])
        else:
            m = search(haystack, pos + 1)


def _holding(needle: str, chunk: Chunk, out: set) -> None:
    """The texts that hold a needle with a separator character ("\\n"): tested one by
    one, as the find loop would stop at every separator."""
    out.update(i for i, t in enumerate(chunk.texts) if needle in t)


def _substrings(needles: tuple[str, ...]) -> Scan:
    if len(needles) > 8:  # one automaton pass, not a find loop per needle (the automaton
        return _automaton(needles)  # copies the rest of the joined text at every restart)

    def scan(chunk: Chunk, out: set) -> None:
        find = chunk.joined.find
        for needle in needles:
            if _SEPARATED.isdisjoint(needle):
                _needle_owners(find, needle, chunk, out)
            else:
                _holding(needle, chunk, out)
    return scan


def _automaton(needles: tuple[str, ...]) -> Scan:
    import ahocorasick

    auto = ahocorasick.Automaton()
    for needle in needles:
        auto.add_word(needle, len(needle))
    auto.make_automaton()

    def scan(chunk: Chunk, out: set) -> None:
        joined = chunk.joined

        def hit(pos: int) -> int:  # the start of the match that ends first after pos
            for end, n in auto.iter(joined, pos):
                return end - n + 1
            return -1
        _owners(hit, chunk.starts, out)
    return scan


def _regex(pattern: str) -> Scan:
    search = regex.compile(pattern, regex.V1).search

    def scan(chunk: Chunk, out: set) -> None:
        joined = chunk.joined

        def hit(pos: int) -> int:
            m = search(joined, pos)
            return -1 if m is None else m.start()
        _owners(hit, chunk.starts, out)
    return scan


def _shape_needles(needles: tuple[bytes, ...]) -> Scan:
    def scan(chunk: Chunk, out: set) -> None:
        shape, non_ascii = chunk.shape()
        out |= non_ascii
        for needle in needles:
            _needle_owners(shape.find, needle, chunk, out)
    return scan


def split(gate: Gate) -> tuple[Scan | None, Callable | None]:
    """A chunk scan for the gate's cheapest form with one (None if none), and the per-text
    test the texts it fires on still pass (None when the scan is the whole gate): once a
    scan has narrowed a chunk to a few texts, testing the other forms there costs less
    than scanning the chunk again."""
    if gate.non_ascii:  # see the module's docstring
        return None, gate.test
    trigger = gate.trigger
    forms = []
    if callable(trigger):  # the predicate per text, behind the `requires` scan (if any)
        return (_substrings(gate.requires), gate.test) if gate.requires else (None, gate.test)
    if gate.shape:
        forms.append(_shape_needles(gate.shape))
    if gate.requires:
        forms.append(_substrings(gate.requires))
    if isinstance(trigger, tuple) and trigger and all(isinstance(n, str) and n for n in trigger):
        forms.append(_substrings(trigger))
    elif isinstance(trigger, str) and gate.ascii is None and _context_free(trigger):
        forms.append(_regex(trigger))
    elif trigger is not None:  # a regex with an ASCII form, or one that sees context
        forms.append(None)
    if not forms or forms[0] is None:
        return None, gate.test
    return forms[0], (gate.test if len(forms) > 1 else None)


def each_text(test: Callable[[str], object]) -> Callable:
    """A check's `chunk_scan` (checks.check) for a precondition on the text alone, no view
    and no option: one comprehension over the chunk's texts instead of a runner call and
    a gate call per text (most texts fail such tests: a trailing space, an indent)."""

    def scan(chunk: Chunk, out: set) -> None:
        out.update(i for i, t in enumerate(chunk.texts) if test(t))

    return lambda rule, context: scan



def ending_with(chars: tuple[str, ...], chunk: Chunk, out: set) -> None:
    """Add the texts that end with one of `chars` (one comprehension: on a chunk of short
    texts it costs a tenth of a find loop over the joined texts)."""
    out.update(i for i, t in enumerate(chunk.texts) if t.endswith(chars))


def starting_with(chars: tuple[str, ...], chunk: Chunk, out: set) -> None:
    """Add the texts that start with one of `chars` (see `ending_with`)."""
    out.update(i for i, t in enumerate(chunk.texts) if t.startswith(chars))
