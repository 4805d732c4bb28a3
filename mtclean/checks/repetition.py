"""Flag a word repeated back to back ("the the"), the commonest MT and editing slip."""

from __future__ import annotations

import regex

from . import check
from ..finding import Hit

_REPEAT = regex.compile(r"\b(\p{L}[\p{L}'’-]*)([ \t]+)(?i:(\1))\b")
# Grammatical doublings: "had had", "that that", "is is" (what it is is), "bye bye".
# "so so" and "very very" are left out: in news copy they are loops, not style.
DEFAULT_ALLOWED = {"had", "that", "is", "bye", "ha", "blah", "knock", "tut", "yada", "chop",
                   "pooh", "dum", "tsk"}


@check("repeated-word")
def repeated_word(doc, rule):
    """Flag the second copy of a doubled word; the fix deletes it with its space."""
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
