"""Harper backend: fast, offline, no Java; only the lint kinds that make sense for news.

Kept kinds and why (see docs/grammar.md):
- Spelling, Typo, Agreement, Grammar, Miscellaneous, WordChoice, Usage, Eggcorn,
  Malapropism, Punctuation, Capitalization, BoundaryError, Nonstandard:
  real errors MT output makes (wrong verb forms, a/an, lowercase place names).
  A spelling is accepted when it is valid British English (wire copy uses both).
Dropped kinds:
- Repetition: mtclean's repetition family owns doubled words (and knows "Ni Ni" is a name).
- Readability (LongSentences): wire copy is long-sentenced by design.
- Style, Enhancement, Redundancy, WordChoice-as-taste rules: house-style opinions.
- Formatting (quotes, dashes, ellipses): mtclean's quotes/spacing families own these.
Dropped rules: UpdatePlaceNames and Regionalisms (opinions on place names: "Peking
University" is a correct proper name), SentenceCapitalization (mtclean's sentence-boundary
family owns it; Harper also misreads domain names as sentences), DisjointPrefixes
("re-election" is standard news spelling), CompoundNouns, OxfordComma.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from ..document import Document
from ..finding import Finding, Fix

KEEP_KINDS = {"Spelling", "Typo", "Agreement", "Grammar", "Miscellaneous", "Usage", "Eggcorn",
              "Malapropism", "Punctuation", "Capitalization", "BoundaryError",
              "Nonstandard", "WordChoice"}
OFF_RULES = ("LongSentences", "UpdatePlaceNames", "Regionalisms", "SentenceCapitalization",
             "DisjointPrefixes", "CompoundNouns", "OxfordComma", "NoOxfordComma", "SpelledNumbers")
_CATEGORY = {"Spelling": "spelling", "Typo": "spelling", "Capitalization": "capitalization"}

_local = threading.local()


def available() -> bool:
    try:
        import harper  # noqa: F401
    except ImportError:
        return False
    return True


def _linter(dialect: str = "AMERICAN"):
    """One Linter per thread and dialect: building one is costly, and it is not thread-safe."""
    key = "linter_" + dialect
    lin = getattr(_local, key, None)
    if lin is None:
        import harper
        lin = harper.Linter(getattr(harper.Dialect, dialect))
        cfg = lin.get_lint_config()
        cfg.update({name: False for name in OFF_RULES if name in cfg})
        lin.set_lint_config(cfg)
        setattr(_local, key, lin)
    return lin


@lru_cache(maxsize=4096)
def _british_ok(word: str) -> bool:
    """Whether a word Harper's American dictionary rejects is fine in British English."""
    return not any(l.lint_kind in ("Spelling", "Typo")
                   for l in _linter("BRITISH").lint(word, language="plaintext"))


def findings(doc: Document) -> list[Finding]:
    """Harper's lints of the kept kinds as Findings (source 'harper', rule HARPER/<kind>)."""
    out = []
    for lint in _linter().lint(doc.text, language="plaintext"):
        kind = lint.lint_kind
        if kind not in KEEP_KINDS:
            continue
        s, e = lint.span.start, lint.span.end
        if kind == "Spelling" and _british_ok(doc.text[s:e]):
            continue
        category = _CATEGORY.get(kind, "grammar")
        sugg = lint.suggestions
        fix = None
        reps = [_replacement(doc.text[s:e], x) for x in sugg]
        if reps:
            fix = Fix(reps[0], "unsafe" if len(sugg) == 1 else "display")
        message = lint.message
        if len(sugg) > 1:
            message += " (suggestions: " + ", ".join(x.replacement_text for x in sugg[:4]) + ")"
        out.append(Finding(rule=f"HARPER/{kind}", category=category, severity="warning",
                           message=message, start=s, end=e, text=doc.text[s:e], fix=fix,
                           source="harper", path=doc.path, extra={"candidates": reps}))
    return out


def _replacement(flagged: str, suggestion) -> str:
    """What a suggestion turns the flagged text into."""
    if suggestion.kind == 1:  # REMOVE
        return ""
    if suggestion.kind == 2:  # INSERT_AFTER
        return flagged + suggestion.replacement_text
    return suggestion.replacement_text
