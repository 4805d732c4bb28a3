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

import unicodedata
from functools import lru_cache


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
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) > 1:
        return False
    i, n = 0, len(a)  # skip the common prefix; what follows must match after one edit
    while i < n and a[i] == b[i]:
        i += 1
    return a[i + 1:] == b[i + 1:] if len(a) == len(b) else a[i:] == b[i + 1:]


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
