"""Flag one name spelled two ways in a document (Pilipson / Pillipson), and spellings a
name lexicon pins ("Jingping" -> "Jinping").

No list is needed for the first check: capitalized tokens are grouped by
transliteration-aware keys (`translit`), a group's most frequent spelling (ties: the
first seen) is taken as canonical, and every other spelling in the group is flagged with
an unsafe fix to it. Guards keep true distinct names apart: a different first letter
(Kim / Tim), one spelling being the start of the other (Chen / Cheng, Russia /
Russian), spellings that are both established words or names (Hunan / Henan), spellings
both used repeatedly unless they differ only by doubling or y/i-type letters (Johnson /
Jonson), and names whose neighbouring name parts differ (Zhao Lijian / Zhou Enlai).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter

import regex

from ..document import Document
from ..finding import Hit
from . import check
from ..lexicon import translit
from ..lexicon.name_lexicon import Lexicon, load_lexicons
from ..lexicon.wordlists import (FUNCTION_WORDS, MONTHS_AND_DAYS, TITLES, common_word,
                        word_occurrences, zipf)

# A capitalized word (diacritics allowed), not inside a hyphenated or apostrophe word.
_TOKEN = regex.compile(r"(?<![\p{L}\p{M}\p{N}'’\-])\p{Lu}[\p{Ll}\p{M}]+(?![\p{L}\p{M}\p{N}\-])")
_PREV_NAME = regex.compile(r"(?<![\p{L}\p{M}'’\-])(\p{Lu}[\p{Ll}\p{M}]+) $")
_NEXT_NAME = regex.compile(r" (\p{Lu}[\p{Ll}\p{M}]+)(?![\p{L}\p{M}\-])")

MAX_FORMS = 200_000  # distinct spellings considered in one document (bounds huge inputs)
CONTEXT_SAMPLES = 50  # occurrences per spelling inspected for neighbouring name parts


@dataclass
class _Form:
    """One spelling: how often and where it occurs, which name parts stand next to it."""

    text: str
    count: int
    starts: list[int] = field(default_factory=list)  # filled only for candidate spellings
    prev: set[str] | None = None
    next: set[str] | None = None
    with_prev: int = 0  # sampled occurrences preceded by a name part
    sampled: int = 0

    @property
    def first(self) -> int:
        return self.starts[0] if self.starts else -1


def _collect(text: str) -> dict[str, int]:
    """Count capitalized spellings (C-speed findall; forms and positions come later, for
    the few spellings that can pair)."""
    counts: dict[str, int] = {}
    # A plain dict: Counter() costs more on short segments. A large file is matched one
    # word at a time rather than listed whole (~60 bytes a word).
    words = _TOKEN.findall(text) if len(text) < 1 << 20 else (m.group() for m in _TOKEN.finditer(text))
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    if len(counts) > MAX_FORMS:
        return dict(Counter(counts).most_common(MAX_FORMS))
    return counts


def _locate(text: str, forms: list[_Form]) -> None:
    """Fill in the start offsets of the given spellings with one multi-word scan."""
    found = word_occurrences(text, [f.text for f in forms])
    for f in forms:
        n = len(f.text)
        f.starts = [s for s in found.get(f.text, ())
                    if (m := _TOKEN.match(text, s)) is not None and m.end() == s + n]


def _is_name_part(word: str) -> bool:
    """A neighbour that identifies a person or place (not a title or a common word)."""
    return word not in TITLES and word.lower() not in FUNCTION_WORDS and zipf(word.lower()) < 4.0


def _contexts(text: str, form: _Form) -> None:
    if form.prev is not None:
        return
    form.prev, form.next = set(), set()
    n = len(form.text)
    for s in form.starts[:CONTEXT_SAMPLES]:
        form.sampled += 1
        m = _PREV_NAME.search(text, max(0, s - 40), s)
        if m and _is_name_part(m.group(1)):
            form.prev.add(translit.loose_key(m.group(1)))
            form.with_prev += 1
        m = _NEXT_NAME.match(text, s + n, s + n + 40)
        if m and _is_name_part(m.group(1)):
            form.next.add(translit.loose_key(m.group(1)))


def _eligible(word: str) -> bool:
    low = word.lower()
    return (len(word) >= 4 and word not in TITLES and word not in MONTHS_AND_DAYS
            and low not in FUNCTION_WORDS)


def _lowercase_used(text: str, words: list[str]) -> set[str]:
    """Which of `words` (lowercase) occur as lowercase words in the text."""
    return {w for w, starts in word_occurrences(text, words).items() if starts}


def _canonical_first(a: _Form, b: _Form) -> tuple[_Form, _Form]:
    """Order a pair as (canonical, variant): more frequent first, ties by first use."""
    if (a.count, -a.first) >= (b.count, -b.first):
        return a, b
    return b, a


def _truncated(canon: str, var: str, zv: float) -> bool:
    """A variant that lost its last letter ("Qingha" for "Qinghai"), not a derived form.

    Derived forms (Russia / Russian, Chen / Cheng, Iraq / Iraqi) are known words or add
    -s or pinyin -g; a one-letter-short spelling that no word list knows is a truncation.
    """
    return (len(canon) == len(var) + 1 and canon.startswith(var) and zv < 1.0
            and canon[-1] not in "gs")


def _distinct(text: str, canon: _Form, var: _Form, edit_only: bool, lexicon: Lexicon) -> bool:
    """True when the two spellings are more likely two names than one name twice."""
    c, v = canon.text, var.text
    fc, fv = translit.fold(c), translit.fold(v)
    zv, zc = zipf(fv), zipf(fc)
    same_strict = translit.strict_key(c) == translit.strict_key(v)
    if fc[0] != fv[0]:
        return True
    if (fv.startswith(fc) or fc.startswith(fv)) and not (same_strict or _truncated(fc, fv, zv)):
        return True  # Russia / Russian, Chen / Cheng: a derived form or another name
    if lexicon.is_distinct(c, v) or lexicon.canonical_of(v) is not None:
        return True
    if edit_only and min(len(translit.loose_key(c)), len(translit.loose_key(v))) < 5:
        return True
    if common_word(fv) and not (same_strict and zv < 3.5 and canon.count >= 3
                                and not common_word(fc)):
        return True  # a word of its own ("God" beside "Good"), not a respelling
    if edit_only and zv >= 3.5:
        return True
    if edit_only and not same_strict and zv >= 2.0 and zc >= 2.0:
        return True
    if zv >= 2.0 and zc < 1.0:
        return True  # never respell a known name into an unknown one
    if var.count >= 2 and not (same_strict and canon.count >= 3 * var.count):
        return True  # both in regular use: two names, or a choice the author made
    _contexts(text, canon)
    _contexts(text, var)
    for mine, theirs in ((var.prev, canon.prev), (var.next, canon.next)):
        if mine and theirs and not any(translit.within_one_edit(x, y) for x in mine for y in theirs):
            return True  # Zhao Lijian / Zhou Enlai: different people
    for a, b in ((canon, var), (var, canon)):
        if a.with_prev == a.sampled and not b.prev and (a.count >= 2 or a is var):
            return True  # a given name always after its surname vs. a word standing alone
    return False


GROUP_LIMIT = 20  # spellings sharing a loose key beyond which the key says nothing
BUCKET_LIMIT = 40  # see `translit.neighbours`
SMALL_INPUT = GROUP_LIMIT  # up to this many spellings no size limit applies: pair directly


def _initial(word: str) -> str:
    """`fold(word)[:1]`, the letter `_distinct` compares first; an ASCII initial folds to
    its lowercase whatever follows, so only other initials need the whole word folded."""
    c = word[:1]
    return c.lower() if c.isascii() else translit.fold(word)[:1]


def _general_pairs(loose: list[str]) -> dict[tuple[int, int], bool]:
    """Candidate index pairs, True when found only by edit distance (any input size)."""
    by_key: dict[str, list[int]] = {}
    for i, k in enumerate(loose):
        by_key.setdefault(k, []).append(i)
    pairs: dict[tuple[int, int], bool] = {}
    for members in by_key.values():
        if 1 < len(members) <= GROUP_LIMIT:
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    pairs[(members[x], members[y])] = False
    # Keys under five letters are left out: an edit-only pair of them is always rejected.
    long = [i for i, k in enumerate(loose) if len(k) >= 5]
    for a, b in translit.neighbours([loose[i] for i in long], BUCKET_LIMIT):
        pairs.setdefault((long[a], long[b]), True)
    return pairs


def _small_pairs(names: list[str]) -> dict[tuple[int, int], bool]:
    """`_general_pairs` for at most SMALL_INPUT spellings, where neither size limit can
    bite, so pairs can be tested directly; only spellings sharing an initial are paired
    (and keyed: most spellings in a segment share it with no other).

    Left out are exactly pairs `_distinct` always rejects: different initials, and
    edit-only pairs with a loose key under five letters. The order is the general one:
    same-key pairs by the key's first use, then edit-only pairs by index.
    """
    initials = [_initial(w) for w in names]
    if len(set(initials)) == len(initials):
        return {}  # the common case: no two spellings share an initial
    by_initial: dict[str, list[int]] = {}
    for i, c in enumerate(initials):
        by_initial.setdefault(c, []).append(i)
    same, edit = [], []
    for members in by_initial.values():
        if len(members) < 2:
            continue
        keys = [translit.loose_key(names[i]) for i in members]
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                a, b = keys[x], keys[y]
                if a == b:
                    same.append((members[x], members[y]))
                elif len(a) >= 5 and len(b) >= 5 and translit.within_one_edit(a, b):
                    edit.append((members[x], members[y]))
    same.sort(key=_first_use_order(names, same))
    edit.sort()
    return dict.fromkeys(same, False) | dict.fromkeys(edit, True)


def _first_use_order(names: list[str], same: list[tuple[int, int]]):
    """Sort key putting same-key pairs in `_general_pairs` order: by the index where their
    key is first used among all spellings, then by index (all keys only when it matters)."""
    if len({translit.loose_key(names[i]) for i, _ in same}) < 2:
        return None
    first_use: dict[str, int] = {}
    for i, w in enumerate(names):
        first_use.setdefault(translit.loose_key(w), i)
    return lambda p: (first_use[translit.loose_key(names[p[0]])], p)


def _candidate_pairs(names: list[str]) -> dict[tuple[int, int], bool]:
    """Index pairs of spellings that may be one name, in the order they are judged."""
    if len(names) <= SMALL_INPUT:
        return _small_pairs(names)
    pairs = _general_pairs([translit.loose_key(w) for w in names])
    # Different initials: `_distinct` rejects the pair before anything else.
    return {(i, j): e for (i, j), e in pairs.items()
            if _initial(names[i]) == _initial(names[j]) or not _initial(names[i])
            or not _initial(names[j])}


# Capitalized words `_eligible` rejects, to drop from the superset by one set difference.
_NOT_NAMES = TITLES | MONTHS_AND_DAYS | {c for w in FUNCTION_WORDS
                                         if (c := w.capitalize()).lower() in FUNCTION_WORDS}
_FIRST = itemgetter(0)
PAIRABLE_LIMIT = 20  # spellings up to which `_may_pair` compares keys (beyond: assume so)


def _may_pair(doc: Document) -> bool:
    """False when no two spellings can form a candidate pair: a cheap necessary condition
    (set operations in C) that spares most segments everything else."""
    # Every `_TOKEN` match of four letters or more is one of these (the lookbehind keeps an
    # earlier match from running into it): a superset of the names.
    return _capitals_may_pair(doc.long_capitals)


def _capitals_may_pair(found: list[str]) -> bool:
    """`_may_pair` on a text's long capitalized words."""
    if len(found) < 2:
        return False
    words = set(found)
    words -= _NOT_NAMES
    if len(words) < 2:
        return False
    firsts = set(map(_FIRST, words))
    ascii_firsts = "".join(firsts).isascii()
    if len(firsts) == len(words) and ascii_firsts:
        return False  # distinct ASCII initials: no two spellings share a folded initial
    return len(words) > PAIRABLE_LIMIT or _keys_may_pair(words, ascii_firsts)


def _keys_may_pair(words: set[str], ascii_firsts: bool) -> bool:
    """True when two of `words` share an initial and a loose key, or have loose keys of
    five letters or more one edit apart (what every candidate pair satisfies). With ASCII
    first letters only, the capital stands for its folded initial."""
    initial_of = _FIRST if ascii_firsts else _initial
    by_initial: dict[str, list[str]] = {}
    for w in words:
        by_initial.setdefault(initial_of(w), []).append(w)
    for initial, group in by_initial.items():
        if not initial:
            return True  # `_candidate_pairs` keeps pairs with an empty initial
        if len(group) < 2:
            continue
        keys = list(map(translit.loose_key, group))
        if len(set(keys)) < len(keys):
            return True
        long = [k for k in keys if len(k) >= 5]
        for x, a in enumerate(long):
            for b in long[x + 1:]:
                if -2 < len(a) - len(b) < 2 and translit.within_one_edit(a, b):
                    return True
    return False


def _variant_map(text: str, counts: dict[str, int],
                 lexicon: Lexicon) -> tuple[dict[str, str], dict[str, _Form]]:
    """Map each variant spelling to its canonical spelling; also return the located forms
    of the spellings that were compared."""
    names = [w for w in counts if len(w) >= 4 and _eligible(w)]  # length first: cheap
    if len(names) < 2:
        return {}, {}  # a variant needs a second spelling to be a variant of
    pairs = _candidate_pairs(names)
    if not pairs:
        return {}, {}
    forms = {names[k]: _Form(names[k], counts[names[k]]) for pair in pairs for k in pair}
    _locate(text, list(forms.values()))
    candidates = []
    for (i, j), edit_only in pairs.items():
        a, b = forms[names[i]], forms[names[j]]
        if a.starts and b.starts:
            canon, var = _canonical_first(a, b)
            candidates.append((canon, var, edit_only))
    lower_used = _lowercase_used(text, sorted({v.text.lower() for _, v, _ in candidates}))
    # A variant's canonical spelling: one it shares a loose key with (a respelling of the
    # same letters: Phillippines / Philippines) before one found by edit distance only
    # (Philippine), then the most frequent, then the first used.
    best: dict[str, _Form] = {}
    rank: dict[str, tuple] = {}
    for canon, var, edit_only in candidates:
        if var.text.lower() in lower_used or _distinct(text, canon, var, edit_only, lexicon):
            continue
        mine = (not edit_only, canon.count, -canon.first)
        if var.text not in rank or mine > rank[var.text]:
            best[var.text], rank[var.text] = canon, mine
    out = {}
    for var, canon in best.items():
        seen = {var}
        while canon.text in best and canon.text not in seen:  # a variant of a variant
            seen.add(canon.text)
            canon = best[canon.text]
        pinned = lexicon.canonical_of(canon.text)
        out[var] = pinned if pinned and pinned != var else canon.text
    return {v: c for v, c in out.items() if v != c}, forms


def _variants_scan(rule, context):
    """NAME001's scan of a batch chunk (mtclean/chunkgate.py): `_may_pair` on each text's
    long capitals, listed for the chunk once (the lexicons are loaded as the check would:
    a missing file is reported the same way)."""

    def scan(chunk, out: set) -> None:
        load_lexicons(context.names)
        out.update(i for i, caps in enumerate(chunk.long_capitals())
                   if len(caps) > 1 and _capitals_may_pair(caps))
    return scan


def _lexicon_scan(rule, context):
    """NAME002's scan of a batch chunk (mtclean/chunkgate.py): `may_hold_variants` on the
    texts that hold a capitalized word of the lexicon's variants (when all are such
    words: one set test for the chunk first), or on every text."""

    def scan(chunk, out: set) -> None:
        lexicon = load_lexicons(context.names)
        capitals = chunk.long_capitals()
        words = lexicon.variant_capitals()
        if words is not None:
            words = words & set().union(*capitals)
            if not words:
                return
        texts, may = chunk.texts, lexicon.may_hold_variants
        out.update(i for i, caps in enumerate(capitals)
                   if (words is None or not words.isdisjoint(caps)) and may(texts[i], caps))
    return scan


@check("name-variants", chunk_scan=_variants_scan)
def name_variants(doc: Document, rule) -> list[Hit]:
    """Flag every occurrence of a less frequent spelling of a name used in the document."""
    text = doc.text
    lexicon = load_lexicons(doc.context.names)
    if not _may_pair(doc):
        return []
    counts = _collect(text)
    mapping, forms = _variant_map(text, counts, lexicon)
    hits = []
    for var, canon in mapping.items():
        form = forms[var]
        seen = counts.get(canon, 0)
        msg = (f"'{var}' looks like a variant spelling of '{canon}' "
               f"({seen} time{'s' if seen != 1 else ''} in this document)")
        for s in form.starts:
            hits.append(Hit(s, s + len(var), replacement=canon, message=msg))
    return hits


@check("name-lexicon", chunk_scan=_lexicon_scan)
def name_lexicon(doc: Document, rule) -> list[Hit]:
    """Flag spellings that a name lexicon maps to a different canonical spelling."""
    lexicon = load_lexicons(doc.context.names)
    if not lexicon.may_hold_variants(doc.text, doc.long_capitals):
        return []
    hits = []
    for start, end, canon in lexicon.find_variants(doc.text):
        hits.append(Hit(start, end, replacement=canon,
                        message=f"'{doc.text[start:end]}' is spelled '{canon}' in the name lexicon"))
    return hits
