"""Flag CJK residue in English text: full-width punctuation, ideographic spaces, full-width
letters and digits, and untranslated Han/kana runs, with fixes where the mapping is clear."""

from __future__ import annotations

import unicodedata

import regex

from . import check
from ..finding import Hit
from ..script import CJK_CHAR, has_cjk, is_latin_context

_WORDISH = regex.compile(r"[\p{L}\p{N}]")

# Full-width mark -> (ASCII form, space after when a word follows, space before after a word)
PUNCT = {
    "，": (",", True, False), "、": (",", True, False), "。": (".", True, False),
    "：": (":", True, False), "；": (";", True, False), "！": ("!", True, False),
    "？": ("?", True, False), "（": ("(", False, True), "）": (")", True, False),
    "【": ("[", False, True), "】": ("]", True, False), "［": ("[", False, True),
    "］": ("]", True, False), "「": ("“", False, True), "」": ("”", True, False),
    "『": ("‘", False, True), "』": ("’", True, False), "《": ("“", False, True),
    "》": ("”", True, False), "〈": ("‘", False, True), "〉": ("’", True, False),
    "～": ("~", False, False), "－": ("-", False, False), "％": ("%", False, False),
    "＆": ("&", False, False), "＂": ('"', False, False), "＇": ("'", False, False),
}
_MARKS = regex.compile("[" + "".join(regex.escape(c) for c in PUNCT) + "]")
# A run of one mark (a megabyte of 。 in a broken feed) is one finding, not one per character.
_MARK_RUNS = regex.compile("([" + "".join(regex.escape(c) for c in PUNCT) + r"])\1*")
# Marks whose English equivalent is a style decision (book titles), so the fix is unsafe.
UNSAFE_PUNCT = set("《》〈〉「」『』、")


_LETTER = regex.compile(r"[\p{L}\p{N}]")


def _neighbour_letter(text: str, i: int, step: int, limit: int = 12) -> str:
    """The nearest letter or digit from index i in direction step (skipping marks)."""
    j, n = i, 0
    while 0 <= j < len(text) and n < limit:
        if _LETTER.match(text[j]):
            return text[j]
        j += step
        n += 1
    return ""


def in_cjk_text(text: str, a: int, b: int) -> bool:
    """True when a mark sits next to CJK letters: it belongs to Chinese text, not residue."""
    return any(c and CJK_CHAR.match(c) for c in (_neighbour_letter(text, a - 1, -1),
                                                 _neighbour_letter(text, b, 1)))


def _is_word(ch: str) -> bool:
    return bool(ch) and bool(_WORDISH.match(ch))


# Each check below can only fire on its own characters, so those are its trigger.
@check("cjk-punctuation", trigger=_MARKS.pattern, cjk=True)
def fullwidth_punctuation(doc, rule):
    """Replace full-width punctuation inside English sentences with its ASCII form."""
    text = doc.text
    tags = [t.span() for t in _TAG_BRACKETS.finditer(text)] if "【" in text else []
    for m in _MARK_RUNS.finditer(text):
        ch = m.group(1)
        start, end = m.span()
        if tags and any(a <= start < b for a, b in tags):
            continue
        if in_cjk_text(text, start, end) or not is_latin_context(doc, start):
            continue
        ascii_form, space_after, space_before = PUNCT[ch]
        prev = text[start - 1] if start else ""
        nxt = text[end] if end < len(text) else ""
        count = end - start
        rep = ascii_form * count
        if space_before and _is_word(prev):
            rep = " " + rep
        if space_after and (_is_word(nxt) or (nxt and nxt in "\"“(‘")):
            rep += " "
        shown = rep.strip() or rep
        what = f"Full-width '{ch}'" if count == 1 else f"{count:,} full-width '{ch}' in a row"
        yield Hit(start, end, replacement=rep,
                  safety="unsafe" if ch in UNSAFE_PUNCT else None,
                  message=f"{what} in English text; use '{shown if len(shown) <= 12 else shown[:10] + '…'}'")


_IDEOGRAPHIC_SPACES = regex.compile(r"\u3000+")


@check("ideographic-space", trigger=("\u3000",), cjk=True)
def ideographic_space(doc, rule):
    """Delete ideographic-space indentation; turn other ideographic spaces into one space."""
    text = doc.text
    for m in _IDEOGRAPHIC_SPACES.finditer(text):
        a, b = m.span()
        line_start = a == 0 or text[a - 1] == "\n"
        if line_start:
            yield Hit(a, b, replacement="", message="Full-width (ideographic) indentation")
            continue
        if not is_latin_context(doc, a):
            continue
        prev, nxt = text[a - 1], text[b] if b < len(text) else ""
        rep = "" if (prev.isspace() or not nxt or nxt.isspace()) else " "
        yield Hit(a, b, replacement=rep, message="Ideographic space (U+3000) in English text")


_FULLWIDTH_ALNUM = regex.compile(
    r"[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]+(?:[.,\uFF0E][\uFF10-\uFF19]+)*")
# 【Editor: …】 and similar tags are boilerplate (BOIL001 removes them whole).
_TAG_BRACKETS = regex.compile(r"【\s*(?:responsible\s+editor|editor|reporter|source|journalist)[^【】\n]{0,60}】",
                              regex.IGNORECASE)


_FULLWIDTH_LETTER = regex.compile(r"[\uFF21-\uFF3A\uFF41-\uFF5A]")


@check("fullwidth-alnum", trigger=_FULLWIDTH_LETTER.pattern, cjk=True)
def fullwidth_alnum(doc, rule):
    """Map full-width Latin letters (with any digits in the same run) to ASCII (NFKC),
    e.g. ＧＤＰ -> GDP. Runs of digits alone are NUM002's: one problem, one finding."""
    for m in _FULLWIDTH_ALNUM.finditer(doc.text):
        if not _FULLWIDTH_LETTER.search(m.group()):
            continue
        if not is_latin_context(doc, m.start(), threshold=0.3):
            continue
        yield Hit(m.start(), m.end(), replacement=unicodedata.normalize("NFKC", m.group()))


_CJK_RUN = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]+"
                        r"(?:[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\d·・]*"
                        r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}])?")


@check("untranslated-cjk", trigger=has_cjk, cjk=True)
def untranslated_cjk(doc, rule):
    """Flag Han/kana/Hangul runs left untranslated inside an English sentence."""
    for m in _CJK_RUN.finditer(doc.text):
        if (is_latin_context(doc, m.start()) and not _quoted_cjk(doc.text, m.start(), m.end())
                and not _glossed(doc.text, m.start(), m.end())):
            yield Hit(m.start(), m.end())


_GLOSS_AFTER = regex.compile(r"[ \t]*[(（][ \t]*[\"“‘']?\p{Latin}")
_GLOSS_BEFORE = regex.compile(r"[\p{Latin}\"”’'][ \t]*[(（][ \t]*$")
_GLOSS_CLOSE = regex.compile(r"[ \t]*(?:[,;，；][^()（）\n]{0,40})?[)）]")
_GLOSS_MAX = 8  # a term, not a phrase


def _glossed(text: str, a: int, b: int) -> bool:
    """True for a short term quoted on purpose next to its English rendering:
    `内卷 ("involution")` or `involution (内卷)`."""
    if b - a > _GLOSS_MAX:
        return False
    if _GLOSS_AFTER.match(text, b):
        return True
    return bool(_GLOSS_BEFORE.search(text, max(0, a - 40), a) and _GLOSS_CLOSE.match(text, b))


_QUOTED_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{P}\s\d]*")
_OPENERS = {"“": "”", '"': '"', "「": "」", "『": "』", "‘": "’"}


def _quoted_cjk(text: str, a: int, b: int) -> bool:
    """True when the run is (part of) a quotation written wholly in CJK: quoted on purpose."""
    i = a
    while i > 0 and _QUOTED_CJK.fullmatch(text[i - 1]) and text[i - 1] not in _OPENERS:
        i -= 1
    if i == 0 or text[i - 1] not in _OPENERS:
        return False
    close = text.find(_OPENERS[text[i - 1]], b)
    return close != -1 and close - b < 400 and bool(_QUOTED_CJK.fullmatch(text, b, close))
