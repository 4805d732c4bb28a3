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
    messrs mme mlle maj brig cpl pvt supt insp pres vs approx cf viz e.g i.e""".split()
)
# Abbreviations that stand before a number ("No. 5", "Vol. 2"); before anything else the
# word is an ordinary one ("He said no.").
NUMBER_ABBREVIATIONS = frozenset("no nos vol vols fig figs art pp op".split())
# Abbreviations that can end a sentence ("... Acme Inc. The firm ..."): like acronyms,
# they end one only when a typical sentence opener follows.
MAYBE_FINAL_ABBREVIATIONS = frozenset(
    """jan feb mar apr jun jul aug sep sept oct nov dec inc corp ltd co jr sr etc al
    est dept ave blvd ed eds""".split()
)
# Words that, after an acronym such as "U.S.", signal a new sentence.
SENTENCE_STARTERS = frozenset(
    """The This That These Those He She It They We I You In On At But And However
    Meanwhile A An As After Before When While If Its Their His Her Our There Since
    According Officials Some Many Most One Two Three Yet So For Now Then Also Still
    Last Next Earlier Later Both Each Under During Despite Although Though Because
    What Who How Why Where Such Other""".split()
)

_CLOSERS = r"\"'”’»)\]\u300d\u300f"
# Possessive runs, entered only at their first character: a long run of dots or "!!!"
# must cost linear time, not a backtracking search from every position inside it.
_CANDIDATE = regex.compile(
    rf"""
    (?:
      (?<![.!?…])(?P<end>[.!?…]++)        # Latin terminal punctuation
      (?P<close>[{_CLOSERS}]*+)           # closing quotes or brackets
      (?P<space>\s++)                     # whitespace (line breaks included)
      (?=[\"'“‘«(\[]*+[\p{{Lu}}\p{{N}}\p{{Lo}}])  # then a capital, digit or CJK letter
    |
      (?<![。！？])(?P<end>[。！？]++)      # a CJK full stop ends a sentence even
      (?P<close>[{_CLOSERS}]*+)           # when nothing separates it from the next one
      (?P<space>\s*+)
      (?=\S)
    )
    """,
    regex.VERBOSE,
)
_WORD_BEFORE = regex.compile(r"\S+", regex.REVERSE)  # the word ending at a position
_ACRONYM = regex.compile(r"(?:\p{L}\.)+\p{L}")
_NEXT_WORD = regex.compile(r"[\"'“‘(]*(\w+)")


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
    before = _WORD_BEFORE.match(text, max(para_start, m.start() - 40), m.start())
    word = before.group() if before else ""
    word = word.lstrip("\"'“‘([«")
    low = word.lower()
    if not word:
        return True
    nxt = _NEXT_WORD.match(text, m.end(), min(len(text), m.end() + 40))
    nxt_word = nxt.group(1) if nxt else ""
    if low in NON_FINAL_ABBREVIATIONS:
        return False
    if low in NUMBER_ABBREVIATIONS:
        return not nxt_word[:1].isdigit()
    if len(word) == 1 and word.isupper():  # an initial: "J. K. Rowling"
        return False
    if low in MAYBE_FINAL_ABBREVIATIONS or _ACRONYM.fullmatch(word):
        return nxt_word in SENTENCE_STARTERS  # "U.S" of "U.S.", "a.m", "Inc"
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
    return [span for span in map(lambda ab: _trim(text, *ab), out) if span[0] < span[1]]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    """Shrink a span so it neither starts nor ends with whitespace."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b
