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
from bisect import bisect_right

from ..document import Document
from ..finding import Finding, Fix
from .errors import ServerError

KEEP_KINDS = {"Spelling", "Typo", "Agreement", "Grammar", "Miscellaneous", "Usage", "Eggcorn",
              "Malapropism", "Punctuation", "Capitalization", "BoundaryError",
              "Nonstandard", "WordChoice"}
OFF_RULES = ("LongSentences", "UpdatePlaceNames", "Regionalisms", "SentenceCapitalization",
             "DisjointPrefixes", "CompoundNouns", "OxfordComma", "NoOxfordComma", "SpelledNumbers")
_CATEGORY = {"Spelling": "spelling", "Typo": "spelling", "Capitalization": "capitalization"}
_SPELLING_KINDS = ("Spelling", "Typo")


def available() -> bool:
    try:
        import harper  # noqa: F401
    except ImportError:
        return False
    return True


def require() -> None:
    """Raise a one-line ServerError when harper-py cannot be imported."""
    if not available():
        raise ServerError("Harper is not installed; pip install 'mtclean[grammar]' "
                          "(or harper-py), or choose another --grammar")


class Checker:
    """Harper linters for one run: an American one for the text, a British speller.

    Linters are built on first use, one per thread (building one costs about a second and
    a Linter is not thread-safe). The British speller has every lint but spelling off, and
    a document's unknown words go to it in one call: it accepts *colour* and *storey*.
    """

    def __init__(self):
        self._local = threading.local()
        self._british: dict[str, bool] = {}

    def _linter(self, dialect: str):
        lin = getattr(self._local, dialect, None)
        if lin is None:
            import harper
            lin = harper.Linter(getattr(harper.Dialect, dialect))
            cfg = lin.get_lint_config()
            if dialect == "BRITISH":
                cfg = {name: name == "SpellCheck" for name in cfg}
            else:
                cfg.update({name: False for name in OFF_RULES if name in cfg})
            lin.set_lint_config(cfg)
            setattr(self._local, dialect, lin)
        return lin

    def _british_words(self, words: set[str]) -> None:
        """Learn which of `words` British English spells this way (one Harper call)."""
        todo = sorted(w for w in words if w not in self._british and "\n" not in w)
        if not todo:
            return
        starts, text = [], ""
        for w in todo:
            starts.append(len(text))
            text += w + "\n\n"
        flagged = set()
        for lint in self._linter("BRITISH").lint(text, language="plaintext"):
            if lint.lint_kind in _SPELLING_KINDS:
                i = max(0, bisect_right(starts, lint.span.start) - 1)
                flagged.add(todo[i])
        for w in todo:
            self._british[w] = w not in flagged

    def drop_british(self, found: list[Finding]) -> list[Finding]:
        """Drop Spelling findings on words that are right in British English."""
        words = {f.text for f in found if f.rule == "HARPER/Spelling"}
        if not words:
            return found
        self._british_words(words)
        return [f for f in found if not (f.rule == "HARPER/Spelling" and self._british.get(f.text))]

    def findings(self, doc: Document) -> list[Finding]:
        """Harper's lints of the kept kinds as Findings (source 'harper', rule HARPER/<kind>)."""
        out = []
        for lint in self._linter("AMERICAN").lint(doc.text, language="plaintext"):
            kind = lint.lint_kind
            if kind not in KEEP_KINDS:
                continue
            s, e = lint.span.start, lint.span.end
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
