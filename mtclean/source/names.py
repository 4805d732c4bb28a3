"""Names against the source: one Chinese name, one English spelling.

A romanized name in the target ("Zhang Jike") is tied to the Chinese characters it
transliterates (张继科) by their readings (pypinyin's dictionary, every reading of a
character counts, tones ignored). That gives per document, for each source name, the
spellings the translation uses. Two spellings of one source name are a definite variant,
a stronger sign than spelling similarity alone (NAME001); a near-miss spelling in a
segment whose source has the name (Zhang Jiko for 张继科) is one too; and one spelling
for two different source names is a warning. Names the source writes in other scripts
or with readings outside pinyin (Cantonese, Wade-Giles: Cheung, Tsai) are never matched,
so they are never flagged.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

import re

import regex

from ..checks import check
from ..finding import Hit
from . import align

from .native import speedups as _speedups

_TONES = str.maketrans({
    "ā": "a", "á": "a", "ǎ": "a", "à": "a", "ē": "e", "é": "e", "ě": "e", "è": "e",
    "ī": "i", "í": "i", "ǐ": "i", "ì": "i", "ō": "o", "ó": "o", "ǒ": "o", "ò": "o",
    "ū": "u", "ú": "u", "ǔ": "u", "ù": "u", "ǖ": "u", "ǘ": "u", "ǚ": "u", "ǜ": "u", "ü": "u",
    "ê": "e", "ế": "e", "ề": "e", "ń": "n", "ň": "n", "ǹ": "n", "ḿ": "m"})
# Runs of up to three capitalized words joined by a space or a hyphen (Zhang Jike, Xi Jin-ping).
_CAPS = regex.compile(r"(?<![\p{L}'’])\p{Lu}\p{Ll}+(?:[ -]\p{L}\p{Ll}+){0,2}(?![\p{L}])")
_SEP = regex.compile(r"[ -]")
_LETTERS = regex.compile(r"\p{L}+")
# A word made of initial+final pieces: a quick test (most English words fail it at once)
# before the source is searched for characters with those readings.
_INITIALS = ("zh", "ch", "sh", "[bpmfdtnlgkhjqxrzcsyw]")
_FINALS = ("iang iong uang ang eng ing ong uai ian iao uan ai ei ao ou an en er in un ia ie iu "
           "ua uo ui ue a o e i u").split()


def _finals_by_letter() -> str:
    """_FINALS as one alternative per first letter, each listing its finals in their own
    order (iang|iong|...|i becomes i(?:ang|ong|...|)): the first final that matches is
    the same, since finals with different first letters never both match, and the regex
    engine tries five first letters instead of 26 finals at every syllable."""
    groups: dict[str, list[str]] = {}
    for f in _FINALS:
        groups.setdefault(f[0], []).append(f[1:])
    return "|".join(f"{c}(?:{'|'.join(rest)})" for c, rest in groups.items())


_FINAL = f"(?:{_finals_by_letter()})"
_SYLLABLE = f"(?>(?:{'|'.join(_INITIALS)})?{_FINAL}|ng)"
_SHAPE = _SYLLABLE + "++"  # possessive: a word that is not pinyin fails without backtracking
_PINYIN_SHAPE = re.compile(_SHAPE, re.IGNORECASE).fullmatch


def _after_capital(c: str) -> str:
    """What may follow the capital `c` in a word's first syllable: _SYLLABLE's own
    alternatives, in its order, less their first letter (so the regex engine, being
    atomic, settles on the same first syllable as _SHAPE would)."""
    alts = [f"{i[1:]}{_FINAL}" for i in _INITIALS if not i.startswith("[") and i[0] == c]
    if any(c in i for i in _INITIALS if i.startswith("[")):
        alts.append(_FINAL)
    rests = [f[1:] for f in _FINALS if f[0] == c]
    if rests:
        alts.append(f"(?:{'|'.join(rests)})")
    if c == "n":
        alts.append("g")
    return f"(?>{'|'.join(alts)})" if alts else ""


def _word_branch(c: str) -> str:
    """_NAME_WORD's alternative for words that start with the capital of `c`."""
    rest = _after_capital(c)
    pinyin = f"|{rest}{_SYLLABLE}*+(?![a-z])" if rest else ""
    return rf"{c.upper()}(?<!(?:[^\W_]|['’-]){c.upper()})(?=[a-z])(?:[a-z]+-[a-z]+{pinyin})"


# One scan finds the words _runs needs: a capitalized word (two letters or more) not
# glued to a letter, digit or apostrophe before it, that is either hyphenated (tested
# in Python, the hyphen dropped) or pinyin-shaped as it stands (the whole _SHAPE test);
# the regex engine, not Python, passes over the other capitalized words (The, China's).
# One alternative per capital, each starting with its letter: the engine jumps from
# capital to capital and goes straight to that capital's syllables.
_NAME_WORD = re.compile("|".join(_word_branch(c) for c in "abcdefghijklmnopqrstuvwxyz"))


class Readings:
    """Pinyin readings of characters (tones dropped), both ways, from pypinyin's data.

    A character's readings keep pypinyin's order (the usual reading first), so a name is
    always read the same way, whatever the interpreter's string hashing."""

    def __init__(self):
        from pypinyin.pinyin_dict import pinyin_dict

        self.table: dict[str, tuple[str, ...]] = {}
        self.chars: dict[str, set[str]] = defaultdict(set)  # syllable -> characters read so
        for code, value in pinyin_dict.items():
            rs = tuple(dict.fromkeys(r.translate(_TONES) for r in value.split(",")))
            self.table[chr(code)] = rs
            for r in rs:
                self.chars[r].add(chr(code))
        # The same table for the C name scan (None where `_speedups` is not built).
        self.native = _speedups.table(self.table) if _speedups is not None else None


_READINGS: list[Readings] = []  # loaded once, on first use (data, not text)


def readings() -> Readings:
    if not _READINGS:
        _READINGS.append(Readings())
    return _READINGS[0]


class Rendering(NamedTuple):
    """One place where the target spells a source name (a tuple: thousands are made per
    document, built with tuple's own constructor)."""

    start: int
    end: int
    text: str
    han: str
    source_start: int
    pair: align.Pair


@dataclass
class NameMap:
    """Source names and their spellings in one document."""

    found: list[Rendering] = field(default_factory=list)
    by_han: dict[str, dict[str, int]] = field(default_factory=dict)  # spelling -> count, first seen first


def _commonest(spellings: dict[str, int]) -> tuple[str, int]:
    """The most frequent spelling and its count, the first seen among equals (what
    Counter.most_common(1) gives; plain dicts are built several times faster)."""
    return max(spellings.items(), key=itemgetter(1))


def _read_as(source: str, present: set[str], letters: str, ends: tuple[int, ...],
             table: dict[str, tuple[str, ...]], firsts: tuple, near: float) -> tuple[int, int] | None:
    """(start, length) of 2-4 consecutive Han characters of `source` that read as
    `letters`, syllable by syllable, no syllable crossing the end of a word (`ends`, the
    last being len(letters)); or None. The source guides the cut: only readings of the
    characters at hand are tried, and one set intersection with `present` (the source's
    characters) picks the starts among `firsts` (`_firsts` of the first word). When
    several places of the source read so, the one nearest to `near` (where the name
    stands in the target, scaled to the source) wins: translations keep the rough order
    of a news sentence, and the choice must not depend on set order."""
    first = ends[0]
    for k, starts in firsts:
        hits = starts & present
        if not hits:
            continue
        found = []
        for c in hits:
            i = source.find(c)
            while i != -1:
                found.append(i)
                i = source.find(c, i + 1)
        if len(found) > 1:
            found.sort(key=lambda i: (abs(i - near), i))
        w = 1 if k == first else 0
        for i in found:
            got = _rest(source, letters, ends, table, i + 1, k, 1, w)
            if got:
                return i, got
    return None


def _rest(source: str, letters: str, ends: tuple[int, ...], table: dict, i: int, pos: int,
          count: int, w: int) -> int:
    """How many characters from `source[i]` on read as `letters[pos:]` (2-4 in all, with
    the `count` read so far), or 0. A module function, not a closure: a recursive closure
    is a reference cycle, left for the garbage collector on every call."""
    if pos == len(letters):
        return count if count >= 2 else 0
    if count == 4 or i >= len(source):
        return 0
    end = ends[w]
    for r in table.get(source[i], ()):
        p = pos + len(r)
        if p <= end and letters.startswith(r, pos):
            got = _rest(source, letters, ends, table, i + 1, p, count + 1, w + 1 if p == end else w)
            if got:
                return got
    return 0


def _firsts(word: str, rd: Readings) -> tuple[tuple[int, set[str]], ...]:
    """Where a reading of a word (lowered) can start: its leading syllables of at most six
    letters, longest first, with the characters read so."""
    chars = rd.chars
    out = []
    for k in range(min(6, len(word)), 0, -1):
        cs = chars.get(word[:k])
        if cs:
            out.append((k, cs))
    return tuple(out)


def _firsts_of(word: str, rd: Readings, firsts: dict) -> tuple:
    """`_firsts` of a word, once per document."""
    got = firsts.get(word)
    if got is None:
        got = firsts[word] = _firsts(word, rd)
    return got


def _solo(cands: tuple, size: int) -> tuple:
    """`cands` for a word read alone: a leading syllable that is the whole word would be
    one character, and a reading takes two or more (`_rest`), so it is dropped (He, Liu,
    In), and a word left without one is passed over before any scan of the source."""
    return cands[1:] if cands and cands[0][0] == size else cands


def _runs(text: str, shapes: dict) -> list[list[tuple[str, int, int]]]:
    """Runs of up to three capitalized pinyin-shaped words joined by a space or a hyphen
    (Zhang Jike, Xi Jin-ping, Xiaozhai); capitals only (datelines: BEIJING) are not names.
    One scan of the whole document: no run crosses a line break, hence no segment end."""
    runs: list[list[tuple[str, int, int]]] = []
    last = -2
    for m in _NAME_WORD.finditer(text):
        a, b = m.span()
        word = m[0]
        if "-" not in word:  # pinyin-shaped, no hyphen
            if runs and last + 1 == a and len(runs[-1]) < 3 and text[a - 1] == " ":
                runs[-1].append((word, a, b))
            else:
                runs.append([(word, a, b)])
            last = b
            continue
        shaped = shapes.get(word)
        if shaped is None:  # words repeat in a document: test each once
            shaped = shapes[word] = bool(_PINYIN_SHAPE(word.replace("-", "")))
        if not shaped:
            last = -2
            continue
        pos = a
        for part in word.split("-"):
            item = (part, pos, pos + len(part))
            if runs and last + 1 == pos and len(runs[-1]) < 3 and text[pos - 1] in " -":
                runs[-1].append(item)
            else:
                runs.append([item])
            last = pos + len(part)
            pos = last + 1
    return runs


def _window(pair, run, present, rd, firsts):
    """The longest window of a run that reads as Han characters of the source:
    (start, end in the document, start in the source, characters), or None. Where the
    run stands in its target segment guides the source position; `firsts` maps each
    lowered word to its `_firsts` (a document's runs repeat their words)."""
    source = pair.source
    scale = _scale(pair)
    words = [w.lower() for w, _, _ in run]
    for w in words:
        if w not in firsts:
            firsts[w] = _firsts(w, rd)
    m = len(run)
    for n in range(m, 0, -1):
        for s in range(0, m - n + 1):
            cands = firsts[words[s]]
            if n == 1:
                cands = _solo(cands, len(words[s]))
            if not cands:
                continue
            if n == 1:
                letters = words[s]
                ends: tuple[int, ...] = (len(letters),)
            else:
                letters = "".join(words[s:s + n])
                pos, bounds = 0, []
                for w in words[s:s + n]:
                    pos += len(w)
                    bounds.append(pos)
                ends = tuple(bounds)
            hit = _read_as(source, present, letters, ends, rd.table, cands, (run[s][1] - pair.start) * scale)
            if hit is not None:
                return run[s][1], run[s + n - 1][2], hit[0], hit[1]
    return None


def _scale(pair) -> float:
    """Source characters per target character of a segment pair: where a name standing
    in the target would stand in the source."""
    size = pair.end - pair.start
    return len(pair.source) / size if size else 0.0


def _renderings_py(rd: Readings, text: str, pairs: list) -> list[tuple[int, int, int, int, int]]:
    """(start, end in the document, start in the source, characters, index in `pairs`) of
    each run of `text` that reads as Han characters of its segment's source. `pairs` are
    the segment pairs whose source has Han characters, in document order. The C module
    `_speedups` does the same (tests hold the two to the same results); this is the
    reference, and what runs where it is not built."""
    out: list[tuple[int, int, int, int, int]] = []
    table = rd.table
    firsts: dict[str, tuple] = {}
    solo: dict[str, tuple] = {}  # the same for a word standing alone (`_solo`)
    ends = [p.end for p in pairs]
    k, n, pair, present, scale = 0, len(pairs), None, None, 0.0
    for run in _runs(text, {}):  # runs and pairs both in document order
        a = run[0][1]
        while k < n and ends[k] <= a:
            k += 1
        if k == n:
            break
        if pairs[k] is not pair:
            pair, present = pairs[k], None
        if a < pair.start:
            continue  # a segment whose source has no Han character
        if len(run) == 1:  # most runs: `_window` of one word, without its loops
            word, a, b = run[0]
            low = word.lower()
            cands = solo.get(low)
            if cands is None:
                cands = solo[low] = _solo(_firsts_of(low, rd, firsts), len(low))
            if not cands:
                continue  # no reading of two characters or more can start this word
            if present is None:  # the source's characters, once a word can start there
                present, scale = set(pair.source), _scale(pair)
            hit = _read_as(pair.source, present, low, (len(low),), table, cands, (a - pair.start) * scale)
            found = None if hit is None else (a, b, hit[0], hit[1])
        else:
            if present is None:
                present, scale = set(pair.source), _scale(pair)
            found = _window(pair, run, present, rd, firsts)
        if found is not None:
            out.append(found + (k,))
    return out


def _renderings(rd: Readings, text: str, pairs: list) -> list[tuple[int, int, int, int, int]]:
    """`_renderings_py`, in C where the extension is built."""
    if _speedups is not None and rd.native is not None:
        return _speedups.renderings(rd.native, text, pairs)
    return _renderings_py(rd, text, pairs)


def _name_map_py(found: list, text: str, pairs: list) -> tuple[list[Rendering], dict[str, dict[str, int]]]:
    """The renderings of `_renderings`' places, and the spellings of each source name
    with their counts, first seen first (the C twin `_speedups.name_map_of` is held to
    this)."""
    out: list[Rendering] = []
    counts: dict[str, dict[str, int]] = {}
    add, new = out.append, tuple.__new__  # Rendering's constructor is Python code
    for a, b, i, size, k in found:
        pair = pairs[k]
        spelled, han = text[a:b], pair.source[i:i + size]
        add(new(Rendering, (a, b, spelled, han, i, pair)))
        spellings = counts.get(han)
        if spellings is None:
            counts[han] = {spelled: 1}
        else:
            spellings[spelled] = spellings.get(spelled, 0) + 1
    return out, counts


def name_map(doc) -> NameMap:
    al = align.of(doc)

    def build() -> NameMap:
        nm = NameMap()
        pairs = [p for p in al.pairs(doc.text) if not p.source.isascii()]  # no Han to read
        if not pairs:
            return nm
        found = _renderings(readings(), doc.text, pairs)
        if _speedups is not None:
            nm.found, nm.by_han = _speedups.name_map_of(Rendering, found, doc.text, pairs)
        else:
            nm.found, nm.by_han = _name_map_py(found, doc.text, pairs)
        return nm

    return al.shared(("names", doc.text), build)


@check("source-name-variant", trigger=r"\p{Lu}\p{Ll}")
def name_variant(doc, rule):
    """One source name spelled two ways in the document: the rarer spelling is flagged,
    with the more frequent one as an unsafe fix."""
    if align.of(doc) is None:
        return
    nm = name_map(doc)
    for r in nm.found:
        spellings = nm.by_han[r.han]
        if len(spellings) < 2:
            continue
        best, n = _commonest(spellings)
        if r.text != best and spellings[r.text] < n:
            yield Hit(r.start, r.end, replacement=best, source_span=(r.source_start, r.source_start + len(r.han)),
                      message=f"{r.han} is spelled {best} elsewhere in the document, {r.text} here")
    yield from _near_misses(doc, rule, nm)


def _near_misses(doc, rule, nm: NameMap):
    """In a segment whose source holds a known name but whose target lacks its spelling,
    a capitalized run close to that spelling (Zhang Jiko for Zhang Jike)."""
    least = float(rule.options.get("similarity", 0.8))
    have = {(r[5][5], r[3]) for r in nm.found}  # (segment, name) read there: (pair.index, han)
    known = [han for han in nm.by_han if len(han) >= 2]
    if not known:
        return
    pairs = align.pairs_of(doc)
    if not pairs:
        return
    import ahocorasick  # one scan of the whole source, however many names the document has

    auto = ahocorasick.Automaton()
    for han in known:
        auto.add_word(han, han)
    auto.make_automaton()
    al = align.of(doc)
    starts = [a for a, _ in al.spans]
    current, seen = -1, set()
    for end, han in auto.iter(al.source_text):  # no name spans a line break
        k = bisect_right(starts, end) - 1
        if k != current:
            current, seen = k, set()
        if han in seen or (k, han) in have:
            continue
        seen.add(han)
        pair = pairs[k]
        i = end - len(han) + 1 - pair.source_start
        best = _commonest(nm.by_han[han])[0]
        target = pair.target
        if best in target:
            continue
        squashed_best = best.lower().replace(" ", "").replace("-", "")
        size = len(_SEP.split(best))
        hit = _near(target, squashed_best, size, least, han)
        if hit is not None:
            a, b = hit
            yield Hit(pair.start + a, pair.start + b, replacement=best, source_span=(i, i + len(han)),
                      message=f"{han} is spelled {best} elsewhere in the document, {target[a:b]} here")


# Last characters of place names that English translates instead of spelling (清水河 →
# Qingshui River): a spelling that stops short of such a syllable is not a variant.
_GENERIC = set("河湖山江市县镇乡村路街桥海省区州岛港湾峡")


def _near(target: str, squashed: str, size: int, least: float, han: str) -> tuple[int, int] | None:
    """The first run of `size` capitalized words whose letters are close to `squashed`."""
    from rapidfuzz.distance import Levenshtein

    for m in _CAPS.finditer(target):
        if squashed[:1] not in m[0].lower():
            continue  # no window of this run can start with the spelling's first letter
        spans = [w.span() for w in _LETTERS.finditer(m[0])]
        for s in range(0, len(spans) - size + 1):
            a, b = m.start() + spans[s][0], m.start() + spans[s + size - 1][1]
            sq = target[a:b].lower().replace(" ", "").replace("-", "")
            if sq[:1] != squashed[:1] or abs(len(sq) - len(squashed)) > 2:
                continue
            if squashed.startswith(sq) and han[-1] in _GENERIC:
                continue  # Qingshui River for 清水河: the last character is translated
            if Levenshtein.normalized_similarity(sq, squashed) >= least:
                return a, b
    return None


@check("source-name-shared", trigger=r"\p{Lu}\p{Ll}")
def name_shared(doc, rule):
    """One spelling for two different source names: readers will take them for one."""
    if align.of(doc) is None:
        return
    nm = name_map(doc)
    spellings = nm.by_han.values()
    if len(set().union(*spellings)) == sum(map(len, spellings)):
        return  # no spelling stands for two source names (most documents)
    by_text: dict[str, list[Rendering]] = defaultdict(list)
    for r in nm.found:
        by_text[r.text].append(r)
    for text, rs in by_text.items():
        hans = []
        for r in rs:
            if r.han not in hans:
                hans.append(r.han)
        if len(hans) < 2 or any(len(h) < 2 for h in hans):
            continue
        first = hans[0]
        for r in rs:
            if r.han != first:
                yield Hit(r.start, r.end, source_span=(r.source_start, r.source_start + len(r.han)),
                          message=f"{text} stands for {first} elsewhere in the document and for "
                          f"{r.han} here: two different source names share one spelling")
