"""Script detection shared by checks: is a stretch of text English prose or CJK text?"""

from __future__ import annotations

import regex

CJK_CHAR = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
_LATIN = regex.compile(r"\p{Latin}")


def has_cjk(doc) -> bool:
    """True when the document holds a CJK character: the gate of the checks that look for
    CJK script, scanned once per document for all of them (a view: `doc.view(has_cjk)`)."""
    return doc.view(_first_cjk) is not None


def _first_cjk(doc):
    return CJK_CHAR.search(doc.text)


def latin_share(text: str) -> float:
    """Share of Latin letters among Latin + CJK characters (1.0 for pure English)."""
    latin = len(_LATIN.findall(text))
    cjk = len(CJK_CHAR.findall(text))
    total = latin + cjk
    return 1.0 if total == 0 else latin / total


def is_latin_context(doc, offset: int, threshold: float = 0.5) -> bool:
    """True when the sentence around `offset` is mainly Latin script (English prose).

    A wholly Chinese sentence quoted on purpose is left alone; residue inside English is not.
    """
    span = doc.sentence_at(offset) or doc.paragraph_at(offset)
    if span is None:
        a, b = max(0, offset - 200), offset + 200
    else:
        a, b = span
        if b - a > 4000:  # very long "sentences" (no punctuation): look locally
            a, b = max(a, offset - 400), min(b, offset + 400)
    return latin_share(doc.text[a:b]) > threshold
