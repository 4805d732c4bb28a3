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

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import regex

from ..checks import check
from ..finding import Hit
from . import align

_TONES = str.maketrans({
    "ā": "a", "á": "a", "ǎ": "a", "à": "a", "ē": "e", "é": "e", "ě": "e", "è": "e",
    "ī": "i", "í": "i", "ǐ": "i", "ì": "i", "ō": "o", "ó": "o", "ǒ": "o", "ò": "o",
    "ū": "u", "ú": "u", "ǔ": "u", "ù": "u", "ǖ": "u", "ǘ": "u", "ǚ": "u", "ǜ": "u", "ü": "u",
    "ê": "e", "ế": "e", "ề": "e", "ń": "n", "ň": "n", "ǹ": "n", "ḿ": "m"})
# Runs of up to three capitalized words joined by a space or a hyphen (Zhang Jike, Xi Jin-ping).
_CAPS = regex.compile(r"(?<![\p{L}'’])\p{Lu}\p{Ll}+(?:[ -]\p{L}\p{Ll}+){0,2}(?![\p{L}])")
_HAN = regex.compile(r"\p{Han}")


class Readings:
    """Pinyin readings of characters and the syllable inventory, from pypinyin's data."""

    def __init__(self):
        from pypinyin.pinyin_dict import pinyin_dict

        self.table = pinyin_dict
        syllables = set()
        for value in pinyin_dict.values():
            for r in value.split(","):
                r = r.translate(_TONES)
                if r.isascii() and r.isalpha() and len(r) > 1 or r in ("a", "e", "o"):
                    syllables.add(r)
        self.syllables = frozenset(syllables)

    def of(self, char: str) -> frozenset[str]:
        value = self.table.get(ord(char))
        return frozenset(r.translate(_TONES) for r in value.split(",")) if value else frozenset()

    def split(self, word: str, memo: dict) -> list[tuple[str, ...]]:
        """Every way to cut a lower-case word into pinyin syllables (xian: xian, xi+an)."""
        if word in memo:
            return memo[word]
        out: list[tuple[str, ...]] = []
        if not word:
            out = [()]
        else:
            for i in range(min(6, len(word)), 0, -1):
                head = word[:i]
                if head in self.syllables:
                    out += [(head, *rest) for rest in self.split(word[i:], memo)][:4]
        memo[word] = out
        return out


_READINGS: list[Readings] = []  # loaded once, on first use (data, not text)


def readings() -> Readings:
    if not _READINGS:
        _READINGS.append(Readings())
    return _READINGS[0]


@dataclass
class Rendering:
    """One place where the target spells a source name."""

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
    by_han: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))


def _match(source: str, syllables: tuple[str, ...], rd: Readings) -> int:
    """Start of a run of Han characters in `source` read as `syllables`, or -1."""
    k = len(syllables)
    first = syllables[0]
    for i in range(len(source) - k + 1):
        if first in rd.of(source[i]) and all(syllables[j] in rd.of(source[i + j]) for j in range(1, k)):
            return i
    return -1


def _renderings(target: str, pair: align.Pair, rd: Readings, memo: dict) -> list[Rendering]:
    out = []
    for m in _CAPS.finditer(target):
        words = regex.split(r"[ -]", m[0])
        for n in range(len(words), 0, -1):  # longest window first, then shorter ones
            done = False
            for s in range(0, len(words) - n + 1):
                window = words[s:s + n]
                cuts = [rd.split(w.lower(), memo) for w in window]
                if not all(cuts):
                    continue
                for combo in _combos(cuts):
                    if not 2 <= len(combo) <= 4:
                        continue
                    i = _match(pair.source, combo, rd)
                    if i >= 0:
                        a = m.start() + len(" ".join(words[:s])) + (1 if s else 0)
                        text = target[a:a + len("-".join(window))]
                        out.append(Rendering(pair.start + a, pair.start + a + len(text), text,
                                             pair.source[i:i + len(combo)], i, pair))
                        done = True
                        break
                if done:
                    break
            if done:
                break
    return out


def _combos(cuts):
    if not cuts:
        yield ()
        return
    for head in cuts[0]:
        for rest in _combos(cuts[1:]):
            yield head + rest


def name_map(doc) -> NameMap:
    al = align.of(doc)

    def build() -> NameMap:
        rd = readings()
        nm = NameMap()
        memo: dict = {}
        for pair in al.pairs(doc.text):
            if not _HAN.search(pair.source):
                continue
            target = doc.text[pair.start:pair.end]
            for r in _renderings(target, pair, rd, memo):
                nm.found.append(r)
                nm.by_han[r.han][_key(r.text)] += 1
        return nm

    return al.shared(("names", doc.text), build)


def _key(text: str) -> str:
    return text


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
        best, n = spellings.most_common(1)[0]
        if r.text != best and spellings[r.text] < n:
            yield Hit(r.start, r.end, replacement=best, source_span=(r.source_start, r.source_start + len(r.han)),
                      message=f"{r.han} is spelled {best} elsewhere in the document, {r.text} here")
    yield from _near_misses(doc, rule, nm)


def _near_misses(doc, rule, nm: NameMap):
    """In a segment whose source holds a known name but whose target lacks its spelling,
    a capitalized run close to that spelling (Zhang Jiko for Zhang Jike)."""
    least = float(rule.options.get("similarity", 0.8))
    have = defaultdict(set)
    for r in nm.found:
        have[r.pair.index].add(r.han)
    for pair in align.pairs_of(doc):
        target = doc.text[pair.start:pair.end]
        for han, spellings in nm.by_han.items():
            if len(han) < 2 or han in have[pair.index]:
                continue
            i = pair.source.find(han)
            if i < 0:
                continue
            best = spellings.most_common(1)[0][0]
            if best in target:
                continue
            squashed_best = best.lower().replace(" ", "").replace("-", "")
            size = len(regex.split(r"[ -]", best))
            hit = _near(target, squashed_best, size, least)
            if hit is not None:
                a, b = hit
                yield Hit(pair.start + a, pair.start + b, replacement=best, source_span=(i, i + len(han)),
                          message=f"{han} is spelled {best} elsewhere in the document, {target[a:b]} here")


def _near(target: str, squashed: str, size: int, least: float) -> tuple[int, int] | None:
    """The first run of `size` capitalized words whose letters are close to `squashed`."""
    from rapidfuzz.distance import Levenshtein

    for m in _CAPS.finditer(target):
        spans = [w.span() for w in regex.finditer(r"\p{L}+", m[0])]
        for s in range(0, len(spans) - size + 1):
            a, b = m.start() + spans[s][0], m.start() + spans[s + size - 1][1]
            sq = target[a:b].lower().replace(" ", "").replace("-", "")
            if sq[:1] != squashed[:1] or abs(len(sq) - len(squashed)) > 2:
                continue
            if squashed.startswith(sq) or sq.startswith(squashed):
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
