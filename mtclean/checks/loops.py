"""Flag MT loops: a phrase or a whole sentence repeated right after itself.

Neural MT that loses its place in the source emits the same span twice ("the development
of the development of"). The copy is what gets flagged, so deleting the finding's span
repairs the text. Single doubled words are REP001's job (checks/repetition.py).
"""

from __future__ import annotations

import operator
import re
import unicodedata

import regex

from . import check
from .. import segment
from ..chunkgate import match_owners
from ..finding import Hit

_WORDCH = r"[\p{L}\p{N}'’-]"
# A phrase of 2-8 words (spaces or ", " between them) followed at once by " " and itself
# (the copy may differ in case: "The development of the development of").
# Words are atomic groups, so a failed attempt never re-splits a word (linear scan).
_PHRASE = regex.compile(
    rf"(?<!{_WORDCH})(?P<p>(?>{_WORDCH}+)(?:,? (?>{_WORDCH}+)){{1,7}})(?P<copy> (?i:(?P=p)))(?!{_WORDCH}|[.,]\p{{N}})"
)
_TERMINAL = regex.compile(r"[.!?…][\"'”’)\]]*$")
_WORD = regex.compile(rf"{_WORDCH}+")
_WORDCH_RE = regex.compile(_WORDCH)
_COORD = frozenset({"and", "or", "by", "to", "after", "upon", "for"})


def _words(s: str) -> int:
    """Count whitespace-separated words (fast; punctuation-only tokens are rare here)."""
    return len(s.split())


_CHUNK = 1 << 20  # texts longer than this skip the prefilter
_SCAN_CHUNK = 1 << 18  # _loop_windows' chunk: its word lists cost ~40 bytes a character
_MAX_WORDS = 8
_MATCH_START = type(re.match("", "")).start
_TOKEN = re.compile(r"\S+")
# Whitespace tokens with edge punctuation stripped stand in for words in the fast pre-scan.
_STRIP_PUNCT = operator.methodcaller("strip", "\"'“”‘’()[]{}<>.,;:!?…«»。，、；：！？（）")


def _loop_windows(text: str):
    """Yield sorted, disjoint character windows holding 2-8 words followed by the same words.

    For each shift k the equality of the (whitespace) tokens k apart is written as bytes, and a run of k ones (found by the C regex engine) marks a candidate. The
    text is read in chunks of about a megabyte, so time and memory stay linear and small;
    the exact pattern then runs only inside the windows.
    """
    n = len(text)
    pos = 0
    while pos < n:
        end = min(n, pos + _SCAN_CHUNK)
        if end < n:
            cut = max(text.rfind("\n", pos + _SCAN_CHUNK // 2, end), text.rfind(". ", pos + _SCAN_CHUNK // 2, end))
            if cut == -1:
                cut = text.rfind(" ", pos + _SCAN_CHUNK // 2, end)
            if cut != -1:
                end = cut + 1
        chunk = text[pos:end]
        raw = chunk.split()
        words = list(map(str.lower, map(_STRIP_PUNCT, raw)))
        runs = []
        for k in range(2, _MAX_WORDS + 1):
            eq = bytes(map(operator.eq, words, words[k:]))
            runs.extend((r.start(), r.end() - 1 + k) for r in re.finditer(b"\x01{%d,}" % k, eq))
        wins = []
        if runs:  # token offsets are needed only where a loop may be (rarely)
            starts = list(map(_MATCH_START, _TOKEN.finditer(chunk)))
            wins = [(pos + starts[i], pos + starts[j] + len(raw[j])) for i, j in runs]
        wins.sort()
        merged: list[list[int]] = []
        for a, b in wins:
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        yield from merged
        pos = end


def _may_loop(doc) -> bool:
    """False only when _PHRASE cannot match: most clean segments, at a fraction of the cost.

    A _PHRASE match is k = 2-8 maximal word runs followed at once by the same k runs
    (case aside), so the lowered runs repeat themselves at shift k. Long texts skip the
    test (the runs would cost memory).
    """
    if len(doc.text) > _CHUNK:
        return True
    runs = doc.word_runs
    if runs is None:
        return True
    if len(set(zip(runs, runs[1:]))) == len(runs) - 1:
        return False  # no pair of runs occurs twice (most text; cheap to test)
    return _has_tandem(runs)


def _has_tandem(runs: list) -> bool:
    """True if some 2-8 consecutive runs are followed at once by the same runs.

    Each such repeat starts with a pair of runs that recurs 2-8 places later: only those
    places are compared, walking back from each pair to its earlier places (at most
    eight steps, so a pair common in a long text costs no more than a rare one).
    """
    last: dict = {}
    before: list[int] = []  # before[i]: the previous place of the pair at i (or far away)
    far = -_MAX_WORDS - 1
    for i, pair in enumerate(zip(runs, runs[1:])):
        j = last.get(pair, far)
        before.append(j)
        last[pair] = i
        while i - j <= _MAX_WORDS:
            if i - j >= 2 and runs[j:i] == runs[i:2 * i - j]:
                return True
            j = before[j]
    return False


def _chunk_scan(rule, context):
    """REP102's scan of a batch chunk (mtclean/chunkgate.py): `_may_loop` on the word runs
    of all plain texts, split from one translation of the joined chunk; other texts, and
    long ones, are always kept."""

    def scan(chunk, out: set) -> None:
        out |= chunk.not_plain()
        out.update(i for i, runs in enumerate(chunk.word_runs())
                   if len(set(zip(runs, runs[1:]))) < len(runs) - 1 and _has_tandem(runs))
        if len(chunk.joined) > _CHUNK:
            out.update(i for i, t in enumerate(chunk.texts) if len(t) > _CHUNK)
    return scan


# The prefilter as the trigger: a clean segment costs no generator.
@check("repeated-phrase", trigger=_may_loop, chunk_scan=_chunk_scan)
def repeated_phrase(doc, rule):
    """Flag every extra copy of a phrase repeated back to back; the fix deletes the copies."""
    text = doc.text
    if not _may_loop(doc):
        return
    min_words = int(rule.options.get("min_words", 2))
    min_letters = int(rule.options.get("min_letters", 6))
    pos = 0
    for win_start, win_end in _loop_windows(text):
        yield from _phrases_in(text, max(pos, win_start), win_end, min_words, min_letters)
        pos = max(pos, win_end)


def _phrases_in(text: str, pos: int, stop: int, min_words: int, min_letters: int):
    """Run the exact loop pattern inside one candidate window."""
    n = len(text)
    while pos < stop:
        m = _PHRASE.search(text, pos, stop)
        if m is None:
            return
        phrase = m.group("p")
        start, end = m.start("copy"), m.end("copy")
        unit = " " + phrase
        # A loop may run three or more times: swallow every further copy.
        while (text[end:end + len(unit)].lower() == unit.lower()
               and (end + len(unit) == n or not _WORDCH_RE.match(text[end + len(unit)]))):
            end += len(unit)
        pos = end
        if _words(phrase) < min_words or sum(c.isalpha() for c in phrase) < min_letters:
            continue
        words = _WORD.findall(phrase)
        if len(words) == 2 and (words[0] in _COORD or words[1] in _COORD):
            continue  # "more and more", "bigger and bigger and": deliberate English
        if not any(c.islower() for c in phrase):
            continue  # "NEW YORK NEW YORK", "Bora Bora Bora Bora": names and slogans
        yield Hit(start, end, replacement="", safety="unsafe",
                  message=f"Phrase repeated back to back: “{phrase}”")


def _norm(s: str) -> str:
    """Fold width, case and spacing, which later edits may change in one copy only."""
    return "".join(unicodedata.normalize("NFKC", s).lower().split())


def _same(a: str, b: str, max_edits: int) -> str | None:
    """"exact", "near" (a few edits apart, e.g. a respelled name in one copy) or None."""
    if a == b:
        return "exact"
    # Long sentences may differ a little more (a number rewritten in one copy): 5%.
    limit = max(max_edits, min(len(a), len(b)) // 20)
    if abs(len(a) - len(b)) > limit + 2:
        return None
    na, nb = _norm(a), _norm(b)
    if na == nb:
        return "near"
    if len(na) >= 40:
        from rapidfuzz.distance import Levenshtein  # rarely reached: not paid at start-up

        if Levenshtein.distance(na, nb, score_cutoff=limit) <= limit:
            return "near"
    return None


def _ends_with_copy(text: str, prev: tuple[int, int], cur: tuple[int, int], min_words: int) -> bool:
    """True if sentence `cur` repeats the tail of the span `prev` right before it."""
    (p0, p1), (s, e) = prev, cur
    size = e - s
    return (p1 - p0 > size and (text[p1 - size - 1].isspace() or text[p1 - size - 1] in ".!?\"”)")
            and text[s].isupper()
            and not text[p1:s].strip() and text.startswith(text[s:e], p1 - size)
            and _words(text[s:e]) >= min_words)


def _doubled(span: str) -> int:
    """If `span` is "X X" with X a full sentence, return len(X); else 0."""
    half = (len(span) - 1) // 2
    if half > 0 and len(span) == 2 * half + 1 and span[half] == " " and span[:half] == span[half + 1:]:
        return half if _TERMINAL.search(span[:half]) else 0
    return 0


# segment.py ends a sentence only at [.!?…] + closers or footnotes + whitespace, at a
# stop glued to a word ("rose.Prices"), at 。！？, or before a list item (a bullet, a
# marker after ")" or a line break); a sentence doubled inside one span ("X. X.") has
# such a mark too. Without one, every paragraph is a single sentence and nothing repeats.
# (A superset is fine.) One character class first, then the alternative for that
# character (a look-behind at it): `re` then skips to the candidates in C, four times
# faster than trying four alternatives at every position (tests/test_loops.py).
_SPLIT_POINT = re.compile(
    r"[.!?…。！？•▪◦‣●■⁃)\n](?:(?<=[.!?…。！？])(?:(?<=[。！？])|(?:[\"'”’»)\]\u300d\u300f]|\[\d{1,3}\])*+\s"
    r"|(?<=[^\W_A-Z]{2}[.!?])(?=[^\W\d_a-z]))|(?<=[•▪◦‣●■⁃])|(?<=\))\s|(?<=\n)[ \t\u3000]*[-*])")


def _split_scan(rule, context):
    """REP101's scan of a batch chunk (mtclean/chunkgate.py): the texts with a split point
    whose pieces may repeat (`_may_repeat`). `_SPLIT_POINT` looks behind at most at the
    two characters before its match, and ahead at the one after it; past a text's edges
    the separator has line breaks, which no look-around accepts there, so a match inside
    a text is one of the text alone."""
    min_words, max_edits = _options(rule)

    def scan(chunk, out: set) -> None:
        split: set = set()
        match_owners(_SPLIT_POINT.search, chunk.joined, chunk, split)
        texts = chunk.texts
        out.update(i for i in split if _may_repeat(texts[i], min_words, max_edits))
    return scan


def _options(rule) -> tuple[int, int]:
    return int(rule.options.get("min_words", 4)), int(rule.options.get("max_edits", 2))


# On ASCII text a split point is a stop followed by whitespace, a closer or a letter, a
# ")" before a space, or a dash opening a line (shape.py).
@check("repeated-sentence", trigger=lambda doc: _SPLIT_POINT.search(doc.text),
       shape=(". ", '."', ".'", ".)", ".(", "a.A", "0.A", ") ", " _"), chunk_scan=_split_scan)
def repeated_sentence(doc, rule):
    """Flag a sentence (or a run of up to three) repeated right after itself; the fix deletes it."""
    if _SPLIT_POINT.search(doc.text) is None:
        return  # one sentence per paragraph; and doc.sentences need not be computed
    min_words, max_edits = _options(rule)
    if not _may_repeat(doc.text, min_words, max_edits):
        return  # (nor here: most texts of several sentences)
    for sents in _by_paragraph(doc.sentences, doc.paragraphs):
        yield from _repeats(doc.text, sents, min_words, max_edits)


def _by_paragraph(spans, paras):
    """Yield the spans of each paragraph as a list (never compare across a break)."""
    pi, group = 0, []
    for span in spans:
        if pi < len(paras) and span[0] > paras[pi][1]:
            if group:
                yield group
            group = []
            while pi < len(paras) and paras[pi][1] < span[0]:
                pi += 1
        group.append(span)
    if group:
        yield group


_MAX_PIECES = 8  # pieces in a paragraph up to which `_may_repeat` tests their runs
# A text longer than this (a document rather than a segment) is not tested: it holds
# more pieces than that, and its sentences are wanted by other checks anyway.
_MAX_TESTED = 1_200


def _may_repeat(text: str, min_words: int, max_edits: int) -> bool:
    """False only when `_repeats` finds nothing in any paragraph of `text`, told without
    judging its sentence ends: its tests run on the pieces between candidate stops
    (`segment.split_sentences(every_stop=True)`), of which every sentence is a run, so
    every block of sentences `_repeats` compares is a run of pieces that is tested here
    (and, for the tail copy, a previous sentence is no longer than the paragraph before
    it). Most texts of several sentences have two to four pieces, tested in microseconds;
    the splitter's judgment of each stop cost several times more. A paragraph of more
    than `_MAX_PIECES` pieces, or a text of more than `_MAX_TESTED` characters, is not
    tested (True)."""
    if len(text) > _MAX_TESTED:
        return True
    paras = segment.paragraphs(text)
    for q in _by_paragraph(segment.split_sentences(text, paras, every_stop=True), paras):
        n = len(q)
        if n > _MAX_PIECES:
            return True
        first = q[0][0]
        for u in range(n):
            s = q[u][0]
            for v in range(u + 1, n + 1):
                e = q[v - 1][1]
                size = e - s
                if size % 2 and text[s + size // 2] == " ":  # "X X" in one sentence
                    half = _doubled(text[s:e])
                    if half and _words(text[s:s + half]) >= min_words:
                        return True
                if u and _ends_with_copy(text, (first, q[u - 1][1]), (s, e), min_words):
                    return True
                for w in range(v + 1, n + 1):  # a block [u, v) and the next one [v, w)
                    b0, b1 = q[v][0], q[w - 1][1]
                    other = b1 - b0
                    if abs(size - other) <= max(max_edits, min(size, other) // 20) + 2 and \
                            _words(text[s:e]) >= min_words and _same(text[s:e], text[b0:b1], max_edits):
                        return True
    return False


def _repeats(text: str, sents: list[tuple[int, int]], min_words: int, max_edits: int):
    """Find blocks of 1-3 sentences followed at once by a copy of themselves.

    Blocks matter because the splitter may cut a sentence where the copy's author did
    not ("Acme Co. The firm ..."), so one repeated sentence can span two of our spans.
    """
    i, n = 0, len(sents)
    while i < n:
        s, e = sents[i]
        half = _doubled(text[s:e])
        if half and _words(text[s:s + half]) >= min_words:
            # The splitter kept both copies in one span ("X. X."): flag the second half.
            yield Hit(s + half, e, replacement="", message="Sentence repeated right after itself")
            i += 1
            continue
        if i and _ends_with_copy(text, sents[i - 1], (s, e), min_words):
            # The splitter glued the first copy to the sentence before it ("... U.S.
            # China's ministry said X. China's ministry said X."): it is that span's tail.
            yield Hit(sents[i - 1][1], e, replacement="",
                      message="Sentence repeated right after itself")
        for m in (1, 2, 3):
            if i + 2 * m > n:
                break
            a0, a1 = s, sents[i + m - 1][1]
            block = text[a0:a1]
            j, end, found = i + m, a1, None
            while j + m <= n and not text[end:sents[j][0]].strip():
                same = _same(block, text[sents[j][0]:sents[j + m - 1][1]], max_edits)
                if not same or _words(block) < min_words:
                    break
                copy_end = sents[j + m - 1][1]
                yield Hit(end, copy_end, replacement="",
                          safety="safe" if same == "exact" else "unsafe",
                          message="Sentence repeated right after itself"
                          + ("" if same == "exact" else " (with small differences)"))
                found, end, j = True, copy_end, j + m
            if found:
                i = j - 1
                break
        i += 1
