"""Split text into paragraphs and sentences as exact code-point spans.

The text is never modified: every span indexes the original string, so findings map back
to line and column without drift (the failure pySBD's issue #49 describes).

A paragraph is split in three stages: find candidate stops (terminal punctuation, closing
quotes or brackets, whitespace, then a capital, digit, currency sign or CJK letter); judge
each candidate by the word before it and the words after it; and start a new sentence at
each list item (`1.`, `a)`, `ii.`, `•` at the start of a line, or a run of them inline).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

import regex

# A blank line (possibly holding spaces, tabs, ideographic spaces or CR) ends a paragraph.
_PARA_BREAK = regex.compile(r"\r?\n(?:[ \t\u3000\r]*\r?\n)+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Titles and abbreviations that are never the last word of a sentence.
NON_FINAL_ABBREVIATIONS = _words("""
    mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep rev hon messrs mme mlle maj
    brig cpl pvt supt insp pres vs approx cf viz e.g i.e
""")
# Abbreviations that stand before a number ("No. 5", "p. 55", "Rs. 300"); before anything
# else the word is an ordinary one ("He said no.").
NUMBER_ABBREVIATIONS = _words("""
    no nos n° vol vols fig figs art arts p pp op sec secs ch chap para paras eq rs ref refs
""")
# Abbreviations that mostly sit inside a name ("St. Louis", "King Jr. Day", "Chen et al.
# (2019)"): they end a sentence only before a function word ("... et al. The sample").
INNER_ABBREVIATIONS = _words("st mt ft jr sr al")
# Abbreviations that often end a sentence ("... Orion Inc. Shares rose"): like acronyms,
# judged by the word that follows (see _loose_end).
FINAL_ABBREVIATIONS = _words("""
    jan feb mar apr jun jul aug sep sept oct nov dec inc corp ltd co plc llc etc est dept
    ave blvd ed eds
    ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo mont
    neb nev okla ore pa tenn tex va vt wash wis wyo
""")
# Acronyms of places and bodies, which often end a sentence (initials such as "J.K." do not).
PLACE_ACRONYMS = _words("U.S U.K U.N E.U D.C U.S.A U.S.S.R U.A.E P.R.C R.O.C N.Y L.A N.Z")
# Personal titles with a stop that begin a new sentence after an acronym ("... at 6 P.M.
# Mr. Smith left"); military and political ones head a name instead ("U.S. Gen. Milley").
PERSONAL_TITLES = _words("Mr Mrs Ms Dr Prof Messrs Mme Miss")
# Function words and frequent news openers: after an initial or "St." they still start a
# sentence ("Compound X. It is ..."), unlike a surname.
SENTENCE_STARTERS = _words("""
    The This That These Those He She It They We I You In On At But And However Meanwhile
    A An As After Before When While If Its Their His Her Our My Your There Here Since
    According Officials Some Many Most One Two Three Yet So For Now Then Also Still Last
    Next Earlier Later Both Each Under During Despite Although Though Because What Who How
    Why Where Which Whose Whether Such Other Another All Any Every Few Several No Not Only
    Even Just Instead Otherwise Moreover Furthermore Besides Indeed Therefore Thus Hence
    Overall Finally First Second Third Once Until Unlike Like Among Amid With Without From
    To By Of Over Through Within Across Against Following Today Yesterday Tomorrow Nor Or
    Neither Either More Less Much Experts Analysts Police Authorities Residents People Did
    Do Does Is Are Was Were Will Would Can Could Should Has Have Had Must Shall
""")
# Words that follow an acronym or a company suffix inside one name or title ("U.S. Senate",
# "Orion Inc. Chief Executive"): a capital there does not start a sentence.
NAME_HEADS = _words("""
    Senate House Congress Army Navy Air Force Forces Marine Marines Coast Guard Department
    Embassy Embassies Consulate Treasury Treasuries Federal Supreme Court Courts Government
    Administration Agency Bureau Office Commission Committee Council Service Institute
    Center Centre Census Geological Open Capitol Chamber Command Mission Delegation Ministry
    Parliament Assembly Cabinet Dollar Dollars Stock Stocks Securities Exchange Central
    National State States Olympic Postal Customs Border Trade Defense Defence Justice Labor
    Energy Commerce Health Education Homeland Intelligence Special Secret Economic Security
    Space Pacific Atlantic Indo-Pacific Constitution Constitutional Southern Northern Eastern
    Western Board Bank Group
    President Vice Premier Prime Minister Chairman Chairwoman Chair Secretary Governor Mayor
    Senator Representative Congressman Congresswoman Speaker Ambassador Envoy Consul
    Director Deputy Chief Executive Commissioner Chancellor Attorney General Admiral
    Spokesman Spokeswoman Spokesperson Officer Founder Sen Rep Gen Gov Adm Col Lt Maj Sgt
    Capt Cmdr
""")
# After "a.m."/"p.m." only a day, a month or a time zone continues the sentence.
CALENDAR = _words("""
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
    May June July August September October November December Jan Feb Mar Apr Jun Jul Aug
    Sep Sept Oct Nov Dec ET EST EDT CT CST CDT MT MST MDT PT PST PDT GMT UTC BST CET CEST
    JST KST IST HKT SGT Eastern Pacific Central Mountain Greenwich
""")

# Full-width and CJK forms count as their ASCII twins: CJK001 turns ＂ into ", and a
# sentence must not end there only once that fix is made.
_CLOSERS = r"\"'”’»)\]\u300d\u300f＂＇）］》〉】"
_OPENERS = r"\"'“‘«(\[＂＇（［「『《〈【"
_BULLETS = "•▪◦‣●■⁃"
# Candidate stops. Possessive runs, entered only at their first character: a long run of
# dots or "!!!" must cost linear time, not a backtracking search from every position
# inside it. Each alternative starts with its punctuation, so the scan jumps from one such
# character to the next.
_STOPS = rf"""
      (?<![.!?…])(?P<end>[.!?…]++)        # Latin terminal punctuation
      (?P<close>(?:[{_CLOSERS}]|\[\d{{1,3}}\])*+)  # closing quotes, brackets, footnotes
      (?P<space>                          # whitespace (line breaks included, never a
        (?:[^\S\n]|\n(?![ \t\u3000\r]*+\n))++  # blank line: paragraphs end there), then
        (?=[{_OPENERS}]*+[\p{{Lu}}\p{{N}}\p{{Lo}}\p{{Sc}}])  # a capital, digit, CJK letter or $
      |                                   # or a glued stop: "world.Today"
        (?<=[\p{{Ll}}\p{{N}}]{{2}}[.!?])(?=\p{{Lu}}\p{{Ll}})
      )
    |
      (?<![。！？])(?P<end>[。！？]++)      # a CJK full stop ends a sentence even
      (?P<close>[{_CLOSERS}]*+)           # when nothing separates it from the next one
      (?P<space>(?:[^\S\n]|\n(?![ \t\u3000\r]*+\n))*+)
      (?=\S)
"""
# List-item markers, found in the same scan (a second scan would cost as much again).
_MARKS = rf"""
    |
      (?P<bullet>[{_BULLETS}])(?=\s*+\S)  # a bullet
    |
      (?P<dash>[-*])(?<=\n[ \t\u3000]*[-*])(?=[ \t]++\S)  # "- " or "* " opening a line
    |                                      # "1." "a)" "ii." "(b)" "1.)" before more text
      (?P<delim>[.)]\)?)(?<=(?:^|[\s(])(?:\d{{1,3}}|[a-zA-Z]|[ivxIVX]{{2,5}})(?:\.\)|[.)]))
      (?=[ \t]++\S)
"""
# Markers cost the scan a third more, so texts without a hint of one (the gate below) are
# scanned for stops alone; markers followed by a capital show up as stops anyway.
_SCAN = regex.compile(_STOPS + _MARKS, regex.VERBOSE)
_SCAN_STOPS = regex.compile(_STOPS, regex.VERBOSE)
# A marker at a line start, or a short word before ")", or before "." and a word that
# does not start a sentence ("2) how", "b. pack", "2. (c)"). Each pattern starts with a
# literal, which `re` finds fast; the text's very start is tested apart (`_MARK_AT`).
_MARK_HINTS = (
    re.compile(r"\n[ \t\u3000]*(?:[-*]|\(?\w{1,5}\.?[.)])[ \t]"),
    re.compile(r"\)(?:(?<=\s\w\))|(?<=[\s(]\w\w\))|(?<=[\s(]\w\w\w\))|(?<=\(\w\)))\s"),
    re.compile(r"\.(?:(?<=[\s(]\w\.)|(?<=[\s(]\w\w\.)|(?<=[\s(]\w\w\w\.)|(?<=[\s(]\w\w\w\w\.))\)?"
               r"[ \t]+[\"'“‘«(\[]*(?![A-Z0-9\"'“‘«(\[])"),
)
_MARK_AT = re.compile(r"[ \t\u3000]*(?:[-*]|\(?\w{1,5}\.?[.)])[ \t]")


def _may_hold_marks(text: str, start: int, end: int) -> bool:
    """Cheap test: can [start, end) hold a list marker that the stop scan would miss?"""
    if _MARK_AT.match(text, start, end) or any(hint.search(text, start, end) for hint in _MARK_HINTS):
        return True
    return not text.isascii() and any(text.find(b, start, end) >= 0 for b in _BULLETS)


_WORD_BEFORE = regex.compile(r"\S+", regex.REVERSE)  # the word ending at a position
_GLUED_STOP = regex.compile(r"(?<=[\p{Ll}\p{N}]{2})[.!?](?=\p{Lu}\p{Ll})")
_PREV_WORD = regex.compile(r"(\S+)\s*", regex.REVERSE)  # the word before, then spaces
_ACRONYM = regex.compile(r"(?:\p{L}\.)+\p{L}")
_TIME = regex.compile(r"(?:\d{1,2}(?::\d\d)?)?[ap]\.m", regex.IGNORECASE)
# The word after a candidate: W, whether a stop follows it, and the token after it.
_NEXT = regex.compile(rf"[{_OPENERS}]*+([\w&'’-]+)(\.?)(?:\s++(\S+))?")
# "?” Wang asked.": a speech tag after a quoted question continues the sentence.
_SPEECH_TAG = regex.compile(
    r"(?:\p{Lu}[\p{L}'’.-]*\s+){1,3}(?:said|says|asked|asks|added|adds|shouted|replied|told"
    r"|wrote|writes|recalled|insisted|wondered|cried|exclaimed|explained|noted|continued"
    r"|answered|demanded|urged|warned|declared|argued)\b")

# List markers: a number, a letter or a small roman numeral.
_ROMAN = r"(?:i{1,3}|iv|vi{0,3}|ix|xi{0,3}|xiv|xvi{0,3}|xix|xx)"
_MARKER_WORD = regex.compile(rf"\d{{1,3}}|[a-zA-Z]|(?i:{_ROMAN})")
_ROMAN_WORD = regex.compile(_ROMAN)
_INLINE_SPACE = " \t\u3000\u00a0"
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}


def _roman(s: str) -> int:
    """Value of a small lowercase roman numeral (i..xx)."""
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN_VALUES[ch]
        total += -v if i + 1 < len(s) and _ROMAN_VALUES[s[i + 1]] > v else v
    return total


def paragraphs(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return (start, end) spans of paragraphs, trimmed of surrounding whitespace."""
    end = len(text) if end is None else end
    if text.find("\n", start, end) < 0:  # one paragraph (most segments): no generator
        span = _trim_blank(text, start, end)
        return [span] if span else []
    return list(iter_paragraphs(text, start, end))


def iter_paragraphs(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """`paragraphs` one at a time: a large file's spans go straight into a compact store
    (document.Spans) instead of two lists of tuples first."""
    end = len(text) if end is None else end
    pos = start
    if text.find("\n", start, end) >= 0:  # a break holds one (most segments have none)
        for m in _PARA_BREAK.finditer(text, start, end):
            span = _trim_blank(text, pos, m.start())
            if span:
                yield span
            pos = m.end()
    span = _trim_blank(text, pos, end)
    if span:
        yield span


def _trim_blank(text: str, a: int, b: int) -> tuple[int, int] | None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return (a, b) if a < b else None


def _styles(marker: str, delim: str) -> list[tuple[str, int]]:
    """The numbering styles a marker may belong to, with its value in each ("i" is both
    the ninth letter and roman one)."""
    if marker.isdigit():
        return [("num" + delim, int(marker))]
    out = []
    low = marker.lower()
    upper = marker.isupper()
    if len(marker) == 1:
        out.append((("ALPHA" if upper else "alpha") + delim, ord(low) - 96))
    if _ROMAN_WORD.fullmatch(low):
        out.append((("ROMAN" if upper else "roman") + delim, _roman(low)))
    return out


def _line_start(text: str, i: int, start: int) -> bool:
    """True when only spaces stand between the start of the line (or window) and `i`."""
    while i > start and text[i - 1] in _INLINE_SPACE:
        i -= 1
    return i == start or text[i - 1] == "\n"


def _marker(text: str, pos: int, delim: str, start: int, anchored: bool = False):
    """The list marker whose punctuation (`delim`) is at `pos`, as (offset, at_line_start,
    styles, anchored), or None when the word there is no marker or no list item.

    `anchored`: the marker may open a list because it is followed by lowercase text or
    stands at a line start or after a finished sentence or a colon ("steps: 1. Register");
    "rose to 9. Then" ends a sentence with a number instead."""
    j = pos
    while j > start and pos - j < 4 and text[j - 1].isalnum():
        j -= 1
    word = text[j:pos]
    if not _MARKER_WORD.fullmatch(word) or (not word.isascii() and not word.isdigit()):
        return None  # the roman part is case-blind: "İ" (U+0130) would match it
    if j > start and text[j - 1] == "(":
        if delim != ")":
            return None
        j -= 1
        delim = "()"
    if j > start and text[j - 1] not in _INLINE_SPACE + "\n":
        return None
    k = j
    while k > start and text[k - 1] in _INLINE_SPACE:
        k -= 1
    if k > start and text[k - 1] in _BULLETS:
        return None  # "• 9. The first item": the number belongs to the bullet's item
    at_line = k == start or text[k - 1] == "\n"
    if not at_line and word.isalpha() and word.isupper():
        return None  # "J. K. Rowling", "World War I. II": inline capitals are no list
    anchored = anchored or at_line or (k < j and text[k - 1] in ".!?:;…\"”’)")
    return j, at_line, _styles(word, delim), anchored


def _list_items(text: str, start: int, marks: list) -> list[int]:
    """Start offsets of list items that begin a sentence of their own.

    `marks` are (offset, at_line_start, styles, anchored) from the scan, styles empty for
    bullets. A bullet always starts one; a numbered item at the start of a line does;
    otherwise a marker must belong to a run of the same style that counts from the first
    value (1 then 2, a then b, i then ii) and whose first marker is anchored. Capital
    letters and capital roman numerals count only at line starts.
    """
    by_style: dict[str, list[tuple[int, int, bool]]] = {}
    for off, _, styles, anchored in marks:
        for style, value in styles:
            by_style.setdefault(style, []).append((off, value, anchored))
    in_run: set[int] = set()
    for seq in by_style.values():
        run: list[tuple[int, int, bool]] = []
        for entry in seq + [(-1, -1, False)]:  # a sentinel closes the last run
            if run and entry[1] == run[-1][1] + 1:
                run.append(entry)
                continue
            if len(run) >= 2 and run[0][1] == 1 and run[0][2]:
                in_run.update(off for off, _, _ in run)
            run = [entry]
    out = []
    for off, at_line, styles, _ in marks:
        if off == start:
            continue  # the paragraph starts there anyway
        upper = any(s[0].isupper() for s, _ in styles)
        if not styles or off in in_run or (at_line and not upper):
            out.append(off)
    return sorted(out)


def _starts_sentence(word: str, dot: str) -> bool:
    """A function word or news opener (not an initial such as the "A." of "J. A. Smith")."""
    return word in SENTENCE_STARTERS and not (dot and len(word) == 1)


def _loose_end(word: str, dot: str, after: str) -> bool:
    """After an acronym or a company suffix: does `word` start a new sentence?

    It does when it is an opener, a personal title ("U.S. Mr. Li returned"), or a
    capitalised word followed by a lowercase one ("in the U.S. Millions attended"), unless
    it heads a name ("U.S. Senate passed") or is a date.
    """
    if not word or word[0].isdigit():
        return False
    if dot:
        return word in PERSONAL_TITLES
    if word in SENTENCE_STARTERS:
        return True
    base = regex.split(r"['’]", word, maxsplit=1)[0]
    if base in NAME_HEADS or base in CALENDAR:
        return False
    return base != word or after[:1].islower()


def _after_time(word: str, dot: str, after: str) -> bool:
    """After "a.m."/"p.m.", as after an acronym, but a day, a month or a time zone
    ("6 p.m. Friday", "9 a.m. Beijing time") always continues the sentence."""
    if word in CALENDAR or regex.match(r"time\b", after):
        return False
    return _loose_end(word, dot, after)


def _is_boundary(text: str, m: regex.Match, start: int, items: list[int], since: int) -> bool:
    """Decide whether a candidate terminal punctuation really ends a sentence (the
    current one began at `since`)."""
    end = m.group("end")
    if m.end() == m.start("space") == m.end("close") and end in ".!?" and not _glued_end(text, m):
        return False
    if "…" in end or len(end) > 2 or text.startswith(". .", m.start() - 2):
        # after an ellipsis a capital starts a sentence, but the pronoun "I" is a hesitation
        return not regex.match(r"I\b(?!\.)", text[m.end():m.end() + 3])
    if end != ".":
        if end[-1] in "?!" and regex.search(r"[\"'”’»]", m.group("close")):
            return not _SPEECH_TAG.match(text, m.end(), min(len(text), m.end() + 80))
        return True
    before = _WORD_BEFORE.match(text, max(start, m.start() - 40), m.start())
    if not before:
        return True
    # after a glued stop the word starts anew: "opened.Mr. Tan" ends in "Mr"
    word = _GLUED_STOP.split(before.group())[-1].lstrip("\"'“‘([«" + _BULLETS)
    low = word.lower()
    if not word:
        return True
    wstart = m.start() - len(word)
    nxt = _NEXT.match(text, m.end(), min(len(text), m.end() + 80))
    nword, dot, after = (nxt.group(1), nxt.group(2), nxt.group(3) or "") if nxt else ("", "", "")
    if low in NON_FINAL_ABBREVIATIONS:
        return False
    if low in NUMBER_ABBREVIATIONS:
        return not nword[:1].isdigit()
    if _MARKER_WORD.fullmatch(word) and _is_item(text, wstart, start, items):
        return False
    if _TIME.fullmatch(word):
        return _complete(text, since, wstart) and _after_time(nword, dot, after)
    if len(word) == 1 and word.isupper():  # an initial ("J. K. Rowling") or the pronoun
        prev = _PREV_WORD.match(text, max(start, wstart - 40), wstart)
        if word == "I" and prev and prev.group(1)[:1].islower():
            return _complete(text, since, wstart) and _loose_end(nword, dot, after)  # "than I."
        return _starts_sentence(nword, dot)
    if low in INNER_ABBREVIATIONS:
        return _starts_sentence(nword, dot)
    if low in FINAL_ABBREVIATIONS:
        return _complete(text, since, wstart) and _loose_end(nword, dot, after)
    if _ACRONYM.fullmatch(word):
        # "the U.S." names a place or body and may end a sentence; "J.K." are initials.
        # "The U.S." opening a sentence is its subject's modifier ("The U.S. Constitution
        # requires"), not the whole sentence.
        prev = _PREV_WORD.match(text, max(start, wstart - 40), wstart)
        prev_word = prev.group(1).lstrip("\"'“‘([«") if prev else ""
        if prev_word == "The":
            return _starts_sentence(nword, dot)
        if word.upper() in PLACE_ACRONYMS or not word.isupper() or prev_word == "the":
            return _complete(text, since, wstart) and _loose_end(nword, dot, after)
        return _starts_sentence(nword, dot)
    return True


def _complete(text: str, since: int, wstart: int) -> bool:
    """Can the words from `since` up to an acronym or a time be a whole sentence? Three
    words or more ("It was 4 a.m."), not "At 5 a.m. Mr. Smith left" or "In the U.S."""
    return wstart - since > 40 or len(text[since:wstart].split(None, 3)) >= 3


def _glued_end(text: str, m: regex.Match) -> bool:
    """A stop with no space after it ends a sentence unless it sits inside a URL, a
    domain or a dotted name ("example.Com", "System.IO")."""
    before = _WORD_BEFORE.match(text, max(0, m.start() - 80), m.start())
    after = regex.match(r"\S*", text[m.end():m.end() + 80]).group()
    return not (before and regex.search(r"[/@:.]", before.group())) and not regex.search(
        r"[.@/][\w]", after.rstrip(".!?\"'”’)"))


def _is_item(text: str, wstart: int, start: int, items: list[int]) -> bool:
    """Is the marker word at `wstart` a list item ("1. Register online")? True at the
    start of the paragraph or of a line, in a run of items, or right after a full sentence."""
    if wstart == start or wstart in items:
        return True
    i = wstart - 1
    while i > start and text[i] in " \t\u3000\u00a0":
        i -= 1
    return (text[i] == "\n" or text[i] in _BULLETS
            or (i < wstart - 1 and text[i] in ".!?:;…\"”’)"))


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return sentence spans within [start, end) (normally one paragraph)."""
    end = len(text) if end is None else end
    scan = _SCAN if _may_hold_marks(text, start, end) else _SCAN_STOPS
    return _judge(text, start, end, list(scan.finditer(text, start, end)))


def split_sentences(text: str, paras: list[tuple[int, int]] | None = None, out=None,
                    every_stop: bool = False) -> list[tuple[int, int]]:
    """Return the sentence spans of a whole text: each paragraph (`paras`, trimmed spans
    as `paragraphs` returns them, else found here) split into sentences.

    `every_stop` cuts at every candidate stop, the abbreviations, initials and acronyms
    that do not end a sentence included: pieces of which every sentence is a run (the
    same cuts and more, each trimmed alike), at the cost of the scan alone. A check that
    needs a property of some run of sentences can test the runs of pieces first.

    One scan covers the whole text (a scan per paragraph costs a call each); its matches
    are judged paragraph by paragraph as the scan leaves each one, so only one
    paragraph's matches are held (all of a large file's took 5 bytes per byte of text).
    `out` (anything with `extend`, such as document.Spans) receives the spans instead of
    a new list, which is returned.
    """
    paras = paragraphs(text) if paras is None else paras
    scan = _SCAN if _may_hold_marks(text, 0, len(text)) else _SCAN_STOPS
    ends = [b for _, b in paras]
    out = [] if out is None else out
    done = 0  # paragraphs before this one are in `out`
    cur, pending = -1, []  # the paragraph whose matches are being gathered, and they
    for m in scan.finditer(text):
        i = bisect.bisect_right(ends, m.start())  # never decreases: matches come in order
        if i < len(ends) and m.end() < ends[i] and m.start() >= paras[i][0]:
            if i != cur:  # (not the paragraph's own final stop)
                done = _emit(text, paras, out, done, cur, pending, every_stop)
                cur, pending = i, []
            pending.append(m)
    done = _emit(text, paras, out, done, cur, pending, every_stop)
    out.extend(paras[k] for k in range(done, len(ends)))  # each one sentence
    return out


def _emit(text: str, paras, out: list, done: int, cur: int, pending: list, every_stop: bool) -> int:
    """Append paragraphs `done`..`cur` to `out` (the last one judged on its matches
    `pending`, the others whole); return the next paragraph to emit."""
    if not pending:
        return done
    out.extend(paras[k] for k in range(done, cur))
    a, b = paras[cur]
    out.extend(_judge(text, a, b, pending, every_stop))
    return cur + 1


def _judge(text: str, start: int, end: int, matches: list, every_stop: bool = False) -> list[tuple[int, int]]:
    """Sentence spans of the paragraph [start, end) from the scan's matches inside it
    (with `every_stop`, every candidate stop cuts: `split_sentences`)."""
    cands, marks = [], []
    for m in matches:
        if m.group("end") is not None:
            if m.start("space") >= end:
                continue  # the paragraph's own final stop (a scan of the whole text)
            cands.append(m)
            if m.group("end") == "." and m.group("space") and m.group("close") in ("", ")"):
                mark = _marker(text, m.start(), "." + m.group("close"), start)  # "1. The"
                if mark:
                    marks.append(mark)
        elif m.group("delim"):
            mark = _marker(text, m.start(), m.group("delim"), start, anchored=True)
            if mark:
                marks.append(mark)
        elif m.end() < end and (m.start() == start or text[m.start() - 1] in _INLINE_SPACE + "\n"):
            marks.append((m.start(), _line_start(text, m.start(), start), [], True))  # a bullet
    if not cands and not marks:
        a, b = _trim(text, start, end)
        return [(a, b)] if a < b else []
    items = _list_items(text, start, marks) if marks else []
    cuts = [(p, p) for p in items]
    since = start
    for m in cands:
        if items:
            i = bisect.bisect_right(items, m.start())
            since = max(since, items[i - 1]) if i else since
        if every_stop or _is_boundary(text, m, start, items, since):
            cuts.append((m.start("space"), m.end("space")))
            since = m.end("space")
    if items:
        cuts.sort()
    out = []
    pos = start
    for cut, resume in cuts:
        if cut > pos:
            out.append((pos, cut))
        pos = max(pos, resume)
    if pos < end:
        out.append((pos, end))
    return [span for span in (_trim(text, a, b) for a, b in out) if span[0] < span[1]]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    """Shrink a span so it neither starts nor ends with whitespace."""
    if a < b and not text[a].isspace() and not text[b - 1].isspace():
        return a, b
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b
