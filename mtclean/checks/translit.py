"""Transliteration-aware keys for names: spellings MT systems confuse map to one key.

Two keys are computed for a capitalized token:

* the *strict* key folds case and diacritics, collapses doubled letters and treats
  y/i, k/c and v/f as one letter: Zelensky / Zelenskyy / Zelenskiy share it;
* the *loose* key also drops an h after a consonant and sorts each run of vowels, so
  Shenzhen / Senzhen and Xiang / Xaing share it.

Spellings one edit apart on the loose key (Chaoyang / Chayang) are candidates too;
`neighbours` finds such pairs with a deletion index, so the work stays linear in the
number of distinct spellings instead of quadratic.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import regex
from rapidfuzz.distance import Levenshtein

VOWELS = frozenset("aeiou")
_MERGE = str.maketrans({"y": "i", "k": "c", "v": "f"})


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lowercase and strip diacritics (Müller -> muller, Đorđe -> dorde)."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    out = "".join(c for c in decomposed if not unicodedata.combining(c))
    return out.replace("đ", "d").replace("ł", "l").replace("ø", "o").replace("ß", "ss")


def _collapse_doubles(s: str) -> str:
    out = []
    for c in s:
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


@lru_cache(maxsize=65536)
def strict_key(word: str) -> str:
    """Key that ignores doubling, diacritics, y/i, k/c and v/f (ck counts as one c)."""
    return _collapse_doubles(fold(word).translate(_MERGE))


@lru_cache(maxsize=65536)
def loose_key(word: str) -> str:
    """Strict key without h after a consonant and with each vowel run sorted."""
    s = strict_key(word)
    kept = []
    for i, c in enumerate(s):
        if c == "h" and i > 0 and s[i - 1] not in VOWELS:
            continue
        kept.append(c)
    s = _collapse_doubles("".join(kept))
    out, run = [], []
    for c in s:
        if c in VOWELS:
            run.append(c)
            continue
        if run:
            out.extend(sorted(run))
            run = []
        out.append(c)
    out.extend(sorted(run))
    return "".join(out)


def within_one_edit(a: str, b: str) -> bool:
    """True when two keys differ by at most one insertion, deletion or substitution."""
    if abs(len(a) - len(b)) > 1:
        return False
    return Levenshtein.distance(a, b, score_cutoff=1) <= 1


def neighbours(keys: list[str], max_bucket: int = 40) -> list[tuple[int, int]]:
    """Index pairs (i < j) of keys within one edit, found through single deletions.

    Two strings within one edit share a string obtained by deleting at most one
    character from each (the SymSpell idea). Buckets larger than `max_bucket` are
    skipped: a deletion shared by that many spellings says nothing about any pair, and
    skipping keeps huge inputs linear.
    """
    buckets: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        variants = {k}
        for p in range(len(k)):
            variants.add(k[:p] + k[p + 1:])
        for v in variants:
            buckets.setdefault(v, []).append(i)
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) < 2 or len(members) > max_bucket:
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if i != j and within_one_edit(keys[i], keys[j]):
                    pairs.add((min(i, j), max(i, j)))
    return sorted(pairs)


# Capitalized words of four letters or more (marks included); `[A-Z][a-z]{3,}` is the same
# on ASCII text, and faster.
_LONG_CAPS = regex.compile(r"\p{Lu}[\p{Ll}\p{M}]{3,}")
_ASCII_LONG_CAPS = re.compile(r"[A-Z][a-z]{3,}")  # the stdlib scans ASCII text faster
_last_caps: tuple[str, list[str]] = ("", [])
_BIG_TEXT = 1 << 20  # characters


def long_capitals(text: str) -> list[str]:
    """`_LONG_CAPS` matches, remembered for the last text: the name, lexicon and entity
    checks all screen a segment with them, and the scan is most of their cost. Callers
    must not change the list."""
    global _last_caps
    last = _last_caps  # one tuple, read and replaced whole: safe across threads
    if last[0] is text:
        return last[1]
    pattern = _ASCII_LONG_CAPS if text.isascii() else _LONG_CAPS
    if len(text) > _BIG_TEXT:  # every caller tests membership: distinct words suffice, and
        # a list of each occurrence of a large file would cost ~60 bytes per word
        found = list(dict.fromkeys(m.group() for m in pattern.finditer(text)))
    else:
        found = pattern.findall(text)
    _last_caps = (text, found)
    return found


def listed_long_capitals(text: str) -> list[str] | None:
    """`long_capitals(text)` if another check already listed them, else None (for a check
    with a cheaper test of its own when it would have to scan the text first)."""
    last = _last_caps
    return last[1] if last[0] is text else None
