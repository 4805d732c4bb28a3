"""Pair quotation marks and brackets within each paragraph and flag what does not pair.

Straight double quotes are classified as opening or closing from their neighbours, and
so are curly ones whose shape their place contradicts; a mark whose neighbours are alike
(two spaces, two letters) takes its role from the pairing. The same analysis reports
spaces missing outside a curly quotation or left inside one (SPC005, SPC006, SPC010).
Apostrophes (’ and ') are never treated as quotes. A quotation left open at the end of a
paragraph is fine when the next paragraph opens with a quote (the multi-paragraph
convention of news copy). Where one left open most likely closes, for QUO001's unsafe
fix, is `quote_close`'s guess.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

import regex

from . import check
from .quote_close import close_of, introduced, known_term, quoted_terms
from ..finding import Hit

OPEN_CURLY, CLOSE_CURLY, STRAIGHT = "“", "”", '"'
_QUOTE = regex.compile(r'[“”"]')
# Any mark that quotes, CJK and full-width included (CJK001 may turn it into “ or ”).
_ANY_QUOTE = regex.compile(r'[“”"«»「」『』《》〈〉＂]')
# A doubled mark opens before a word and closes after one; an empty "" is left alone.
_DOUBLED_OPEN = regex.compile(r'(?<![^\s(\[—–-])""(?=[\p{L}\p{N}‘\'(])')
_DOUBLED_CLOSE = regex.compile(r'(?<=[\p{L}\p{N}.,!?’\')])""(?!")')
_DOUBLED = regex.compile(_DOUBLED_OPEN.pattern + "|" + _DOUBLED_CLOSE.pattern)
_OPENER_BEFORE = set(" \t\n\r([{—–-/‘'") | {""}


def prev_space(text: str, i: int, para_start: int) -> bool:
    return i > para_start and text[i - 1] in " \t" and i - 1 > para_start and not text[i - 2].isspace()


def _role(text: str, i: int, para_start: int, para_end: int) -> tuple[str, bool]:
    """Classify the quote at i as 'open' or 'close'; the flag says the mark is reversed.

    Curly marks are taken at their word unless their position contradicts them: “ after a
    word and before a space or the paragraph end closes (a reversed closer, common in
    hand-typed Chinese-English copy); ” after a space, comma or colon and before a letter opens.
    """
    ch = text[i]
    prev = text[i - 1] if i > para_start else ""
    nxt = text[i + 1] if i + 1 < para_end else ""
    if ch == OPEN_CURLY:
        if prev and prev not in "([{—–-/‘'" and (not nxt or nxt.isspace()):
            return "close", True
        return "open", False
    if ch == CLOSE_CURLY:
        if (prev in _OPENER_BEFORE or prev in ",:") and nxt.isalpha():
            return "open", True
        return "close", False
    if (prev in _OPENER_BEFORE or prev in ",:") and nxt and not nxt.isspace():
        return "open", False
    return "close", False


def _quoted_title(doc, open_at: int, para_start: int, para_end: int) -> bool:
    """True when a quotation left open at its paragraph's end is, but for a final mark,
    words the document quotes closed elsewhere, and is not introduced as speech (no
    colon, comma or verb of saying before it, not the paragraph's start): a title or a
    term, which the multi-paragraph convention for quoted speech does not cover."""
    text = doc.text
    if introduced(text, open_at, para_start):
        return False
    end = known_term(text, open_at, para_end, doc.view(quoted_terms))
    return end is not None and not text[end:para_end].strip(" .!?,;:")  # the whole quotation


def _paragraph_opens_with_quote(text: str, para) -> bool:
    return bool(para) and text[para[0]] in (OPEN_CURLY, STRAIGHT)


RUN = 3  # this many of one quotation mark in a row are a run, reported once (2 is QUO005's)


# Every finding is at a quotation mark: a batch chunk rules out most texts in one scan.
@check("quote-pairing", trigger=(STRAIGHT, OPEN_CURLY, CLOSE_CURLY))
def quote_pairing(doc, rule):
    """Flag unclosed quotations, stray closing quotes and quotations mixing “ ” with "."""
    text = doc.text
    # Every finding is at a quotation mark. (`in` is ten times faster than a trigger here.)
    if STRAIGHT not in text and OPEN_CURLY not in text and CLOSE_CURLY not in text:
        return
    mode = rule.options.get("report", "all")
    for kind, hit in doc.view(_quote_findings):
        if mode == "all" or mode == kind:
            yield hit


def _quote_findings(doc) -> tuple:
    """(kind, Hit) pairs, kind being "reversed", "unbalanced" or "mixed": a view of the
    document, as the three quote rules (QUO001/2/4) ask for the same analysis in turn
    (Hits are frozen, so they share it)."""
    if _well_paired(doc.text):
        return ()
    return tuple(_pair_quotes(doc))


# What `str.isspace` calls space (`_role` asks it; regex's \s differs on U+001C-U+001F).
_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# What a straight mark opens after (`_role`), as the inside of a character class.
_OPENS_AFTER = "".join(map(re.escape, sorted((_OPENER_BEFORE - {""}) | set(",:"))))
# A closer in its natural role (`_role`): after a character it cannot open after, or
# before a space, the end, or (” only) punctuation.
_CLOSES = rf'(?<=[^{_SPACE}{_OPENS_AFTER}“”"])'
# Quotations of one style, each on one line, every mark in the role its shape says: “
# before a letter, digit or mark (then it never closes); " there too, and after a space,
# a bracket, a dash, a comma or a colon (then it opens); a closer as above (then it
# cannot open), ” never after a space or tab (SPC010 reports that space), and no curly
# mark glued to a word outside it (SPC005/SPC006 report that). Such text
# pairs every mark, so `_pair_quotes` finds nothing; one regex match tells it for most
# quoted text, in C (`re`: a third faster than `regex` here).
_CURLY_PAIRS = re.compile(
    rf'[^“”"]*+(?:(?<![\w,;:])“(?=[^{_SPACE}“”"])[^“”"\n]*+'
    rf'(?:{_CLOSES}”(?!\w)|(?<![ \t])”(?=[{_SPACE}.,;:!?)\]}}…\'’]|\Z))[^“”"]*+)*+')
_STRAIGHT_PAIRS = re.compile(
    rf'[^“”"]*+(?:(?:^|(?<=[{_OPENS_AFTER}]))"(?=[^{_SPACE}“”"])[^“”"\n]*+'
    rf'(?:{_CLOSES}"|"(?=[{_SPACE}]|\Z))[^“”"]*+)*+')


def _well_paired(text: str) -> bool:
    """True when every quotation mark of `text` pairs in its paragraph, in its natural
    role and with its own style (`_CURLY_PAIRS`, `_STRAIGHT_PAIRS`): `_pair_quotes`
    would report nothing. Mixed styles and doubled marks ("") take the full analysis."""
    if STRAIGHT in text:
        if OPEN_CURLY in text or CLOSE_CURLY in text or '""' in text:
            return False
        return _STRAIGHT_PAIRS.fullmatch(text) is not None
    return _CURLY_PAIRS.fullmatch(text) is not None


def _pair_quotes(doc):
    """The analysis behind quote_pairing, reporting every kind of finding."""
    text = doc.text
    paras = doc.paragraphs
    for n, (a, b) in enumerate(paras):
        open_at = None
        last_close = -1  # the closing mark of the last quotation that paired
        run_end = -1  # end of the last run of one mark reported
        # A doubled straight mark ("", CSV escaping) counts as one: QUO005 reports it.
        doubled = {m.start() + 1 for m in _DOUBLED.finditer(text, a, b)} if text.find('""', a, b) >= 0 else ()
        straight_even = (text.count(STRAIGHT, a, b) - len(doubled)) % 2 == 0
        for m in _QUOTE.finditer(text, a, b):
            i = m.start()
            if i < run_end or i in doubled:
                continue
            if text.startswith(text[i] * RUN, i):  # """""… or ““““…: one finding, not one per mark
                run_end = i + RUN
                while run_end < b and text[run_end] == text[i]:
                    run_end += 1
                yield "unbalanced", Hit(i, run_end, message=(
                    f"A run of {run_end - i} {text[i]} marks: garbled quotation marks"))
                continue
            if not straight_even and text[i] == STRAIGHT and i > a and text[i - 1].isdigit():
                continue  # an inch mark (a 6.1" screen) in a paragraph that pairs without it
            role, reversed_mark = _role(text, i, a, b)
            if _ambiguous(text, i, a, b) and (open_at is not None or _QUOTE.search(text, i + 1, b)):
                # A mark between two spaces (a detokenizer's '“ term ”' or '" term"'), glued
                # between two letters ('the”term“is') or after a colon and before a space
                # ('said:“ We'): its neighbours tell nothing, the pairing does.
                role = "close" if open_at is not None else "open"
                reversed_mark = text[i] == (OPEN_CURLY if role == "close" else CLOSE_CURLY)
            if text[i] != STRAIGHT and not reversed_mark:
                # Straight marks: SPC009, by their count. A reversed mark is QUO004's to
                # turn round first; the space it lacks is read on the next round.
                glued = _glued(text, i, a, b, role)
                if glued is not None:
                    yield glued
            if reversed_mark:
                right = CLOSE_CURLY if role == "close" else OPEN_CURLY
                # "things. “" closes with a reversed mark after a stray space: drop both.
                start = i - 1 if role == "close" and prev_space(text, i, a) else i
                yield "reversed", Hit(start, i + 1, replacement=right, safety="safe", message=(
                    f"Reversed quotation mark: {text[i]} used as {'a closing' if role == 'close' else 'an opening'} "
                    f"mark; use {right}"))
            if role == "open":
                if open_at is not None and text[open_at] == text[i] == STRAIGHT and straight_even:
                    role = "close"  # "a "b: a straight pair whose closer touches a word
                elif open_at is not None:
                    yield from _unbalanced(_unclosed(doc, open_at, i))
                    open_at = i
                    continue
                else:
                    open_at = i
                    continue
            if open_at is None and last_close >= a and not text[last_close + 1:i].strip(" \t"):
                # '…responsibility." ”': a second closing mark right after a quotation
                # closed (MT closing the source's quote again); deleting it is the guess.
                yield "unbalanced", Hit(last_close + 1, i + 1, replacement="", safety="unsafe", message=(
                    "A second closing quotation mark right after the quotation closed; delete it?"))
                continue
            if open_at is None:
                sent = doc.sentence_at(i) or (a, b)
                # the words before the mark (a bounded slice: _tail keeps the last 30)
                fragment = _tail(text, max(a, min(sent[0], i), i - 1000), i)
                yield "unbalanced", Hit(i, i + 1, message=(
                    f"Closing quotation mark after “{fragment}” without an opening one "
                    "(a fragment or a dropped opening quote)"))
                continue
            opener, closer = text[open_at], text[i]
            if (opener == STRAIGHT) != (closer == STRAIGHT):
                # The smallest edit: the closing mark takes the opening mark's style (a
                # reversed opener ” counts as curly; QUO004 turns it round).
                right = STRAIGHT if opener == STRAIGHT else CLOSE_CURLY
                yield "mixed", Hit(i, i + 1, replacement=right, safety="safe", message=(
                    f"Quotation “{_short(text[open_at + 1:i].strip())}” opens with {opener} but "
                    f"closes with {closer}; use {right}"))
            yield from _spaced(text, open_at, i)
            open_at, last_close = None, i
        if open_at is not None:
            nxt = paras[n + 1] if n + 1 < len(paras) else None
            # A quoted sentence (capital after the mark) may run on into the next paragraph;
            # a title the document quotes closed elsewhere does not ("with “Red Star.").
            speech = open_at + 1 < b and text[open_at + 1].isupper()
            if not (speech and _paragraph_opens_with_quote(text, nxt)
                    and text[open_at] == text[nxt[0]] and not _quoted_title(doc, open_at, a, b)):
                yield from _unbalanced(_unclosed(doc, open_at, b))


def _isolated(text: str, i: int, para_start: int, para_end: int) -> bool:
    """True for a quotation mark with a space or tab on both sides, inside its paragraph,
    and a word after it (not another mark: '" "Name"' is a stray doubled mark)."""
    if not (para_start < i < para_end - 1 and text[i - 1] in " \t" and text[i + 1] in " \t"):
        return False
    j = i + 2
    while j < para_end and text[j] in " \t":
        j += 1
    return j < para_end and text[j] not in "“”\""


def _ambiguous(text: str, i: int, para_start: int, para_end: int) -> bool:
    """True for a mark whose neighbours do not tell whether it opens or closes: spaces on
    both sides (`_isolated`), letters on both sides, or a colon before and a space after."""
    if not para_start < i < para_end - 1:
        return False
    before, after = text[i - 1], text[i + 1]
    return ((before.isalpha() and after.isalpha()) or (before == ":" and after in " \t")
            or _isolated(text, i, para_start, para_end))


def _number(c: str) -> bool:
    """True for one character of Unicode category N (what regex's \\p{N} matches)."""
    return len(c) == 1 and unicodedata.category(c)[0] == "N"


def _glued(text: str, i: int, para_start: int, para_end: int, role: str):
    """A curly mark in its own role glued to the word outside its quotation, as
    ("glued-before", Hit) for an opener ("season of“cloud") and ("glued-after", Hit) for
    a closer ("graduation”in"), or None. The role is the pairing's: a swapped mark
    ('the”term“is') gets no space on the wrong side."""
    nxt = text[i + 1] if i + 1 < para_end else ""
    if role == "open":
        prev = text[i - 1] if i > para_start else ""
        if prev in ",;:" and i - 1 > para_start:
            prev = text[i - 2]
        if prev.isalpha() and nxt.isalpha():
            return "glued-before", Hit(i, i + 1, replacement=" " + OPEN_CURLY, safety="safe", message=(
                "Missing space before an opening quotation mark"))
        return None
    prev = text[i - 1] if i > para_start else ""
    two = text[i + 1:min(i + 3, para_end)]
    if len(two) == 2 and (((prev.isalpha() or _number(prev) or prev in ".!?") and two.isalpha())
                          or (prev == "," and two.isalpha() and two.islower())):
        return "glued-after", Hit(i, i + 1, replacement=CLOSE_CURLY + " ", safety="safe", message=(
            "Missing space after a closing quotation mark"))
    return None


def _spaced(text: str, open_at: int, close_at: int):
    """("spaced", Hit) for the spaces just inside a quotation that pairs ('“ term ”'):
    after an opener that is curly or stands between spaces (its role then comes from the
    pairing, so the space is certainly inside), and before a closer ” in its own role. A
    space before a straight closer is left alone unless the opener was spaced too: its
    role is read from the space itself ("a "b), so the space may be outside."""
    j = open_at + 1
    while j < close_at and text[j] in " \t":
        j += 1
    if j == close_at:
        return  # nothing but spaces inside: not a quotation to tidy
    k = close_at
    while text[k - 1] in " \t":
        k -= 1
    spaced_opener = j > open_at + 1 and (text[open_at] != STRAIGHT or _ambiguous(text, open_at, 0, len(text)))
    if spaced_opener:
        yield "spaced", Hit(open_at + 1, j, replacement="", safety="safe", message=(
            f"Space after the opening quotation mark of “{_short(text[j:k])}”"))
    # A straight closer after a space is inside too when its opener was spaced the same
    # way ('" strong rivals "': a tokenizer's output).
    if k < close_at and (text[close_at] == CLOSE_CURLY or (spaced_opener and text[open_at] == STRAIGHT)):
        yield "spaced", Hit(k, close_at, replacement="", safety="safe", message=(
            f"Space before the closing quotation mark of “{_short(text[j:k])}”"))


def _unbalanced(hits):
    """Tag hits of _unclosed with their kind."""
    return (("unbalanced", hit) for hit in hits)


def _unclosed(doc, open_at: int, limit: int):
    text = doc.text
    sent = doc.sentence_at(open_at)
    end = min(limit, sent[1]) if sent else limit
    before = text[max(0, open_at - 2):open_at].strip()
    close, bound = close_of(doc, open_at, limit, end, doc.paragraph_at(open_at))
    # A reversed opener (”) is curly too (QUO004 turns it round): closing it with a
    # straight mark would leave a mixed pair, and after a digit an inch mark, never closed.
    mark = CLOSE_CURLY if text[open_at] in (OPEN_CURLY, CLOSE_CURLY) else STRAIGHT
    if close is not None and text[open_at] == CLOSE_CURLY and before.endswith(","):
        close = None  # `violence, ”one of`: a closer set after the comma's space, not an opener
    if close is not None and _ANY_QUOTE.search(text, open_at + 1, close + 1):
        # A guess across another quotation mark (a run, a nested quote) is no guess, nor
        # one right before a mark: the new mark would make a doubled mark or a run.
        close = None
    if close is not None and close < bound:
        # The span is the opening mark and the words the guess quotes (a short term):
        # what is certain (the mark) and what the fix assumes, nothing more.
        yield Hit(open_at, close, replacement=text[open_at:close] + mark, safety="unsafe",
                  message=f"Quotation mark is never closed; close it after “{_tail(text, open_at + 1, close, 40)}”?")
    else:
        # Point at the opening mark; the message names the words after it.
        yield Hit(open_at, open_at + 1, message=(
            f"Quotation mark before “{_short(text[open_at + 1:end].strip())}” is never closed"))


def _tail(text: str, a: int, b: int, limit: int = 30) -> str:
    """The last `limit` characters of text[a:b], cut at a space, for a message."""
    part = text[a:b].strip()
    if len(part) <= limit:
        return part
    cut = part.find(" ", len(part) - limit)
    return "…" + part[cut + 1 if cut != -1 else len(part) - limit:]


_BRACKETS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {v: k for k, v in _BRACKETS.items()}
# Full-width brackets pair as their ASCII forms ("(Reporter Li）" is closed: CJK001 reports
# the full-width mark, and QUO003 must not report the same slip as a missing bracket).
_FULL_WIDTH = {"（": "(", "）": ")", "［": "[", "］": "]", "｛": "{", "｝": "}"}
_BRACKET = regex.compile(r"[()\[\]{}（）［］｛｝]")


def _has_bracket(text: str) -> bool:
    """Only a bracket can be unpaired; `in` tests beat any regex search on short text."""
    return ("(" in text or ")" in text or "[" in text or "]" in text
            or "{" in text or "}" in text or (not text.isascii() and _BRACKET.search(text) is not None))


# A bracket glued to the word outside it ("Zhou Lan(born", "(2019)was"); not "name(s)".
_GLUED_BRACKET = {
    "before": regex.compile(r"\((?<=\p{L}[,;:]?\()(?=\p{L})(?!(?:s|es|ies)\))"),
    "after": regex.compile(r"\)(?<=[\p{L}\p{N}.!?]\))(?=\p{L}{2})|\)(?<=,\))(?=\p{Ll}{2})"),
}


def _glued_scan(rule, context):
    """`glued-mark`'s scan of a batch chunk (mtclean/chunkgate.py): the texts holding a
    curly quotation mark, and those the bracket pattern matches in the joined chunk (it
    never matches at a text's edge, where the separator stands for a letter or a
    bracket)."""
    pattern = _GLUED_BRACKET[(rule.options or {}).get("side", "before")]

    def scan(chunk, out: set) -> None:
        texts, starts, joined = chunk.texts, chunk.starts, chunk.joined
        if OPEN_CURLY in joined or CLOSE_CURLY in joined:
            out.update(i for i, t in enumerate(texts) if OPEN_CURLY in t or CLOSE_CURLY in t)
        for m in pattern.finditer(joined):
            out.add(bisect_right(starts, m.start()) - 1)
    return scan


@check("glued-mark", trigger=lambda doc: any(c in doc.text for c in "()“”"), chunk_scan=_glued_scan)
def glued_mark(doc, rule):
    """Flag an opening (option side: before) or closing (side: after) curly quotation mark
    or bracket glued to the word outside it. A bracket is told by its shape; a quotation
    mark by the role the pairing gives it (`_glued`), so a reversed one is read right."""
    side = rule.options.get("side", "before")
    text = doc.text
    bracket = "(" if side == "before" else ")"
    space_first = side == "before"
    if bracket in text:
        for m in _GLUED_BRACKET[side].finditer(text):
            yield Hit(m.start(), m.end(), replacement=" " + bracket if space_first else bracket + " ",
                      message=f"Missing space {side} {'an opening' if space_first else 'a closing'} bracket")
    if OPEN_CURLY in text or CLOSE_CURLY in text:
        want = "glued-" + side
        for kind, hit in doc.view(_quote_findings):
            if kind == want:
                yield hit


@check("bracket-pairing", trigger=("(", ")", "[", "]", "{", "}", "（", "）", "［", "］", "｛", "｝"))
def bracket_pairing(doc, rule):
    """Flag brackets that do not pair within a paragraph (list markers like "1)" excepted)."""
    text = doc.text
    if not _has_bracket(text):
        return
    for a, b in doc.paragraphs:
        stack: list[int] = []
        for m in _BRACKET.finditer(text, a, b):
            ch, i = m.group(), m.start()
            ch = _FULL_WIDTH.get(ch, ch)
            if ch in _BRACKETS:
                stack.append(i)
                continue
            if stack and _FULL_WIDTH.get(text[stack[-1]], text[stack[-1]]) == _CLOSERS[ch]:
                stack.pop()
                continue
            line_start = text.rfind("\n", 0, i) + 1
            if regex.fullmatch(r"\s*(?:\d{1,2}|[a-zA-Z]|[ivx]{1,4})", text[line_start:i]):
                continue  # "1)" / "a)" list markers
            if regex.match(r"\s*(?:\d{1,2}|[a-zA-Z])\)", text[max(a, i - 2):i + 1]) and (
                    i - 2 <= a or text[i - 2].isspace()):
                continue
            if regex.search(r"[)\]}][\s.,;:]*$", text[max(a, i - 4):i]):
                continue  # a doubled closer "…) )" is a typo, not a dropped aside: left to grammar
            yield Hit(i, i + 1, message=f"Closing '{ch}' without an opening bracket")
        for i in stack:
            yield Hit(i, i + 1, message=f"Opening '{text[i]}' is never closed")


@check("doubled-quotes", trigger=('""',))
def doubled_quotes(doc, rule):
    """Flag a quotation marked with doubled straight quotes (""word"", the escaping of a
    CSV field left in the copy): one finding per quotation, whose fix halves both marks."""
    text = doc.text
    for a, b in doc.paragraphs:
        pos = a
        while True:
            m = _DOUBLED_OPEN.search(text, pos, b)
            if m is None:
                break
            close = _DOUBLED_CLOSE.search(text, m.end(), min(b, m.end() + 400))
            nxt = _DOUBLED_OPEN.search(text, m.end(), b)
            if close is None or (nxt is not None and nxt.start() < close.start()):
                yield Hit(m.start(), m.end(), replacement=STRAIGHT,
                          message='Doubled quotation mark ""; use one')
                pos = m.end()
                continue
            inner = text[m.end():close.start()]
            yield Hit(m.start(), close.end(), replacement=STRAIGHT + inner + STRAIGHT,
                      message=f'Doubled quotation marks around “{_short(inner)}” '
                              '(CSV escaping left in the copy); use single marks')
            pos = close.end()


def _short(words: str, limit: int = 30) -> str:
    """A fragment for a message: the first `limit` characters, cut at a space."""
    if len(words) <= limit:
        return words
    cut = words.rfind(" ", 0, limit)
    return words[:cut if cut > 0 else limit] + "…"
