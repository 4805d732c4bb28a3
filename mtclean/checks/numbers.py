"""Flag numbers garbled by a literal reading of Chinese units (万 "ten thousand", 亿
"hundred million") and full-width digits, and propose the standard English form.

The value is computed with `Decimal`, so "1.5 ten thousand" becomes exactly "15,000".
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import regex

from . import check
from ..finding import Hit
from ..script import is_latin_context

# Unit phrases a literal translation produces, with their value and whether the fix is
# unambiguous. "trillion billion" (万亿 read as two units) and "thousand billion" mean
# trillions but a human should confirm; the rest are plain arithmetic.
UNITS: dict[str, tuple[int, bool]] = {
    "ten thousand hundred million": (10**12, False),
    "trillion billion": (10**12, False),
    "thousand billion": (10**12, False),
    "hundred billion": (10**11, True),
    "ten billion": (10**10, True),
    "thousand million": (10**9, False),
    "hundred million": (10**8, True),
    "ten million": (10**7, True),
    "hundred thousand": (10**5, True),
    "ten thousand": (10**4, True),
}
_UNIT_ALT = "|".join(regex.escape(u).replace(r"\ ", " +") for u in sorted(UNITS, key=len, reverse=True))
_GARBLE = regex.compile(
    r"(?<![\w.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?) +(?P<unit>" + _UNIT_ALT
    + r")(?![\w-])"
)
# "hundred million" with no number or quantifier before it ("reached hundred million yuan").
_BARE = regex.compile(r"(?<![\w-])hundred +million(?![\w-])")
_PREV_WORD = regex.compile(r"([\w-]+) +$")
_QUANTIFIERS = frozenset(
    """a an one two three four five six seven eight nine ten eleven twelve several few
    twenty thirty forty fifty sixty seventy eighty ninety some many hundreds of the
    half tens dozens couple every per each""".split()
)
_FULLWIDTH = regex.compile(r"[\uff10-\uff19]+(?:[\uff0e.,][\uff10-\uff19]+)*")
_FW_LETTER = regex.compile(r"[\uFF21-\uFF3A\uFF41-\uFF5A]")
_FW_TABLE = {0xFF10 + i: str(i) for i in range(10)} | {0xFF0E: "."}


def _plain(value: Decimal) -> str:
    """Write a Decimal without exponent or trailing zeros ("2.50" -> "2.5")."""
    return format(value.normalize(), "f")


def _grouped(value: Decimal) -> str:
    """Digits with thousands separators, keeping any decimals ("12,345.6")."""
    whole, _, frac = _plain(value).partition(".")
    return f"{int(whole):,}" + (f".{frac}" if frac else "")


def standard_form(value: Decimal) -> str:
    """The usual English way to write `value`: "15,000", "1.05 million", "2.5 billion"."""
    if value < 10**6:
        return _grouped(value)
    unit, size = next((u, z) for u, z in (("trillion", 10**12), ("billion", 10**9),
                                           ("million", 10**6)) if value >= z)
    coef = _plain(value / size)
    if "." not in coef or len(coef.split(".")[1]) <= 3 or value >= 10**7:
        return f"{coef} {unit}"  # "12.3456 million" reads better than eight digits
    return _grouped(value)  # "1,234,567" rather than "1.234567 million"


# Every unit phrase (and the bare "hundred million") contains one of these words.
@check("chinese-number-units", trigger=("thousand", "million", "billion"))
def chinese_number_units(doc, rule):
    """Flag "3 hundred million" style numbers; the fix writes the same value in standard form."""
    text = doc.text
    for m in _GARBLE.finditer(text):
        unit = " ".join(m.group("unit").split())
        size, safe = UNITS[unit]
        try:
            value = Decimal(m.group("num").replace(",", "")) * size
        except InvalidOperation:
            continue
        fixed = standard_form(value)
        yield Hit(m.start(), m.end(), replacement=fixed, safety="safe" if safe else "unsafe",
                  message=f"Chinese-style number unit: “{m.group()}” means {fixed}")
    if rule.options.get("bare_hundred_million", True):
        for m in _BARE.finditer(text):
            prev = _PREV_WORD.search(text, max(0, m.start() - 40), m.start())
            if prev is None or prev.group(1).lower() in _QUANTIFIERS or prev.group(1)[-1].isdigit():
                continue  # a line or sentence start, "a hundred million", "3.5 hundred million"
            yield Hit(m.start(), m.end(), replacement="100 million", safety="unsafe",
                      message="“hundred million” without a number: write “100 million” "
                              "(or give the figure the source means)")


@check("fullwidth-digits", trigger=r"[\uff10-\uff19]", cjk=True)
def fullwidth_digits(doc, rule):
    """Flag full-width digits (０-９) left by the source text; the fix writes ASCII digits."""
    text = doc.text
    for m in _FULLWIDTH.finditer(text):
        a, b = m.span()
        if _FW_LETTER.match(text[a - 1:a]) or _FW_LETTER.match(text[b:b + 1]):
            continue  # part of a run with full-width letters (Ｇ２０): CJK003 maps it whole
        if not is_latin_context(doc, a, threshold=0.3):
            continue  # a Chinese sentence keeps its digits; CJK005 reports the sentence
        yield Hit(m.start(), m.end(), replacement=m.group().translate(_FW_TABLE),
                  message=f"Full-width digits “{m.group()}”")
