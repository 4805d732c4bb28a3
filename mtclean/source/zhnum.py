"""Read the numbers of a Chinese source segment: value, kind and exact span.

Chinese numerals go through cn2an (strict mode: approximations such as 三四 "three or
four" and idioms such as 一五一十 do not parse, and are rightly skipped); units (万, 亿,
兆), percentages (百分之), fractions (分之), dates, times, ordinals and decades are read
here. Only what a translator must carry over is returned: a lone 一 ("a", "one") or 第二
("next", "second") is left out, as are approximate amounts (数百, 几十万, 上千).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from math import isfinite

import re

from .ennum import roman_value

_CN = "零〇一二三四五六七八九十百千两"
_ARABIC = r"[0-9０-９]+(?:,[0-9]{3})*(?:[.．][0-9０-９]+)?"
_CHINESE = rf"[{_CN}]+(?:点[零〇一二三四五六七八九]+)?"
_NUM = rf"(?:{_ARABIC}|{_CHINESE})"
_TAIL = (rf"(?:[多余]?(?P<unit>万亿|亿万|万|亿|兆))?(?:分之(?P<fnum>{_NUM}))?"
         r"(?P<post>[%％]|年代|个月|年|月|日|号|岁|倍|成|后|[点时](?![零〇一二三四五六七八九])|分(?!之))?")
# A Roman numeral before 级 (level), 类 (class) or 期 (phase): 防汛Ⅳ级应急响应, II级.
_ROMAN_VALUE = {c: float(i) for i, c in enumerate("ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ", 1)}
_ROMAN_START = "".join(_ROMAN_VALUE) + "IVX"
_ROMAN = rf"(?:[{''.join(_ROMAN_VALUE)}]|(?<![A-Za-z])[IVX]{{1,4}})(?=[级类期])"
NUMBER = re.compile(rf"(?=[0-9０-９{_CN}第{_ROMAN_START}])(?P<pre>百分之|第)?(?P<num>{_NUM}|{_ROMAN})" + _TAIL)
# The same, but a single Chinese numeral only where a unit, a date or 百分之 makes it a
# number a translator must keep (most single numerals are words: 一些, 三个, 两国), so
# the regex engine, not Python, skips them.
STRICT = re.compile(
    rf"(?=[0-9０-９{_CN}第{_ROMAN_START}])(?P<pre>百分之|第)?(?P<num>{_ARABIC}|{_ROMAN}|[{_CN}]{{2,}}(?:点[零〇一二三四五六七八九]+)?"
    rf"|[{_CN}](?:点[零〇一二三四五六七八九]+|(?=[多余]?[万亿兆]|分之|[月日号岁成]|个月))"
    rf"|(?<=百分之)[{_CN}])" + _TAIL)
# Characters before a numeral that make it approximate ("several hundred", "tens of thousands").
_ARABIC_START = set("0123456789０１２３４５６７８９")
_CLOCK = re.compile(r"[点时][0-9零〇一二三四五六七八九十]*$")
_APPROX_BEFORE = set("几数上成")
_APPROX_AFTER = set("几")
UNITS = {"万": 1e4, "亿": 1e8, "万亿": 1e12, "亿万": 1e12, "兆": 1e12}
# 兆 before a unit of measure is the SI prefix mega (兆瓦 megawatt), not a trillion.
_MEGA_NEXT = set("瓦赫字帕焦比欧吨")
_DIGITS = {c: str(i) for i, c in enumerate("零一二三四五六七八九")} | {"〇": "0"}


@dataclass(slots=True)
class ZhNumber:
    """A number the translation must carry: `values` lists the readings that count."""

    text: str
    start: int
    end: int
    kind: str  # number | percent | fraction | year | decade | month | day | time | ordinal | age
    values: frozenset[float]
    shown: str  # the value as a person reads it (350,000,000; 5%; July)

    @property
    def value(self) -> float:
        return max(self.values) if self.kind != "fraction" else min(self.values)


def _arabic(s: str) -> float:
    if not s.isascii():  # full-width digits and point
        s = unicodedata.normalize("NFKC", s)
    return float(s.replace(",", ""))


@lru_cache(maxsize=4096)  # a pure function of a short string; news repeats its numerals
def _chinese(s: str) -> float | None:
    """A Chinese numeral's value, or None for approximations and idioms."""
    import cn2an

    if "点" in s:
        whole, _, frac = s.partition("点")
        w = _chinese(whole) if whole else 0.0
        if w is None:
            return None
        return float(f"{int(w)}.{''.join(_DIGITS[c] for c in frac)}")
    if len(s) > 1 and set(s) <= set(_DIGITS):  # digit by digit: a year (二〇二一) or a code
        return float("".join(_DIGITS[c] for c in s)) if len(s) == 4 and set(s) & set("〇零") else None
    try:
        return float(cn2an.cn2an(s.replace("两", "二"), "strict"))
    except (ValueError, KeyError, TypeError):
        return None


def _fmt(v: float) -> str:
    if v == int(v):
        return f"{int(v):,}"
    return f"{v:,.6f}".rstrip("0").rstrip(".")


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


# Characters that stand for a number without being a numeral ("half", "both", "first").
_IMPLIED = {"半": 0.5, "双": 2.0, "俩": 2.0, "首": 1.0, "单": 1.0, "十": 10.0, "百": 100.0,
            "千": 1000.0, "万": 1e4, "亿": 1e8, "两": 2.0} | {c: float(d) for c, d in _DIGITS.items()}


_SKIP_PATTERNS: dict[frozenset, re.Pattern] = {}  # per skip list (configuration, not text)


def skip_pattern(words: frozenset[str]) -> re.Pattern:
    """One alternation for a skip list, so a segment is searched once, not once a word."""
    pat = _SKIP_PATTERNS.get(words)
    if pat is None:
        pat = _SKIP_PATTERNS[words] = re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)))
    return pat


def skipped(text: str, skip: frozenset[str]):
    """Offsets covered by a word that only looks numeric (十分, 千万)."""
    if not skip:
        return ()
    words = skip_pattern(skip)
    return {i for m in words.finditer(text) for i in range(*m.span())} if words.search(text) else ()


def extract(text: str, skip: frozenset[str] = frozenset(), lenient: bool = False) -> list[ZhNumber]:
    """The numbers of a source segment; `skip` lists words that only look numeric (十分).

    `lenient` also returns every numeral a translator may or may not carry over (一, 两,
    第二, 数百, single characters such as 半): what can explain a number in the target.
    """
    out: list[ZhNumber] = []
    covered = skipped(text, skip)
    end = len(text)
    for m in (NUMBER if lenient else STRICT).finditer(text):
        num = _read(text, m, covered, lenient, 0, end)
        if num is not None:
            out.append(num)
    if lenient:
        for i, c in enumerate(text):
            v = _IMPLIED.get(c)
            if v is not None:  # 五六百 "five or six hundred": 5 may stand for 500
                vals = frozenset({v} | ({v * k for k in (10, 100, 1e3, 1e4, 1e8)} if v < 10 else set()))
                out.append(ZhNumber(c, i, i + 1, "number", vals, c))
    return out


def extract_segments(text: str, spans: list[tuple[int, int]],
                     skip: frozenset[str] = frozenset()) -> list[list[ZhNumber]]:
    """`extract` for every segment [start, end) of a source text, from one scan of the
    whole text (offsets are the segment's own). No number crosses a line break, and
    every reading looks no further than its segment, so each list is what the segment
    alone gives."""
    covered = skipped(text, skip)
    return [read_segment(text, ms, covered, lo, hi) for ms, (lo, hi) in zip(segment_matches(text, spans), spans)]


def segment_matches(text: str, spans: list[tuple[int, int]]) -> list[list]:
    """The STRICT matches of every segment [start, end) of a source text, from one scan
    of the whole text, not read yet: most segment pairs are settled from the matches'
    digits alone (numbers.py), and `read_segment` reads the others."""
    out: list[list] = [[] for _ in spans]
    if not spans:
        return out
    k, (lo, hi) = 0, spans[0]
    for m in STRICT.finditer(text):
        a = m.start()
        while a >= hi:
            k += 1
            if k == len(spans):
                return out
            lo, hi = spans[k]
        if a < lo:
            continue
        out[k].append(m)
    return out


def read_segment(text: str, matches: list, covered, lo: int, hi: int) -> list[ZhNumber]:
    """The numbers of the segment [lo, hi) of `text`, from its `segment_matches`;
    `covered` is `skipped(text, skip)`."""
    out = []
    for m in matches:
        num = _read(text, m, covered, False, lo, hi)
        if num is not None:
            out.append(num)
    return out


def is_kept(text: str, m, covered, lo: int, hi: int) -> bool:
    """True when `_read` keeps a match of ASCII digits with no fraction (its only
    refusals of one: a skip word over it, an approximation mark beside it)."""
    a, b = m.span()
    if covered and not covered.isdisjoint(range(a, b)):
        return False
    return not ((a > lo and text[a - 1] in _APPROX_BEFORE) or (b < hi and text[b] in _APPROX_AFTER))


def _read(text: str, m, skip, lenient: bool, lo: int, hi: int) -> ZhNumber | None:
    """The number a match stands for, reading no further than the segment [lo, hi), with
    offsets from `lo`."""
    pre, raw, unit, fnum, post = m.groups()  # the named groups, in order (no others)
    a, b = m.span()
    before = text[a - 1] if a > lo else ""
    after = text[b] if b < hi else ""
    roman = _ROMAN_VALUE.get(raw) or (float(roman_value(raw)) if raw[0] in "IVX" else None)
    if roman:  # Ⅳ级, IV级: level IV, level 4
        if skip and not skip.isdisjoint(range(a, b)):
            return None
        return ZhNumber(m[0], a - lo, b - lo, "level", frozenset({roman}), _fmt(roman))
    chinese = raw[0] not in _ARABIC_START
    if chinese and not lenient:  # the cheap refusals first: most Chinese numerals are words
        if len(raw) == 1 and (raw in "十百千" or not (
                unit or fnum or pre == "百分之" or post in ("月", "日", "号", "岁", "个月", "成"))):
            return None  # 十万 "hundreds of thousands"; 三个, 两国, 一年: worded freely
        if post in ("日", "号") and before != "月":
            return None  # 一日, 三日: "one day", "three days" as often as a date
        if post == "分" and not _CLOCK.search(text, lo, a):
            return None  # 十分 "very", 满分 "full marks"
    value = _chinese(raw) if chinese else _arabic(raw)
    if value is None or not isfinite(value):
        return None  # (a run of digits too long for a float: no reading to compare)
    if lenient:
        values = {value, value * UNITS[unit]} if unit else {value}
        if post in ("点", "时"):
            values.add(value + 12)
        return ZhNumber(m[0], a - lo, b - lo, "number", frozenset(values), _fmt(value))
    if skip and not skip.isdisjoint(range(a, b)):
        return None
    if before in _APPROX_BEFORE or after in _APPROX_AFTER:
        return None
    if chinese and value == 1 and not unit and pre != "百分之" and post not in ("月", "日", "号"):
        return None  # 一: "a", "one", "single"
    if pre == "第" and chinese and value < 10:
        return None  # 第一, 第二: "first", but also "top", "next", "the following"
    values = {value}
    shown = None  # _fmt(value) unless a unit or the kind says otherwise
    kind = "number"
    if unit:
        scale = UNITS[unit]
        values = {value * scale}
        if unit == "兆":
            values.add(value * 1e6)  # mainland usage and SI prefix: mega
            if after in _MEGA_NEXT:
                values = {value}
        if not isfinite(max(values)):
            return None
        shown = _fmt(max(values))
    if fnum:
        numer = _chinese(fnum) if fnum[0] not in _ARABIC_START else _arabic(fnum)
        if numer is None or value == 0 or not isfinite(numer):
            return None
        frac = numer / value
        return ZhNumber(m[0], a - lo, b - lo, "fraction", frozenset({frac, round(frac * 100, 1)}),
                        f"{_fmt(numer)}/{_fmt(value)}")
    if pre == "百分之" or post in ("%", "％"):
        kind, shown = "percent", f"{_fmt(value)}%"
    elif pre == "第":
        kind, shown = "ordinal", f"{_fmt(value)}th"
    elif post == "年代":
        kind = "decade"
        values |= {value + 1900, value + 2000} if value < 100 else set()
    elif post == "年" and 1000 <= value <= 2200 and value == int(value):
        kind, shown = "year", str(int(value))
    elif post == "月" and 1 <= value <= 12 and value == int(value):
        kind, shown = "month", MONTHS[int(value) - 1]
    elif post in ("日", "号") and 1 <= value <= 31 and value == int(value):
        kind = "day"
    elif post in ("点", "时") and 0 <= value <= 24:
        kind = "time"
        values |= {value + 12} if value < 12 else {value - 12}
    elif post == "岁":
        kind = "age"
    elif post == "成":  # 六成: six tenths
        kind, values, shown = "percent", {value * 10, value / 10}, f"{_fmt(value * 10)}%"
    elif post == "倍":  # 增长1倍: doubled
        kind, values = "multiple", {value, value + 1}
    elif post == "后" and value in (0, 50, 60, 70, 80, 90, 10, 20):  # 90后: born in the 1990s
        kind = "decade"
        values |= {value + 1900, value + 2000}
    return ZhNumber(m[0], a - lo, b - lo, kind, frozenset(values), _fmt(value) if shown is None else shown)
