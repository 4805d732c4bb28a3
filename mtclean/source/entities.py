"""Entities against the source: the gazetteer's Chinese forms decide the English name.

rules/entities/ lists, for each literal MT rendering, the established English name and
its Chinese source form (俄罗斯卫星通讯社 → Sputnik). When the source names such an
entity, the translation should use that name. A literal rendering the gazetteer knows is
left to ENT001; this check reports the other literal-looking renderings, which no list
can hold: ones sharing two or more content words with the entity's literal forms while
using neither the English name, its acronym (WTO), its words in any order (Ministry of
Foreign Affairs for Foreign Ministry) nor an alias from the rule's options. A target that
does not mention the entity at all is an omission, not a mistranslation, and is left to
the omission checks.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

import re

import regex

from ..checks import check
from ..checks.entities import gazetteer_for
from ..finding import Hit
from . import align

from .native import speedups as _speedups

_SQUASH = regex.compile(r"[^\p{L}\p{N}]+")
_ALTERNATIVES = regex.compile(r"\s*[()/]\s*")
_ARTICLE = regex.compile(r"^the\s+", regex.IGNORECASE)
_WORDS = regex.compile(r"\p{L}+")
_STOP = frozenset("the of and for in on a an to at by de la".split())


def words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORDS.findall(text.replace("U.S.", "US"))) - _STOP


def acronyms(name: str) -> list[str]:
    """WTO for World Trade Organization, VOA for Voice of America (initials with and
    without the small words)."""
    ws = _WORDS.findall(name)
    if len(ws) < 2 or not all(w[0].isupper() or w.lower() in _STOP for w in ws):
        return []
    every = "".join(w[0] for w in ws).upper()
    big = "".join(w[0] for w in ws if w.lower() not in _STOP)
    return sorted({a for a in (every, big) if len(a) >= 2})


def squash(text: str) -> str:
    """Letters and digits only, lower case: "U.S. Department" and "US department" agree."""
    return _SQUASH.sub("", text).lower()


@dataclass(frozen=True)
class ZhEntity:
    zh: str
    canonical: str
    accepted: tuple[str, ...]  # squashed English names that count as a match
    acronyms: tuple[str, ...]  # WTO for World Trade Organization
    name_words: tuple[frozenset[str], ...]  # the names' words, which may come in any order
    literal: tuple[str, ...]  # squashed literal forms (ENT001 reports those)
    literal_words: frozenset[str]  # content words of the literal forms, not of the names

    def named(self, target: str, squashed: str, target_words: frozenset[str]) -> bool:
        """True when the target uses the English name (or a literal form ENT001 reports)."""
        return (any(n in squashed for n in self.accepted) or any(n in squashed for n in self.literal)
                or any(ws <= target_words for ws in self.name_words)
                or any(_has_acronym(target, a) for a in self.acronyms))


def _has_acronym(target: str, acr: str) -> bool:
    return bool(regex.search(rf"(?<!\p{{L}}){regex.escape(acr)}(?!\p{{L}})", target))


class ZhIndex:
    """The gazetteer's Chinese forms, found in a source from the left, the longest first.

    The C twin `_speedups.longest_matches` scans a text at a few nanoseconds a character;
    where it is not built, one regex alternation of the forms, longest first, finds the
    same places. (pyahocorasick's `iter_long`, used before, passes over a form that starts
    inside a longer partial match: 'b' in 'cab' with the forms 'b' and 'caba'.)"""

    def __init__(self, gazetteer, aliases: dict[str, list[str]]):
        by_zh: dict[str, dict] = {}
        for entry in gazetteer.entries.values():
            for zh in filter(None, (z.strip() for z in entry.zh.split("/"))):
                slot = by_zh.setdefault(zh, {"canonical": entry.canonical, "literal": set()})
                slot["literal"].add(entry.match)
        self.entities: dict[str, ZhEntity] = {}
        for zh, slot in by_zh.items():
            canonical = slot["canonical"]
            names = [_ARTICLE.sub("", p) for p in _ALTERNATIVES.split(canonical) if p.strip()]
            names += list(aliases.get(canonical, ()))
            acrs = [a for n in names for a in acronyms(n)]
            name_words = tuple(ws for ws in map(words, names) if len(ws) >= 2)
            lit_words = frozenset().union(*map(words, slot["literal"])) - frozenset().union(*map(words, names))
            self.entities[zh] = ZhEntity(
                zh, canonical, tuple(squash(n) for n in names), tuple(acrs), name_words,
                tuple(squash(m) for m in slot["literal"]), lit_words)
        self.forms = tuple(self.entities)
        self.native = _speedups.forms_table(self.forms) if _speedups is not None and self.forms else None
        self.pattern = re.compile("|".join(map(re.escape, sorted(self.forms, key=len, reverse=True))))

    def find(self, source: str) -> list[tuple[int, int, ZhEntity]]:
        """Entities named in a source segment, longest match first, without overlaps."""
        if not self.entities:
            return []
        if self.native is not None:
            ents, forms = self.entities, self.forms
            return [(a, b, ents[forms[k]]) for a, b, k in _speedups.longest_matches(self.native, source)]
        return self._find_py(source)

    def _find_py(self, source: str) -> list[tuple[int, int, ZhEntity]]:
        """`find` without the C twin (and the reference tests hold it to): at each place
        the alternation tries the longest form first."""
        return [(m.start(), m.end(), self.entities[m[0]]) for m in self.pattern.finditer(source)]

    def find_segments(self, text: str, spans: list[tuple[int, int]]) -> dict[int, list]:
        """`find` for every segment [start, end) of a source text, from one scan of the
        whole text: {segment number: entities, offsets the segment's own}, for the
        segments that name one. No Chinese form spans a line break, so a segment's list
        is what it gives alone."""
        out: dict[int, list] = {}
        if not self.entities or not spans:
            return out
        starts = [a for a, _ in spans]
        for a, b, ent in self.find(text):
            k = bisect_right(starts, a) - 1
            if k >= 0 and b <= spans[k][1]:
                lo = spans[k][0]
                out.setdefault(k, []).append((a - lo, b - lo, ent))
        return out


_INDEXES: dict[int, tuple] = {}  # rule id -> (rule, index): configuration, not text


def index_for(rule) -> ZhIndex:
    """The index for a rule's gazetteers, looked up by the rule (built once per rule)."""
    hit = _INDEXES.get(id(rule))
    if hit is not None and hit[0] is rule:
        return hit[1]
    base = Path(rule.source_file).parent if rule.source_file else Path(".")
    listed = rule.options.get("gazetteers", ["entities"])
    paths = [p if p.is_absolute() else base / p for p in map(Path, listed)]
    idx = ZhIndex(gazetteer_for(paths), rule.options.get("aliases") or {})
    _INDEXES[id(rule)] = (rule, idx)
    return idx


@check("source-entity-name")
def entity_name(doc, rule):
    """A source entity whose established English name the translation does not use."""
    pairs = align.pairs_of(doc)
    if not pairs:
        return
    idx = index_for(rule)
    al = align.of(doc)
    named = al.shared(("source entities", idx), lambda: idx.find_segments(al.source_text, al.spans))
    for k in sorted(named):
        pair = pairs[k]
        target = pair.target
        if "Σ" not in target:  # (lower() depends on context only for a final sigma)
            low = target.replace("U.S.", "US").lower()  # what `words` reads, as one string
            if not any(sum(w in low for w in ent.literal_words) >= 2 for _, _, ent in named[k]):
                continue  # no entity with two of its literal words in the target, not even as substrings
        squashed = squash(target)
        if not squashed:
            continue
        target_words = words(target)
        for a, b, ent in named[k]:
            if len(ent.literal_words & target_words) < 2 or ent.named(target, squashed, target_words):
                continue
            s, e = align.segment_span(doc, pair)
            yield Hit(s, e, source_span=(a, b),
                      message=f"The source names {ent.zh}, which English news calls "
                      f"{ent.canonical}; the translation does not use that name")
