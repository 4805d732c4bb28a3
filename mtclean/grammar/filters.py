"""MT-aware filtering of grammar-backend findings for news copy.

Spell checkers flag every transliterated name (Chinese, Vietnamese, ...) as a misspelling.
A capitalized word is taken as a name, not a misspelling, when any of these holds:
- it is used two or more times in the document (a consistent spelling);
- it is pinned in a name lexicon (`names` in config, and `rules/names/`);
- it stands mid-sentence (news copy capitalizes mid-sentence only names);
- it touches another capitalized word (part of a multi-word name at a sentence start).
A misspelled name is mtclean's own name-consistency job, not the spell checker's.
All-capital words (datelines such as BEIJING, acronyms), pieces of web addresses, of
hyphenated or apostrophed names ("Kin-chung", "Gao'anchang") and of numbers ("1990s"), and lowercase words that are
common in real English text (wordfreq) are not misspellings either. A capitalization finding on text that already has capitals is an
opinion about a name's casing ("Quezon city"), so only missing capitals are reported;
"A"/"An" before a capitalized word is a surname ("An Jing"), not an article.

Findings that repeat an mtclean finding on the same span are dropped: mtclean's is the
more specific one (its own rule id, message and fix).
"""

from __future__ import annotations

import bisect
from collections import Counter
from functools import lru_cache
from pathlib import Path

import regex
import yaml

from ..document import Document
from ..finding import Finding
from ..rules import BUILTIN_RULES_DIR

_CAP_WORD = regex.compile(r"\b\p{Lu}[\p{L}\p{M}'’\-]*")
_WORD_SPLIT = regex.compile(r"[\p{L}\p{M}'’\-]+")
_TEXT_KEYS = {"note", "notes", "message", "description", "rationale", "comment", "source"}
BUILTIN_NAMES_DIR = BUILTIN_RULES_DIR / "names"


def _strings(node, out: set[str]) -> None:
    """Collect the name strings in a lexicon file of any reasonable shape."""
    if isinstance(node, str):
        for tok in _WORD_SPLIT.findall(node):
            if tok[:1].isupper():
                out.add(tok)
        if node[:1].isupper():
            out.add(node.strip())
    elif isinstance(node, list):
        for v in node:
            _strings(v, out)
    elif isinstance(node, dict):
        for k, v in node.items():
            if isinstance(k, str) and k.lower() in _TEXT_KEYS:
                continue
            if isinstance(k, str) and k[:1].isupper():
                _strings(k, out)
            _strings(v, out)


@lru_cache(maxsize=64)
def lexicon_names(paths: tuple[str, ...]) -> frozenset[str]:
    """Names (and their single words) pinned in lexicon files; unreadable files are skipped."""
    files: list[Path] = []
    for p in [BUILTIN_NAMES_DIR, *map(Path, paths)]:
        if p.is_dir():
            files.extend(sorted(p.rglob("*.y*ml")))
        elif p.is_file():
            files.append(p)
    out: set[str] = set()
    for f in files:
        try:
            for data in yaml.safe_load_all(f.read_text(encoding="utf-8")):
                _strings(data, out)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
    return frozenset(out)


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


def _neighbour_words(text: str, start: int, end: int) -> tuple[str, str]:
    left = regex.search(r"([\p{L}\p{M}'’\-]+)[ \t]+$", text[max(0, start - 40):start])
    right = regex.match(r"[ \t]+([\p{L}\p{M}'’\-]+)", text[end:end + 40])
    return (left.group(1) if left else "", right.group(1) if right else "")


def _sentence_initial(doc: Document, start: int) -> bool:
    sent = doc.sentence_at(start)
    head = doc.text[sent[0]:start] if sent else doc.text[max(0, start - 3):start]
    return not regex.search(r"[\p{L}\p{N}]", head)


def is_name(doc: Document, start: int, end: int, counts: Counter, pinned: frozenset[str]) -> bool:
    """Whether the capitalized word at [start, end) should be read as a proper name."""
    word = doc.text[start:end]
    if not _is_cap(word) or " " in word.strip():
        return False
    if counts[word] >= 2 or word in pinned:
        return True
    if not _sentence_initial(doc, start):
        return True
    left, right = _neighbour_words(doc.text, start, end)
    return _is_cap(right) or _is_cap(left)


_URLISH = regex.compile(r"(?i)www\.|https?:|@|\.(?:com|cn|org|net|gov|edu)\b|\w\.\w+\.\w")


def _token_around(text: str, start: int, end: int) -> str:
    a, b = start, end
    while a > 0 and not text[a - 1].isspace():
        a -= 1
    while b < len(text) and not text[b].isspace():
        b += 1
    return text[a:b]


_EDGE_PUNCT = "\"'“”‘’()[]{}.,;:!?"
COMMON_ZIPF = 3.3  # common misspellings ("thier", "teh") sit near 3.0; "per capita" is 3.5+


def _zipf(word: str) -> float:
    """How common a word is in real English text (wordfreq, log scale); 0 when unknown."""
    from ..lexicon.wordlists import zipf

    return zipf(word)


def not_a_misspelling(doc: Document, f: Finding, counts: Counter, pinned: frozenset[str]) -> bool:
    """Whether a spelling finding is a name, an acronym/dateline or part of an address."""
    word = f.text
    letters = [c for c in word if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True
    token = _token_around(doc.text, f.start, f.end)
    if _URLISH.search(token) or any(c.isdigit() for c in token):
        return True  # part of an address, or of "1990s"/"1980’s"
    parts = [p for p in regex.split(r"[-‐‑'’]", token.strip(_EDGE_PUNCT)) if p]
    if len(parts) > 1 and any(_is_cap(p) for p in parts if p != word):
        return True  # "Kin-chung", "Gao'anchang": a hyphenated or apostrophed name
    base = regex.sub(r"['’]s$", "", word)  # "fishermen's": judge "fishermen"
    if base.islower() and _zipf(base) >= COMMON_ZIPF:
        return True
    if len(word.split()) > 1:  # a multi-word span of capitalized words is a full name
        return all(_is_cap(w) for w in word.split())
    return is_name(doc, f.start, f.end, counts, pinned)


def drop_names(doc: Document, findings: list[Finding]) -> list[Finding]:
    """Remove spelling findings on names (and casing opinions on capitalized text)."""
    if not any(f.category in ("spelling", "capitalization", "grammar") for f in findings):
        return findings
    counts = Counter(_CAP_WORD.findall(doc.text))
    pinned = lexicon_names(doc.context.names)
    out = []
    for f in findings:
        if f.category == "spelling" and not_a_misspelling(doc, f, counts, pinned):
            continue
        if f.category == "capitalization" and any(c.isupper() for c in f.text):
            continue
        if f.category == "grammar" and f.text in ("A", "An") and _is_cap(
                _neighbour_words(doc.text, f.start, f.end)[1]):
            continue  # "An Jing said": a surname, not an article
        out.append(f)
    return out


def drop_duplicates(findings: list[Finding], prior: list[Finding]) -> list[Finding]:
    """Drop findings overlapping an earlier (mtclean) finding of the same span or category."""
    if not prior:
        return findings
    ordered = sorted(prior, key=lambda f: f.start)
    starts = [f.start for f in ordered]
    out = []
    for f in findings:
        dup = False
        for p in ordered[:bisect.bisect_right(starts, max(f.end, f.start))]:
            overlap = p.start < f.end and f.start < p.end
            same = (p.start, p.end) == (f.start, f.end)
            nested = (p.start <= f.start and f.end <= p.end) or (f.start <= p.start and p.end <= f.end)
            if same or (overlap and (p.category == f.category or nested)):
                dup = True
                break
        if not dup:
            out.append(f)
    return out


def apply(doc: Document, findings: list[Finding], prior: list[Finding]) -> list[Finding]:
    """All filters, in order: names first, then duplicates of mtclean findings."""
    return drop_duplicates(drop_names(doc, findings), prior)
