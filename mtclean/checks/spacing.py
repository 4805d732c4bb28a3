"""Spacing checks that a regex alone cannot express well."""

from __future__ import annotations

import regex

from . import check
from ..chunkgate import each_text, ending_with, starting_with
from ..finding import Hit

_INDENT = regex.compile(r"^[ \t]+(?=[\p{L}\p{N}\"“‘(\[])", regex.MULTILINE)
_MARKDOWN_BLOCK = regex.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|>|#|\|)")


def _may_be_indented(text: str) -> bool:
    """An indent is a space or tab at the start of a line (the text start or after "\n")."""
    return text[:1] in (" ", "\t") or "\n " in text or "\n\t" in text


def _edge_or_each(edge_scan, test):
    """A chunk scan (SPC004, SPC008): when no text of the chunk holds a line break, the
    texts that `edge_scan` finds starting or ending with a space or tab; else `test` on
    each text."""
    each_factory = each_text(test)

    def factory(rule, context):
        each = each_factory(rule, context)

        def scan(chunk, out: set) -> None:
            if chunk.one_line():
                edge_scan((" ", "\t"), chunk, out)
            else:
                each(chunk, out)
        return scan
    return factory


_indent_scan = _edge_or_each(starting_with, _may_be_indented)


@check("paragraph-indent", trigger=lambda doc: _may_be_indented(doc.text),
       chunk_scan=_indent_scan)
def paragraph_indent(doc, rule):
    """Flag leading spaces/tabs at the start of a prose paragraph.

    Markdown code blocks (4+ spaces in .md files), list items and their continuation
    lines are structure, not stray indentation.
    """
    text = doc.text
    markdown = doc.path.lower().endswith((".md", ".markdown"))
    for a, b in doc.paragraphs:
        line_start = text.rfind("\n", 0, a) + 1
        indent = text[line_start:a]
        if not indent or indent.strip(" \t"):
            continue
        if markdown and len(indent.expandtabs(4)) >= 4:
            continue
        prev_line_start = text.rfind("\n", 0, max(0, line_start - 1)) + 1
        prev_block = text[prev_line_start:line_start]
        if _MARKDOWN_BLOCK.match(text[a:b]) or (line_start and _MARKDOWN_BLOCK.match(prev_block)):
            continue
        yield Hit(line_start, a, replacement="")


# First parts that only ever start a hyphenated compound ("non - profit").
COMPOUND_PREFIXES = frozenset("""anti non pseudo pre post co ex multi semi self inter intra
    cross counter over under sub super ultra vice mid bi tri re de mini micro macro neo
    quasi pro trans well ill high low long short large small full part half all so
    state front follow check clean year old first second third one two three four five six
    seven eight nine ten hundred thousand world long-term top tax cost war sino""".split())
# Second parts that only ever end one ("state - owned", "large - scale").
COMPOUND_HEADS = frozenset("""owned old term level scale time risk line up ups based related
    stricken resistant threatening free wide known style year month day week run making
    oriented led funded backed run sized class quality speed profile income standard
    proof friendly commissioned""".split())
_LINKS = frozenset("in to of on by the and a for".split())
_SPACED_HYPHEN = regex.compile(r"\b\p{L}+(?: - \p{L}+)+\b")


def _compound_safety(parts: list[str]) -> str | None:
    """Decide whether 'a - b' is a compound broken by tokenization; None if it may be a dash."""
    low = [p.lower() for p in parts]
    if len(parts) >= 3 and all(p in _LINKS for p in low[1:-1]):
        return "safe"  # Commander - in - Chief, face - to - face, year - on - year
    if len(parts) == 2 and low[0] in COMPOUND_PREFIXES:
        return "safe"
    if len(parts) == 2 and low[1] in COMPOUND_HEADS and len(low[0]) <= 12:
        return "unsafe"
    if len(parts) == 2 and all(p[:1].isupper() for p in parts) and all(
            len(p) >= 2 for p in parts) and parts[0].lower() != parts[1].lower():
        return None  # "China - US" is a pair, but also a title separator: leave it
    return None


@check("spaced-hyphen", trigger=(" - ",))
def spaced_hyphen(doc, rule):
    """Flag compounds split by tokenizer spaces ("state - owned") and rejoin them."""
    for m in _SPACED_HYPHEN.finditer(doc.text):
        parts = m.group().split(" - ")
        safety = _compound_safety(parts)
        if safety is None:
            continue
        joined = "-".join(parts)
        yield Hit(m.start(), m.end(), replacement=joined, safety=safety,
                  message=f"Spaced hyphen in a compound; write “{joined}”")


_TRAILING = regex.compile(r"(?<=\S)[ \t]+(?=\r?\n|\Z)|(?<=\n)[ \t]+\Z")


def _may_trail(text: str) -> bool:
    """Trailing whitespace sits before a line break or at the end of the text."""
    return text[-1:] in (" ", "\t") or " \n" in text or "\t\n" in text or " \r\n" in text or "\t\r\n" in text


_trail_scan = _edge_or_each(ending_with, _may_trail)


@check("trailing-whitespace", trigger=lambda doc: _may_trail(doc.text), chunk_scan=_trail_scan)
def trailing_whitespace(doc, rule):
    """Flag spaces and tabs at the end of a line or of the text; the fix deletes them.

    In Markdown, two or more spaces before a line break inside a paragraph are a hard
    line break, not stray whitespace, and are left alone.
    """
    text = doc.text
    markdown = doc.path.lower().endswith((".md", ".markdown"))
    for m in _TRAILING.finditer(text):
        a, b = m.span()
        if markdown and b - a >= 2 and b < len(text):
            nl = text.find("\n", b)
            if nl != -1 and text[nl + 1:nl + 2].strip():
                continue  # a Markdown hard line break before a line of the same paragraph
        yield Hit(a, b, replacement="", message="Trailing whitespace at the end of a "
                  + ("line" if b < len(text) else "text"))


# A straight quote with a letter on both sides ("the"hurry", "hurry"and"): opening or
# closing is told by the count of straight quotes before it in the paragraph.
_GLUED_STRAIGHT = regex.compile(r'(?<=\p{L}[.,!?]?)"(?=\p{L})')


# Most segments hold no straight quote at all: an `in` test spares them the scan.
@check("glued-straight-quote", trigger=lambda doc: _GLUED_STRAIGHT.search(doc.text), requires=('"',))
def glued_straight_quote(doc, rule):
    """Flag a straight quotation mark glued to the word outside the quotation.

    Only paragraphs with an even number of straight marks are judged (otherwise which
    marks open is a guess); a mark after a digit (6.1" screens) is a unit, not a quote.
    """
    text = doc.text
    for a, b in doc.paragraphs:
        marks = [i for i in range(a, b) if text[i] == '"'] if '"' in text[a:b] else []
        if not marks or len(marks) % 2:
            continue
        for n, i in enumerate(marks):
            if not _GLUED_STRAIGHT.match(text, i):
                continue
            if n % 2 == 0:  # opening: the space goes before it ("the"hurry")
                if regex.match(r"\p{L}{2}", text[i - 2:i]):
                    yield Hit(i, i, replacement=" ", message="Missing space before an opening quotation mark")
            elif regex.match(r"\p{L}{2}", text[i + 1:i + 3]):  # closing: after it
                yield Hit(i + 1, i + 1, replacement=" ",
                          message="Missing space after a closing quotation mark")
