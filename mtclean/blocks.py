"""Cut a long text into blocks at line breaks, so scanners that copy their input (the
Aho–Corasick automaton holds a 4-byte-per-character copy, `str.lower` a full one) work on
a megabyte at a time instead of the whole file."""

from __future__ import annotations

from typing import Iterator

BLOCK = 1 << 20  # characters


def line_blocks(text: str, size: int = BLOCK) -> Iterator[tuple[int, int]]:
    """Spans covering `text` in order, each ending just after a newline (a paragraph
    break when one is near), so no match without a newline in it is ever cut. A stretch
    with no newline within twice `size` stays whole."""
    n = len(text)
    a = 0
    while n - a > size:
        window_end = min(n, a + 2 * size)
        cut = text.find("\n\n", a + size, window_end)
        if cut != -1:
            cut += 2
        else:
            cut = text.find("\n", a + size, window_end)
            if cut == -1:
                cut = text.find("\n", window_end)
                if cut == -1:
                    break
            cut += 1
        yield a, cut
        a = cut
    yield a, n


def overlapping_blocks(text: str, overlap: int, size: int = BLOCK) -> Iterator[str]:
    """`text` in pieces of about `size` characters, each extended by `overlap` characters
    into the next, so a needle of up to overlap + 1 characters is never cut."""
    n = len(text)
    if n <= size + overlap:
        yield text
        return
    for a in range(0, n, size):
        yield text[a:a + size + overlap]
