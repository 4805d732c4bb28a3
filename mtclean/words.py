"""Cheap token views of a text that several checks screen a segment with: whether its
letters are all ASCII, its lowered word runs, its long capitalized words.

Pure functions of the text; `Document` computes each once per document (its views), so
a trigger's scan is read again by its check without any module-level memo.
"""

from __future__ import annotations

import re

import regex

# "Plain" text holds only ASCII and General Punctuation (’ “ — …): its only letters are
# A-Z/a-z, so lower() is exactly the case folding `(?i)` does, and `re` may stand in.
_NOT_PLAIN = re.compile(r"[^\x00-\x7f\u2000-\u206f]")


def is_plain(text: str) -> bool:
    """True if the text's letters are all ASCII (see _NOT_PLAIN)."""
    return text.isascii() or _NOT_PLAIN.search(text) is None


# Lowered word runs of plain text (runs of [A-Za-z0-9'’-]): every other byte becomes a
# space (bytes.translate, the fast path). The UTF-8 bytes of General Punctuation all
# become spaces, so ’ is first written as ' (which can only make more runs equal: a test
# on the runs stays a precondition).
_RUN_BYTES = "abcdefghijklmnopqrstuvwxyz0123456789'-"
_ASCII_RUNS = bytes(c + 32 if 65 <= c <= 90 else c if chr(c) in _RUN_BYTES else 32
                    for c in range(256))
RUN_TABLE = _ASCII_RUNS  # for chunkgate.Chunk.runs


def word_runs(text: str) -> list[bytes] | None:
    """The maximal word runs of plain text, lowered, as bytes (’ as '); None otherwise."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_RUNS).split()
    if not is_plain(text):
        return None
    return text.replace("’", "'").encode().translate(_ASCII_RUNS).split()


# Capitalized words of four letters or more (marks included); `[A-Z][a-z]{3,}` is the same
# on ASCII text, and faster.
_LONG_CAPS = regex.compile(r"\p{Lu}[\p{Ll}\p{M}]{3,}")
_ASCII_LONG_CAPS = re.compile(r"[A-Z][a-z]{3,}")  # the stdlib scans ASCII text faster


_BIG_TEXT = 1 << 20  # characters


def long_capitals(text: str) -> list[str]:
    """Every match of `\\p{Lu}[\\p{Ll}\\p{M}]{3,}`: the name, lexicon and entity checks all
    screen a segment with them. Callers test membership, so a large text lists each word
    once (a list of every occurrence in a large file costs ~60 bytes a word)."""
    pattern = _ASCII_LONG_CAPS if text.isascii() else _LONG_CAPS
    if len(text) > _BIG_TEXT:
        return list(dict.fromkeys(m.group() for m in pattern.finditer(text)))
    return pattern.findall(text)
