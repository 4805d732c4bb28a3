"""Split text into paragraphs and sentences as exact code-point spans.

The text is never modified: every span indexes the original string, so findings map back
to line and column without drift (the failure pySBD's issue #49 describes).
"""

from __future__ import annotations

import regex

# A blank line (possibly holding spaces, tabs, ideographic spaces or CR) ends a paragraph.
_PARA_BREAK = regex.compile(r"\r?\n(?:[ \t\u3000\r]*\r?\n)+")

# Titles and abbreviations that are almost never the last word of a sentence.
NON_FINAL_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep rev hon st mt ft
    jan feb mar apr jun jul aug sep sept oct nov dec no nos vs etc al approx dept est
    fig inc corp ltd co jr sr messrs mme mlle ave blvd pres supt insp maj brig cpl pvt
    vol ed eds op cf e.g i.e viz""".split()
)
# Words that, after an acronym such as "U.S.", signal a new sentence.
SENTENCE_STARTERS = frozenset(
    """The This That These Those He She It They We I You In On At But And However
    Meanwhile A An As After Before When While If Its Their His Her Our There Since
    According Officials Some Many Most One Two Three""".split()
)

_CANDIDATE = regex.compile(
    r"""
    (?P<end>[.!?…]+|[。！？]+)           # terminal punctuation
    (?P<close>[\"'”’»)\]\u300d\u300f]*)  # closing quotes or brackets
    (?P<space>\s+)                        # whitespace (line breaks included)
    (?=(?P<next>[\"'“‘«(\[]*[\p{Lu}\p{N}\p{Lo}]))
    """,
    regex.VERBOSE,
)
_WORD_BEFORE = regex.compile(r"(\S+?)$")


def paragraphs(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return (start, end) spans of paragraphs, trimmed of surrounding whitespace."""
    end = len(text) if end is None else end
    spans = []
    pos = start
    for m in _PARA_BREAK.finditer(text, start, end):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, end))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out


def _is_boundary(text: str, m: regex.Match, para_start: int) -> bool:
    """Decide whether a candidate terminal punctuation really ends a sentence."""
    if m.group("end") != ".":
        return True
    before = _WORD_BEFORE.search(text, max(para_start, m.start() - 40), m.start())
    word = before.group(1) if before else ""
    word = word.lstrip("\"'“‘([«")
    low = word.lower()
    if not word:
        return True
    if low in NON_FINAL_ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isupper():  # an initial: "J. K. Rowling"
        return False
    if regex.fullmatch(r"(?:\p{L}\.)+\p{L}", word):  # "U.S" of "U.S.", "e.g"
        nxt = regex.match(r"[\"'“‘(]*(\w+)", text[m.end():m.end() + 30])
        return bool(nxt and nxt.group(1) in SENTENCE_STARTERS)
    return True


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return sentence spans within [start, end) (normally one paragraph)."""
    end = len(text) if end is None else end
    out = []
    pos = start
    for m in _CANDIDATE.finditer(text, start, end):
        if not _is_boundary(text, m, start):
            continue
        cut = m.start("space")
        if cut > pos:
            out.append((pos, cut))
        pos = m.end("space")
    if pos < end:
        out.append((pos, end))
    return [(a, b) for a, b in out if text[a:b].strip()]
