"""Findings and fixes: the records every check produces and every report consumes."""

from __future__ import annotations

from dataclasses import dataclass, field

SAFETIES = ("safe", "unsafe", "display")
SEVERITIES = ("error", "warning", "info")

CATEGORIES = (
    "name-consistency", "sentence-boundary", "quotes", "capitalization", "cjk-residue",
    "spacing", "repetition", "entity-translation", "numbers", "boilerplate", "encoding",
    "grammar", "spelling", "style",
)


@dataclass(frozen=True, slots=True)
class Fix:
    """A proposed replacement of a finding's span; `safety` says who may apply it."""

    replacement: str
    safety: str = "safe"

    def as_dict(self) -> dict:
        return {"replacement": self.replacement, "safety": self.safety}


@dataclass(frozen=True, slots=True)
class Hit:
    """What a check reports: a span plus optional overrides of the rule's defaults."""

    start: int
    end: int
    replacement: str | None = None
    message: str | None = None
    safety: str | None = None
    severity: str | None = None
    source_span: tuple[int, int] | None = None  # [start, end) in the source segment


@dataclass(slots=True)
class Finding:
    """One problem at an exact code-point span [start, end) of a document's text.

    Slots keep the hundreds of thousands of findings of a large file compact; context
    lines are not stored but cut from the document when a report is rendered. A fix
    whose replacement equals the flagged text is no fix (it would stay "fixable"
    forever), so it is dropped here, where every finding is made.
    """

    rule: str
    category: str
    severity: str
    message: str
    start: int
    end: int
    text: str
    fix: Fix | None = None
    source: str = "rules"
    path: str = "-"
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0
    extra: dict | None = field(default=None, compare=False, repr=False)  # None: saves a dict per finding
    source_span: tuple[int, int] | None = None  # only for source-aware checks

    def __post_init__(self) -> None:
        if self.fix is not None and self.fix.replacement == self.text:
            self.fix = None

    def as_dict(self) -> dict:
        """Return the stable JSON contract (exactly these keys, in this order); a finding of
        a source-aware check adds `source_span`, and only then."""
        out = {
            "path": self.path,
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "text": self.text,
            "fix": self.fix.as_dict() if self.fix else None,
            "source": self.source,
        }
        if self.source_span is not None:
            out["source_span"] = list(self.source_span)
        return out

    def sort_key(self) -> tuple:
        return (self.path, self.start, self.end, self.rule)

    def share(self, memo: dict) -> "Finding":
        """Point equal messages, texts and fixes of one run's findings at one object each:
        a large file repeats the same few thousand of them across many findings."""
        self.message = memo.setdefault(self.message, self.message)
        self.text = memo.setdefault(self.text, self.text)
        if self.fix is not None:
            self.fix = memo.setdefault(self.fix, self.fix)
        if self.end_line == self.line:
            self.end_line = self.line
        return self
