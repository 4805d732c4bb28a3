"""Code-point offsets (mtclean's) to LSP positions and back.

LSP counts a column in UTF-16 code units unless the client and server agreed on
UTF-8 or UTF-32; mtclean counts code points. `𠮷` or an emoji is one code point but two
UTF-16 units (four UTF-8 bytes); CJK ideographs are one unit of UTF-16 but three bytes.
Lines end at `\\n` (a `\\r` before it belongs to the line break).
"""

from __future__ import annotations

import bisect

from lsprotocol import types


def _units(s: str, encoding: str) -> int:
    if encoding == "utf-32":
        return len(s)
    if encoding == "utf-8":
        return len(s.encode("utf-8", "surrogatepass"))
    if s.isascii():
        return len(s)
    return len(s) + sum(1 for c in s if ord(c) > 0xFFFF)


def _chars(line: str, units: int, encoding: str) -> int:
    """How many code points of `line` its first `units` units cover (clamped)."""
    if encoding == "utf-32" or line.isascii():
        return min(units, len(line))
    n = 0
    for i, c in enumerate(line):
        n += (1 if ord(c) < 0x80 else 2 if ord(c) < 0x800 else 3 if ord(c) <= 0xFFFF else 4) \
            if encoding == "utf-8" else (2 if ord(c) > 0xFFFF else 1)
        if n > units:
            return i
    return len(line)


class Positions:
    """Line starts of one text, for converting in both directions."""

    def __init__(self, text: str, encoding: str = "utf-16"):
        self.text = text
        self.encoding = encoding
        starts = [0]
        i = text.find("\n")
        while i != -1:
            starts.append(i + 1)
            i = text.find("\n", i + 1)
        self.starts = starts

    def _line_end(self, line: int) -> int:
        if line + 1 == len(self.starts):
            return len(self.text)
        end = self.starts[line + 1] - 1
        return end - 1 if end > self.starts[line] and self.text[end - 1] == "\r" else end

    def position(self, offset: int) -> types.Position:
        """The LSP position of a code-point offset."""
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        return types.Position(line, _units(self.text[start:offset], self.encoding))

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(self.position(start), self.position(end))

    def offset(self, pos: types.Position) -> int:
        """The code-point offset of an LSP position (past the end: the end of the text)."""
        if pos.line >= len(self.starts):
            return len(self.text)
        start = self.starts[pos.line]
        line = self.text[start:self._line_end(pos.line)]
        return start + _chars(line, pos.character, self.encoding)
