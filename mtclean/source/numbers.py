"""Numbers against the source: every source number must reach the translation.

One comparison per segment pair, shared by three rules: a source number with no
counterpart (missing), a target number that looks like a garbled source number (changed:
a factor of ten, one digit, two digits swapped) and a target number with no source at all
(extra). Values are compared, so 3.5亿 matches "350 million" and 1.2万 matches "12,000".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import isfinite

import re

from ..checks import check
from ..finding import Hit
from . import align, ennum, zhnum

from .native import speedups as _speedups

_REL = 1e-9


def close(a: float, b: float) -> bool:
    return abs(a - b) <= _REL * max(1.0, abs(a), abs(b))


@dataclass
class Comparison:
    """The numbers of one segment pair, sorted into what matched and what did not."""

    missing: list[zhnum.ZhNumber] = field(default_factory=list)
    changed: list[tuple[ennum.EnNumber, zhnum.ZhNumber]] = field(default_factory=list)
    extra: list[ennum.EnNumber] = field(default_factory=list)


def _matches(z: zhnum.ZhNumber, e: ennum.EnNumber) -> bool:
    """True when a reading of `z` is close to one of `e` (`close`, written out: this is
    the inner loop of the full comparison)."""
    for v in z.values:
        av = abs(v)
        for w in e.values:
            if abs(v - w) <= _REL * max(1.0, av, abs(w)):
                return True
    return False


def _garbled(z: zhnum.ZhNumber, e: ennum.EnNumber) -> bool:
    """True when a target number reads as a slip on the source number: off by a power of
    ten (3.5亿 → 35 million), one digit changed, or two neighbouring digits swapped."""
    if z.kind in ("month", "time", "fraction") or not e.digits:
        return False
    for v in z.values:
        for w in e.values:
            if v <= 0 or w <= 0:
                continue
            r = max(v, w) / min(v, w)
            for k in (10, 100, 1000, 10000):
                if close(r, k):
                    return True
            sv, sw = _digits(v), _digits(w)
            if len(sv) == len(sw) >= 2:
                diff = [i for i in range(len(sv)) if sv[i] != sw[i]]
                if len(diff) == 1 and len(sv) >= 3:
                    return True
                if len(diff) == 2 and diff[1] == diff[0] + 1 and sv[diff[0]] == sw[diff[1]] \
                        and sv[diff[1]] == sw[diff[0]]:
                    return True
    return False


def _digits(v: float) -> str:
    return f"{v:f}".rstrip("0").rstrip(".").replace(".", "")


_WEEKDAY = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
                         r"yesterday|today|tomorrow|tonight)\b", re.IGNORECASE)


def _explained(m, source: str, target: str, values: set[float]) -> bool:
    """A target digit string that a source number or translators' habits account for,
    without parsing the target."""
    digits = m[1].replace(",", "")
    if _whole(source, digits):
        return True
    try:
        v = float(digits)
    except ValueError:
        return False
    if m[2]:
        v *= _SCALE[m[2].lower()]
    return v in values or _added_freely(target, m.start(), m.end(1), v)


def _added_freely(target: str, start: int, end: int, v: float) -> bool:
    """Numbers translators add on their own: the year of a dateline, the minutes of a
    clock time (18:00 for 18时)."""
    return ((1900 <= v <= 2100 and v == int(v))
            or target[start - 1:start] == ":" or target[end:end + 1] == ":")


# Digit runs of the target (no look-behind: a scan that starts at a digit is several times
# faster, and a run is always matched from its first digit).
_TARGET_DIGITS = re.compile(r"([0-9][0-9,]*(?:\.[0-9]+)?)(?:\s?(million|billion|thousand|trillion|bn|mn|m|k)\b)?")
_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9,
          "bn": 1e9, "trillion": 1e12}
_SCALE_WORDS = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand"))


def _rendered(target: str, z: zhnum.ZhNumber) -> bool:
    """True when a plain spelling of a source number occurs in the target as a whole
    number, which settles the match without parsing the target (the common case, and the
    cheap one). The spellings are tried in order, the usual one first."""
    if z.kind == "month" and _whole(target, z.shown):  # July for 7月
        return True
    for v in z.values:
        if _spelled(target, v):
            return True
    return False


def _spelled(target: str, v: float) -> bool:
    """True when one of `_rendered`'s spellings of the value `v` is whole in the target."""
    if v != int(v):
        return _whole(target, f"{v:.6f}".rstrip("0"))
    n = int(v)
    if _whole(target, str(n)) or (n >= 1000 and _whole(target, f"{n:,}")):
        return True
    for scale, word in _SCALE_WORDS:
        if n >= scale and n % (scale / 100) == 0:
            return _whole(target, f"{n / scale:g} {word}")
    return False


def _whole(target: str, s: str) -> bool:
    """True when `s` occurs in `target` as a whole number (not inside 2021 or 3.55): no
    digit right before or after it, nor a point or comma with a digit beyond it. Read
    character by character, with no slice (this is the inner test of every settled
    pair; a text edge counts as a space)."""
    i = target.find(s)
    if i == -1:
        return False
    size, n = len(s), len(target)
    while i != -1:
        j = i + size
        c = target[i - 1] if i else " "
        if not (c.isdigit() or (c in ".," and i > 1 and target[i - 2].isdigit())):
            c = target[j] if j < n else " "
            if not (c.isdigit() or (c in ".," and j + 1 < n and target[j + 1].isdigit())):
                return True
        i = target.find(s, i + 1)
    return False


_whole_py = _whole  # the reference, which tests hold the C twin to
if _speedups is not None:
    _whole = _speedups.whole  # noqa: F811 - the same test, in C: the inner test of every pair


def compare(source: str, target: str, skip: frozenset[str], loose: frozenset[str],
            report: tuple[str, ...] = ()) -> Comparison:
    """Sort the numbers of a pair; `loose` lists source words that explain a target
    number without being a number a translator must keep (今年 → 2021); `report` lists
    the verbs of attribution after which a bare day may go (26日称 → "said")."""
    return _compare(zhnum.extract(source, skip), source, target, loose, report) or Comparison()


_ANY_DIGIT = re.compile(r"[0-9]").search


def _compare(zs: list[zhnum.ZhNumber], source: str, target: str, loose: frozenset[str],
             report: tuple[str, ...] = ()) -> Comparison | None:
    """`compare`, given the source's numbers; None when nothing is to report (most
    segments). Most numbers are settled by a whole-number substring test; the target is
    parsed in full only when one is not."""
    if not zs and not _ANY_DIGIT(target):
        return None  # no number on either side: most segments
    if all(_rendered(target, z) for z in zs):
        values = {v for z in zs for v in z.values}
        if all(_explained(m, source, target, values) for m in _TARGET_DIGITS.finditer(target)):
            return None  # every number on both sides accounted for
    out = Comparison()
    es = ennum.extract(target)
    used: set[int] = set()
    weekday = None
    for z in zs:
        hit = [i for i, e in enumerate(es) if _matches(z, e)]
        if hit:
            used.update(hit)
            continue
        if z.kind == "day":  # 23日 → "on Wednesday": news style names the weekday
            weekday = bool(_WEEKDAY.search(target)) if weekday is None else weekday
            if weekday or _reported_on(z, source, report):
                continue
        if _implied(z, source):
            continue
        out.missing.append(z)
    free = [e for i, e in enumerate(es) if i not in used and e.digits and not e.attached
            and not _added_freely(target, e.start, e.end, max(e.values))]
    for z in list(out.missing):
        for e in free:
            if _garbled(z, e):
                out.changed.append((e, z))
                out.missing.remove(z)
                free.remove(e)
                break
    if free and not any(w in source for w in loose):
        every = zhnum.extract(source, frozenset(), lenient=True)
        out.extra = [e for e in free if not any(_matches(z, e) for z in every)]
    return out if out.missing or out.changed or out.extra else None


# The "1" of an exchange rate (1美元兑人民币7.0元): English gives the rate per dollar.
_PER_UNIT = re.compile(r"(?:美元|欧元|英镑|日元|港元|港币|澳元|加元|人民币|卢布|韩元|元)兑")
# What ends the items of an enumeration before a count (江苏、浙江、辽宁3省).
_ITEMS_START = re.compile(r"[^，。；：！？,;:!?（）()“”\"《》\s0-9０-９]*$")


def _implied(z: zhnum.ZhNumber, source: str) -> bool:
    """A source number a translation carries without writing it: the 1 of an exchange
    rate ("7.0 yuan to the dollar"), or a count right after an enumeration of as many
    items (江苏、浙江、辽宁3省: "Jiangsu, Zhejiang and Liaoning provinces")."""
    if z.kind != "number" or len(z.values) != 1:
        return False
    v = next(iter(z.values))
    if v == 1 and _PER_UNIT.match(source, z.end):
        return True
    if not (2 <= v <= 10 and v == int(v)):
        return False
    head = _ITEMS_START.search(source, max(0, z.start - 60), z.start)
    items = head.group().split("、") if head else []
    return len(items) == v and all(0 < len(item) <= 8 for item in items)


def _reported_on(z: zhnum.ZhNumber, source: str, report: tuple[str, ...]) -> bool:
    """A bare day right before a verb of attribution (外交部26日称, 警方23日表示): the day a
    statement was made, which English news gives in the dateline or drops ("said")."""
    return bool(report) and source.startswith(report, z.end) and source[z.start - 1:z.start] != "月"


def comparisons(doc, rule) -> list[tuple[align.Pair, Comparison]]:
    """The segment pairs of the document that have something to report, with their
    comparison, in pair order: built once per document for the rules of the family, from
    one scan of the whole source (kept while the source is), and per segment kept across
    fix rounds while its target stays the same. A segment's numbers are read only when
    its pair is not settled by the digits of its matches (`_settled_unread`)."""
    al = align.of(doc)

    def build() -> list[tuple[align.Pair, Comparison]]:
        opts = rule.options
        skip, loose = frozenset(opts.get("skip", ())), frozenset(opts.get("loose", ()))
        report = tuple(opts.get("report_verbs", ()))
        text = al.source_text
        matches = al.shared("source matches", lambda: zhnum.segment_matches(text, al.spans))
        covered = al.shared(("source skipped", skip), lambda: zhnum.skipped(text, skip))
        read = al.shared(("source numbers", skip), dict)  # segment -> its numbers, once read
        kept = al.shared(("numbers", skip, loose, report), dict)  # segment -> (target, comparison)
        out = []
        pairs = al.pairs(doc.text)
        for k, unsure in _to_compare(text, pairs, matches, al.spans, covered):
            pair = pairs[k]
            target = pair.target
            if unsure and _settled_unread(text, matches[pair.index], covered, *al.spans[pair.index],
                                          pair.source, target):
                continue
            got = kept.get(pair.index)
            if got is not None and got[0] == target:
                c = got[1]
            else:
                zs = read.get(pair.index)
                if zs is None:
                    lo, hi = al.spans[pair.index]
                    zs = read[pair.index] = zhnum.read_segment(text, matches[pair.index], covered, lo, hi)
                c = _compare(zs, pair.source, target, loose, report)
                kept[pair.index] = (target, c)
            if c is not None:
                out.append((pair, c))
        return out

    return al.shared(("numbers", doc.text), build)


def _to_compare_py(text: str, pairs: list, matches: list, spans: list, covered) -> list[tuple[int, bool]]:
    """(index in `pairs`, unsure) of the pairs whose numbers must be read and compared:
    a number on either side (most pairs have none), and matches `_settled_unread` does
    not settle. The C twin `_speedups.to_compare` gives the same list, with unsure set
    where it could not tell (a number too long for it), and Python then decides."""
    out = []
    for k, pair in enumerate(pairs):
        ms = matches[pair.index]
        if not ms:
            if _ANY_DIGIT(pair.target):
                out.append((k, False))
        elif not _settled_unread(text, ms, covered, *spans[pair.index], pair.source, pair.target):
            out.append((k, False))
    return out


def _to_compare(text: str, pairs: list, matches: list, spans: list, covered) -> list[tuple[int, bool]]:
    if _speedups is not None and type(pairs) is list and type(spans) is list:
        return _speedups.to_compare(text, pairs, matches, spans, covered, _PLAIN_SCALES, zhnum.MONTHS,
                                    zhnum.is_kept)
    return _to_compare_py(text, pairs, matches, spans, covered)


def _settled_unread(text: str, matches: list, covered, lo: int, hi: int, source: str,
                    target: str) -> bool:
    """True when `_compare` is sure to find nothing in the pair of the source segment
    [lo, hi) of `text` (`source`) and `target`, told from the segment's matches without
    reading them (`zhnum._read`): each match is ASCII digits, with no fraction, no 成, and
    a unit only of 万 or 亿 and not before 倍, so the number it may give holds the value
    `v` below among its readings; a spelling of `v` that `_rendered` tries is whole in the
    target (or the month's name, for 7月), so that number is rendered; and each target
    digit string is explained by the values of the matches `_read` keeps for sure
    (`zhnum.is_kept`). Then `_compare`'s own substring tests settle the pair, whichever
    matches `_read` keeps: the shortcut never decides what the comparison would not."""
    values = []
    for m in matches:
        pre, raw, unit, fnum, post = m.groups()
        if fnum or post == "成" or not raw.isascii() or not raw[0].isdigit():
            return False
        v = float(raw.replace(",", ""))
        if unit:  # (a month below only without one)
            if unit not in _PLAIN_UNITS or post == "倍":
                return False
            v = v * zhnum.UNITS[unit]
        if not isfinite(v):
            return False  # digits beyond a float: the full comparison decides
        month = (not unit and post == "月" and pre is None and v.is_integer() and 1 <= v <= 12
                 and _whole(target, zhnum.MONTHS[int(v) - 1]))  # `_read` makes it a month: July
        if not month and not _spelled(target, v):
            return False
        values.append((v, m))
    kept = None  # the values of the matches `_read` keeps, made when a target digit needs them
    for t in _TARGET_DIGITS.finditer(target):
        if not _explained(t, source, target, _NO_VALUES):
            if kept is None:
                kept = {v for v, m in values if zhnum.is_kept(text, m, covered, lo, hi)}
            if not kept or not _explained(t, source, target, kept):
                return False
    return True


_NO_VALUES: frozenset[float] = frozenset()


_PLAIN_UNITS = frozenset(("万", "亿", "万亿", "亿万"))  # 兆 may also read as mega
_PLAIN_SCALES = {u: zhnum.UNITS[u] for u in _PLAIN_UNITS}  # for the C twin


@check("source-number-missing")
def missing(doc, rule):
    """A source number with no counterpart in the translation."""
    if align.of(doc) is None:
        return
    for pair, c in comparisons(doc, rule):
        if not c.missing or not pair.target.strip():
            continue
        for z in c.missing:
            a, b = align.segment_span(doc, pair)
            yield Hit(a, b, message=f"Source number {z.text} ({z.shown}) has no counterpart "
                      "in the translation", source_span=(z.start, z.end))


@check("source-number-changed")
def changed(doc, rule):
    """A target number that reads as a garbled source number."""
    if align.of(doc) is None:
        return
    for pair, c in comparisons(doc, rule):
        for e, z in c.changed:
            yield Hit(pair.start + e.start, pair.start + e.end,
                      message=f"Number {e.text} does not match the source {z.text} ({z.shown})",
                      source_span=(z.start, z.end))


@check("source-number-extra")
def extra(doc, rule):
    """A target number that no source number explains."""
    if align.of(doc) is None:
        return
    for pair, c in comparisons(doc, rule):
        if not c.extra or not pair.source.strip():
            continue
        for e in c.extra:
            yield Hit(pair.start + e.start, pair.start + e.end,
                      message=f"Number {e.text} has no counterpart in the source")
