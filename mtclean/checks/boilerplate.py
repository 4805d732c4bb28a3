"""Flag wire-copy leftovers: editor tags, "(End)" trailers and reporter bylines."""

from __future__ import annotations

import functools

import regex

from . import check
from ..finding import Hit

_ROLE = (r"(?:responsible\s+editor|editor[- ]in[- ]charge|editor\s+in\s+charge|editors?|"
         r"reporters?|journalists?|correspondents?|source|translators?|proofread(?:er|ing)?|"
         r"reviewer|written\s+by|reported\s+by|compiled\s+by|edited\s+by|photo(?:graph)?s?"
         r"(?:\s+by)?|text\s+by|produced\s+by|author)")
_TAG_BODY = rf"{_ROLE}\s*[:：]?\s*[^()\[\]【】\n]{{1,80}}?(?:\s*[;；,，]\s*{_ROLE}\s*[:：]?\s*[^()\[\]【】\n]{{1,80}}?)*"
_END = r"(?:the\s+)?end(?:\s+of\s+(?:the\s+)?(?:article|text|story|report))?|over|full\s+text\s+ends?"


@functools.cache
def _tag_paragraph() -> regex.Pattern:
    """A paragraph that is nothing but a tag.

    Compiled on first use: it takes about 9 ms, a twentieth of `mtclean check`'s start,
    and most texts never have a short paragraph opening like a tag.
    """
    return regex.compile(
        rf"^(?:[(\[（【]\s*(?:{_TAG_BODY}|{_END})\s*[)\]）】]|{_ROLE}\s*[:：]\s*\p{{Lu}}[\p{{L}} .'-]{{1,40}})$",
        regex.IGNORECASE)

_TAG_CHARS = regex.compile(r"[(\[（【]")
# Cheap pre-test: a tag paragraph opens with a bracket or a role word.
_TAG_START = regex.compile(rf"[(\[（【]|{_ROLE}\s*[:：]", regex.IGNORECASE)
# An editor tag in brackets anywhere (CMS leftovers inside a paragraph). CAP001 reads the
# spans too (`inline_tags`): capitals inside a tag this rule removes are no evidence.
_INLINE_TAG = regex.compile(
    r"[(\[（【]\s*(?:responsible\s+editor|editor[- ]in[- ]charge|editors?)\s*[:：]\s*"
    r"[^()\[\]【】\n]{1,60}[)\]）】]|【[^【】\n]{1,60}】", regex.IGNORECASE)


def inline_tags(text: str) -> list[tuple[int, int]]:
    """The spans of the inline editor tags in `text` (none without a bracket)."""
    if not _TAG_CHARS.search(text):
        return []
    return [m.span() for m in _INLINE_TAG.finditer(text)]


def _may_have_tag(text: str) -> bool:
    """A tag paragraph opens with a bracket or has "Role:"; an inline tag has a bracket.

    (Six `in` tests cost a tenth of a regex search on a short segment.)
    """
    return ("(" in text or "[" in text or ":" in text or "（" in text or "【" in text
            or "：" in text)


@check("editor-tag", trigger=("(", "[", ":", "（", "【", "："))  # `_may_have_tag`
def editor_tag(doc, rule):
    """Flag a paragraph consisting only of a tag; the fix removes it and its blank line."""
    text = doc.text
    if not _may_have_tag(text):
        return
    seen = set()
    for a, b in doc.paragraphs:
        if b - a > 160 or not _TAG_START.match(text, a):
            continue
        para = text[a:b]
        if "\n" in para.strip():
            continue
        if _tag_paragraph().match(para.strip()):
            start = a
            # Take the blank line(s) before the paragraph with it, so nothing is left behind.
            while start > 0 and text[start - 1] in " \t\r\n\u3000":
                start -= 1
            if start == 0:
                start = a
                end = b
                while end < len(text) and text[end] in " \t\r\n":
                    end += 1
                yield Hit(start, end, replacement="")
            else:
                yield Hit(start, b, replacement="")
            seen.add((a, b))
    for a, b in inline_tags(text):
        para = doc.paragraph_at(a)
        if para in seen:
            continue
        if a > 0 and text[a - 1] == " ":
            a -= 1
        yield Hit(a, b, replacement="")
