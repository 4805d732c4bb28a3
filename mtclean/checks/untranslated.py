"""Flag whole sentences and paragraphs left in Chinese, Japanese or Korean in English copy.

CJK004 handles a word left untranslated inside an English sentence; this check takes the
sentences where CJK script is the main script, so one problem gives one finding: the two
split on the same test (`script.is_latin_context`). Runs of untranslated sentences in a
paragraph make one finding. No fix is possible: a person must translate.
"""

from __future__ import annotations

import regex

from . import check
from ..finding import Hit
from ..script import CJK_CHAR, has_cjk, is_latin_context

_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
_HANGUL = regex.compile(r"\p{Hangul}")
_EDGE = regex.compile(r"\S")


def language(text: str) -> str:
    """The likely language of a CJK stretch: kana means Japanese, hangul Korean."""
    if _KANA.search(text):
        return "Japanese"
    if _HANGUL.search(text):
        return "Korean"
    return "Chinese"


def _trimmed(text: str, a: int, b: int) -> tuple[int, int]:
    """The span without the whitespace at its ends."""
    m = _EDGE.search(text, a, b)
    if m is None:
        return a, a
    end = b
    while end > m.start() and text[end - 1].isspace():
        end -= 1
    return m.start(), end


def untranslated_spans(doc, min_chars: int = 2) -> list[tuple[int, int]]:
    """Spans of consecutive sentences (within one paragraph) written mainly in CJK script."""
    text = doc.text
    spans: list[tuple[int, int]] = []
    open_span: list[int] | None = None
    para = None
    for a, b in doc.sentences:
        here = doc.paragraph_at(a)
        first = CJK_CHAR.search(text, a, b)
        # The same test CJK004 makes, at the same place: one of the two rules fires.
        if (first is not None and len(CJK_CHAR.findall(text, a, b)) >= min_chars
                and not is_latin_context(doc, first.start())):
            if open_span is not None and here == para:
                open_span[1] = b
            else:
                if open_span is not None:
                    spans.append(_trimmed(text, *open_span))
                open_span, para = [a, b], here
        elif open_span is not None:
            spans.append(_trimmed(text, *open_span))
            open_span = None
    if open_span is not None:
        spans.append(_trimmed(text, *open_span))
    return [s for s in spans if s[1] > s[0]]


@check("untranslated-sentence", trigger=has_cjk, cjk=True)
def untranslated_sentence(doc, rule):
    """Flag a sentence or paragraph left in CJK script; no fix (a person must translate)."""
    min_chars = int(rule.options.get("min_chars", 2))
    for a, b in untranslated_spans(doc, min_chars):
        part = doc.text[a:b]
        para = doc.paragraph_at(a)
        kind = "paragraph" if para and _trimmed(doc.text, *para) == (a, b) else "sentence"
        yield Hit(a, b, message=f"Untranslated {language(part)} {kind} "
                                f"({len(CJK_CHAR.findall(part))} characters): it needs a translator")
