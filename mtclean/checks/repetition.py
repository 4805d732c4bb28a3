"""Flag a word repeated back to back ("the the"), the commonest MT and editing slip."""

from __future__ import annotations

import operator
import re

import regex

from . import check
from ..finding import Hit

# Whole words only: not the tail of a hyphenated compound before its last part ("opt-in
# in", "foo-foo foo") nor a word before a compound it starts ("in in-house").
_REPEAT = regex.compile(r"(?<![\p{L}\p{N}'’-])(\p{L}[\p{L}'’-]*)([ \t]+)(?i:(\1))(?![\p{L}\p{N}'’-])")
# Grammatical doublings: "had had", "that that", "is is" (what it is is), "bye bye".
# "so so" and "very very" are left out: in news copy they are loops, not style.
DEFAULT_ALLOWED = {"had", "that", "is", "bye", "ha", "blah", "knock", "tut", "yada", "chop",
                   "pooh", "dum", "tsk"}

# "Plain" text holds only ASCII and General Punctuation (’ “ — …): its only letters are
# A-Z/a-z, so lower() is exactly the case folding `(?i)` does, and `re` may stand in.
_NOT_PLAIN = re.compile(r"[^\x00-\x7f\u2000-\u206f]")
# On lowered plain text after a space, every _REPEAT match is also a match of this looser
# `re` pattern (no trailing \b; a non-word character instead of \b), which scans about 3x
# faster. It opens with a character class, not a lookbehind, so `re` skips letters fast.
_MAYBE_REPEAT = re.compile(r"[^a-z0-9]([a-z][a-z'’-]*+)[ \t]++\1")


def is_plain(text: str) -> bool:
    """True if the text's letters are all ASCII (see _NOT_PLAIN)."""
    return text.isascii() or _NOT_PLAIN.search(text) is None


# Lowered word runs of plain text (runs of loops._WORDCH, there [A-Za-z0-9'’-]): every
# other byte becomes a space (bytes.translate, the fast path). The UTF-8 bytes of General
# Punctuation all become spaces, so ’ is first written as ' (which can only make more
# runs equal: the test stays a precondition).
_RUN_BYTES = "abcdefghijklmnopqrstuvwxyz0123456789'-"
_ASCII_RUNS = bytes(c + 32 if 65 <= c <= 90 else c if chr(c) in _RUN_BYTES else 32
                    for c in range(256))


def _runs(text: str) -> list | None:
    """The maximal word runs of plain text, lowered, as bytes (’ as '); None otherwise."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_RUNS).split()
    if not is_plain(text):
        return None
    return text.replace("’", "'").encode().translate(_ASCII_RUNS).split()


_last_runs: tuple = ("", [])  # (a text, its word runs), swapped in whole


def word_runs(text: str) -> list | None:
    """`_runs` of the last text asked for: REP001 and REP102 both read them."""
    global _last_runs
    last, runs = _last_runs
    if last is not text:
        runs = _runs(text)
        _last_runs = (text, runs)
    return runs


def _may_repeat(text: str) -> bool:
    """Cheap test that is False only when _REPEAT cannot match (most clean text).

    Without ' ’ or -, a doubled word is a whole word run followed by the same run (\\b on
    both sides, only spaces or tabs between), so adjacent equal runs are needed.
    """
    if not is_plain(text):
        return True
    if "-" in text or "'" in text or "’" in text:
        return _MAYBE_REPEAT.search(" " + text.lower()) is not None
    runs = word_runs(text)
    return any(map(operator.eq, runs, runs[1:]))


# The prefilter as the trigger: a clean segment costs no generator.
@check("repeated-word", trigger=_may_repeat)
def repeated_word(doc, rule):
    """Flag the second copy of a doubled word; the fix deletes it with its space."""
    if not _may_repeat(doc.text):
        return
    allowed = {w.lower() for w in rule.options.get("allow", [])} | DEFAULT_ALLOWED
    for m in _REPEAT.finditer(doc.text):
        first, second = m.group(1), m.group(3)
        if first.lower() in allowed:
            continue
        if first != second and not (first[0].isupper() and first.lower() == second.lower()):
            continue  # "Will will" (a name and a verb) differs in case in a telling way
        if second[0].isupper():
            continue  # reduplicated names ("Li Li", "Ni Ni") and acronyms in tables
        yield Hit(m.start(2), m.end(3), replacement="",
                  message=f"Repeated word “{second}”")
