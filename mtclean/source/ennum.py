"""Read the numbers of an English target segment, in every form translators use.

Digits (12,000; 3.5), digits with a scale word (350 million, $1.2bn), number words
(twenty-five, three hundred), ordinals (23rd, fourteenth), month names, fractions (a
third, two-thirds, half), multipliers (doubled, threefold) and decades (1990s). Each
number carries every value it can stand for, so matching a source number is lenient
(precision first): "350 million" also counts as 350.
"""

from __future__ import annotations

from dataclasses import dataclass

import re

import regex

from .native import speedups as _speedups

_ONES = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SHORT_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12, "trn": 1e12}
_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
        "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
        "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
        "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
        "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100}
_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_MONTH_ABBR = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
               "sept": 9, "oct": 10, "nov": 11, "dec": 12}
_OTHER = {"half": {0.5, 50.0, 2.0}, "halves": {0.5, 2.0}, "quarter": {0.25, 25.0, 4.0},
          "quarters": {0.25, 4.0}, "dozen": {12.0}, "dozens": {12.0}, "decade": {10.0},
          "decades": {10.0}, "double": {2.0}, "doubled": {2.0}, "doubling": {2.0},
          "triple": {3.0}, "tripled": {3.0}, "tripling": {3.0}, "quadruple": {4.0},
          "quadrupled": {4.0}, "twice": {2.0}, "thrice": {3.0}, "both": {2.0}, "pair": {2.0},
          "noon": {12.0}, "midnight": {0.0, 24.0}, "single": {1.0}, "once": {1.0}}
_WORDS = set(_ONES) | set(_TENS) | set(_SCALES) | set(_ORD)

_DIGIT = regex.compile(
    r"(?:(?<=\b(?:RMB|HK\$|US\$|NT\$|HKD|USD|CNY|Rs|S\$|A\$|C\$))|(?<![\p{L}\d.,])(?<!\p{L}-))"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d.,]\d|\d)|\d+(?:\.\d+)?)"
    r"(?:(?P<suffix>st|nd|rd|th|s|-?fold)(?![\p{L}\d])"
    r"|[ -]?(?P<scale>hundred|thousand|million|billion|trillion|bn|mn|mln|tn|trn|[kmb])(?![\p{L}\d])"
    r"|(?![\p{L}\d]))",
    regex.IGNORECASE)
_ATTACHED = regex.compile(r"\d+")
_GROUP_SPACE = re.compile("[ \u00a0\u2009\u202f]")  # thousands grouped with spaces: 2 600
_HOURS = re.compile(r" ?(?:hours|hrs)\b", re.IGNORECASE)  # a 24-hour clock time: 1707 hours
_WORD = regex.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


@dataclass(slots=True)
class EnNumber:
    start: int
    end: int
    text: str
    values: frozenset[float]
    digits: bool  # written with digits (not a word)
    attached: bool = False  # part of a code or name (COVID-19, G20, 5G)


def _word_values(words: list[str]) -> float | None:
    """The value of a run of number words (three hundred and fifty million), or None."""
    total, current, seen = 0.0, 0.0, False
    for w in words:
        if w in _ONES:
            current += _ONES[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in _SCALES:
            total += (current or 1) * _SCALES[w]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def extract(text: str) -> list[EnNumber]:
    """Every number-like expression of an English segment."""
    out: list[EnNumber] = []
    taken: set[int] = set()
    for m in _DIGIT.finditer(text):
        num = m["num"]
        parts = _GROUP_SPACE.split(num)
        raw = "".join(parts).replace(",", "")
        v = float(raw)
        values = {v}
        if len(parts) > 1:  # 2 600 (space-grouped thousands), or two numbers side by side
            values.update(float(p) for p in parts)
        elif len(raw) == 4 and _HOURS.match(text, m.end()) and int(raw[:2]) <= 24 and int(raw[2:]) < 60:
            values.update((float(raw[:2]), float(raw[2:])))  # 1707 hours: 17:07
        scale = (m["scale"] or "").lower()
        if scale:
            mult = _SCALES.get(scale) or _SHORT_SCALES.get(scale, 1)
            values.add(v * mult)
        if (m["suffix"] or "").lower() == "s" and v >= 1000 and v % 10 == 0:
            values.add(v)  # 1990s
        a, b = m.span()
        out.append(EnNumber(a, b, m[0], frozenset(values), True))
        taken.update(range(a, b))
    for m in _ATTACHED.finditer(text):  # digits inside codes and names: G20, COVID-19, 5G
        if m.start() in taken:
            continue
        a, b = m.span()
        out.append(EnNumber(a, b, m[0], frozenset({float(m[0])}), True, attached=True))
    out.extend(_words(text, taken))
    if ("I" in text or "V" in text or "X" in text) and _ROMAN_ALONE(text):
        for m in _ROMAN_LEVEL.finditer(text):  # level IV, Class II, Phase III
            a, b = m.span("roman")
            value = roman_value(m["roman"])
            if value:
                out.append(EnNumber(a, b, m["roman"], frozenset({float(value)}), False))
    out.sort(key=lambda n: n.start)
    return out


_ROMAN_LEVEL = regex.compile(
    r"(?<![\p{L}])(?i:level|grade|class|phase|category|type|tier|stage)s?[ -](?P<roman>[IVX]{1,4})(?![\p{L}\d])"
    r"|(?<![\p{L}\d])(?P<roman>[IVX]{1,4})[ -](?i:level|grade|class)(?![\p{L}])")
# What every _ROMAN_LEVEL match holds, found by `re` far faster than `regex` finds the
# match (a capital I, V or X begins many words: It, In, Xi): a run of those letters with
# no ASCII letter on either side.
_ROMAN_ALONE = re.compile(r"(?<![A-Za-z])[IVX]+(?![A-Za-z])").search
_ROMAN_DIGITS = {"I": 1, "V": 5, "X": 10}


def roman_value(numeral: str) -> int:
    """The value of a Roman numeral below 40 written the usual way (ASCII letters), else 0."""
    total, prev = 0, 0
    for c in reversed(numeral):
        v = _ROMAN_DIGITS[c]
        total += -v if v < prev else v
        prev = max(prev, v)
    canonical = "X" * (total // 10) + ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")[total % 10]
    return total if canonical == numeral else 0


_VOCAB = frozenset(set(_ONES) | set(_TENS) | set(_SCALES) | set(_ORD) | set(_OTHER) | set(_MONTHS)
                   | set(_MONTH_ABBR) | {o + "s" for o in _ORD} | {o + "fold" for o in _ONES})
# Words of letters (a hyphen splits twenty-five); a set lookup tells the number words
# from the rest, several times faster than one regex alternation of the vocabulary.
_ALPHA = re.compile(r"[A-Za-z]+")
_JOIN = regex.compile(r"(?:\s+|-|\s+and\s+)")


_LONGEST = max(map(len, _VOCAB))


def _vocab_words_py(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of each word of letters whose lowercase is a number word (the
    C twin `_speedups.vocab_words` is held to this: most words of a segment are not, and
    C passes over them without making a string)."""
    return [(m[0], *m.span()) for m in _ALPHA.finditer(text) if m[0].lower() in _VOCAB]


def _vocab_words(text: str) -> list[tuple[str, int, int]]:
    if _speedups is not None:
        return _speedups.vocab_words(text, _VOCAB, _LONGEST)
    return _vocab_words_py(text)


def _words(text: str, taken: set[int]) -> list[EnNumber]:
    out: list[EnNumber] = []
    run: list[tuple[str, int, int]] = []

    def flush():
        if run:
            _emit(text, run, out)
            run.clear()

    for w, a, b in _vocab_words(text):
        lw = w.lower()
        if a in taken or (a and text[a - 1].isalpha()) or (b < len(text) and text[b].isalpha()):
            continue
        if lw.endswith("s") and lw[:-1] in _ORD:  # thirds, fifths
            lw = lw[:-1]
        if lw in _WORDS:
            if run and not _JOIN.fullmatch(text, run[-1][2], a):
                flush()
            run.append((lw, a, b))
            continue
        flush()
        extra = _OTHER.get(lw)
        if extra is None and lw.endswith("fold") and lw[:-4] in _ONES:
            extra = {float(_ONES[lw[:-4]])}
        if extra is None:
            mo = _MONTHS.get(lw) or (_MONTH_ABBR.get(lw) if w[0].isupper() else None)
            if mo and not (lw == "may" and not _month_context(text, a, b)):
                extra = {float(mo)}
        if extra is not None:
            out.append(EnNumber(a, b, w, frozenset(extra), False))
    flush()
    return out


def _emit(text: str, run: list[tuple[str, int, int]], out: list[EnNumber]) -> None:
    """The number a run of number words stands for (fourteenth, two-thirds, a hundred)."""
    parts = [w for w, _, _ in run]
    last = parts[-1]
    values: set[float] = set()
    if last in _ORD:  # fourteenth, twenty-first, one third, two-thirds
        base = _word_values(parts[:-1]) if len(parts) > 1 else None
        values.add(float(_ORD[last] + base if base and base >= 20 and _ORD[last] < 10 else _ORD[last]))
        if base is not None and base < 20:
            values.add(base / _ORD[last])
            values.add(round(base / _ORD[last] * 100, 1))
        elif _ORD[last] <= 10 and last not in ("first", "second"):
            values.add(1 / _ORD[last])
    else:
        v = _word_values(parts)
        if v is not None:
            values.add(v)
    if values:
        a, b = run[0][1], run[-1][2]
        out.append(EnNumber(a, b, text[a:b], frozenset(values), False))


def _month_context(text: str, a: int, b: int) -> bool:
    """"May" the month (May 3, in May, May 2021), not the verb."""
    after = text[b:b + 6]
    before = text[max(0, a - 6):a].lower()
    return bool(regex.match(r"\s+\d", after)) or before.endswith(("in ", "of ", "since ", "until ", "early ", "late "))
