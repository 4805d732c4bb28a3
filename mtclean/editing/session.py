"""A document under review: its text, its findings, edits with undo/redo, and Save.

Both editing front-ends (the review page and the language server) keep one `Session` per
open document. An edit re-checks only the paragraphs it touched (plus one on each side)
with the paragraph-local rules, re-runs the document-level checks (name spellings,
headline capitals, line width, final stops: `blockcheck.DOCUMENT_LEVEL_CHECKS`) over the
whole text, and moves every other finding by the edit's length change. `recheck()` does
the full check; tests/test_editing_session.py holds the two equal on random edits.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field, replace

from ..document import Document
from ..engine import locate
from ..errors import MtcleanError
from ..finding import Finding
from ..segment import paragraphs
from ..textio import SourceText, decode, encode, open_error, write_back
from .prepared import EngineCache, Prepared


UNDO_LIMIT = 1000  # steps kept (an editor typing feeds one per keystroke)


class SaveConflict(MtcleanError):
    """The file changed on disk since it was loaded; saving would overwrite that change."""


@dataclass(frozen=True)
class TextEdit:
    """Replace text[start:end] (which held `old`) with `new`: one undoable step."""

    start: int
    end: int
    old: str
    new: str

    def inverse(self) -> "TextEdit":
        return TextEdit(self.start, self.start + len(self.new), self.new, self.old)


@dataclass(frozen=True)
class Dismissal:
    """Findings hidden for this session: this one (`scope` "here", moved with edits),
    every one of the rule on the same text ("text"), or every one of the rule ("rule").

    `payload` is the front-end's own record (what to write at Save, for instance).
    """

    rule: str
    start: int
    end: int
    text: str
    scope: str = "here"
    payload: object = field(default=None, compare=False)

    def hides(self, f: Finding) -> bool:
        if self.rule != f.rule:
            return False
        if self.scope == "rule":
            return True
        if self.scope == "text":
            return self.text == f.text
        return (self.start, self.end, self.text) == (f.start, f.end, f.text)


@dataclass
class _Step:
    """One entry on the undo stack: a text edit, or dismissals added."""

    edit: TextEdit | None = None
    dismissed: tuple[Dismissal, ...] = ()


def finding_key(f: Finding) -> str:
    """A short stable id for a finding in the current text (for front-ends to refer to it)."""
    raw = f"{f.rule}\0{f.start}\0{f.end}\0{f.text}"
    return hashlib.blake2s(raw.encode("utf-8"), digest_size=6).hexdigest()


def candidates(f: Finding, findings: list[Finding]) -> list[str]:
    """The replacements an editor may choose from, the rule's own fix first.

    A grammar backend's finding offers each of its suggestions; a name finding also the
    other spellings the document uses for the same name (the rule proposes the majority
    one, the editor may know better).
    """
    out: list[str] = []
    if f.fix is not None:
        out.append(f.fix.replacement)
    for rep in (f.extra or {}).get("candidates", ()):  # a grammar backend's suggestions
        if rep not in out:
            out.append(rep)
    if f.category == "name-consistency" and f.fix is not None:
        for g in findings:
            if g.rule == f.rule and g.fix is not None and g.fix.replacement == f.fix.replacement:
                if g.text not in out and g.text != f.text:
                    out.append(g.text)
    return out


def _shift(f: Finding, delta: int) -> Finding:
    """A copy of `f` moved by `delta` (a copy even for 0: its line may change)."""
    return replace(f, start=f.start + delta, end=f.end + delta)


def _regions(text: str, start: int, end: int) -> tuple[int, int, int, int]:
    """Where to re-check after an edit of text[start:end]: (window, region) spans.

    The region runs from the first to the last character of the paragraphs the edit
    touched plus one on each side (a paragraph's findings can depend on its neighbours:
    "starts in lowercase after a finished paragraph"). The window adds one more paragraph
    on each side as context and is widened to the blank lines around it.
    """
    paras = paragraphs(text)
    if not paras:
        return 0, len(text), 0, len(text)
    starts = [a for a, _ in paras]
    first = max(0, bisect.bisect_right(starts, start) - 1)
    last = min(len(paras) - 1, max(first, bisect.bisect_left(starts, end) - 1))
    # At the ends of the text the region takes the whitespace before or after it too.
    region_lo = 0 if first - 1 <= 0 else paras[first - 1][0]
    region_hi = len(text) if last + 1 >= len(paras) - 1 else paras[last + 1][1]
    i, j = first - 2, last + 2
    window_lo = paras[i - 1][1] if i > 0 else 0
    window_hi = paras[j + 1][0] if j + 1 < len(paras) else len(text)
    return window_lo, window_hi, region_lo, region_hi


def _in_region(f: Finding, lo: int, hi: int) -> bool:
    if f.start == f.end:
        return lo <= f.start <= hi
    return f.start < hi and f.end > lo


@dataclass
class Session:
    """A document being reviewed; nothing reaches the disk before `save()`."""

    path: str
    engines: EngineCache
    source: SourceText | None = None
    text: str = ""
    raw_local: list[Finding] = field(default_factory=list)
    raw_whole: list[Finding] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    dismissed: list[Dismissal] = field(default_factory=list)
    _undo: list[_Step] = field(default_factory=list)
    _redo: list[_Step] = field(default_factory=list)
    _disk: bytes | None = None
    _saved_text: str = ""
    _checked_with: Prepared | None = None  # the engine the current findings come from
    alignment: object = None  # source.align.Alignment when reviewed against a Chinese source

    @classmethod
    def open(cls, path: str, engines: EngineCache, text: str | None = None,
             source_path: str | None = None) -> "Session":
        """Load `path` from disk (or take `text`, for an editor's unsaved buffer) and check
        it; with `source_path`, against that Chinese source, segment by segment (a count
        mismatch is an InputError naming both files)."""
        s = cls(path=path, engines=engines)
        if text is None:
            s._load()
        else:
            s.source, s.text, s._saved_text = SourceText(path, text), text, text
        if source_path is not None:
            from ..source.align import read_alignment

            s.alignment = read_alignment(source_path, s.text, path)
        s.recheck()
        return s

    def _load(self) -> None:
        try:
            with open(self.path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise open_error(self.path, exc) from None
        self.source = decode(data, self.path)
        self._disk = data
        self.text = self._saved_text = self.source.text

    # -- checking ---------------------------------------------------------------------

    @property
    def prepared(self) -> Prepared:
        return self.engines.get(self.path)

    def _doc(self, text: str | None = None) -> Document:
        context = self.prepared.context
        if self.alignment is not None:
            from ..source.align import attach

            context = attach(context, self.alignment)
        return Document(self.text if text is None else text, self.path, context)

    def recheck(self) -> list[Finding]:
        """Check the whole text from scratch (with the current engine)."""
        p = self._checked_with = self.prepared
        doc = self._doc()
        self.raw_local = p.local.check(doc)
        self.raw_whole = p.whole.check(doc)
        return self._publish(doc, p)

    def refresh(self) -> list[Finding]:
        """The findings, re-checked first if a config or rule file changed since."""
        if self.prepared is not self._checked_with:
            return self.recheck()
        return self.findings

    def _publish(self, doc: Document, p: Prepared) -> list[Finding]:
        merged = sorted([*self.raw_local, *self.raw_whole], key=Finding.sort_key)
        if self.alignment is not None:
            from ..source.keep import source_keep

            kept = source_keep(p.keep)(doc, merged)
        else:
            kept = p.keep(doc, merged)
        dismissed = self.dismissed
        self.findings = [f for f in kept if not any(d.hides(f) for d in dismissed)] if dismissed else kept
        return self.findings

    def _recheck_after(self, edit: TextEdit) -> list[Finding]:
        """Re-check what `edit` (already applied to self.text) can have changed."""
        p = self.prepared
        # A config or rule file changed, so all findings may; or the text is paired with a
        # source, whose checks compare whole segment pairs across the document.
        if p is not self._checked_with or self.alignment is not None:
            self.dismissed = [d for d in (_move(d, edit) for d in self.dismissed) if d is not None]
            return self.recheck()
        delta = len(edit.new) - len(edit.old)
        old_text = self.text[:edit.start] + edit.old + self.text[edit.start + len(edit.new):]
        wlo, whi, lo, hi = _regions(old_text, edit.start, edit.end)
        doc = self._doc()
        window = Document(self.text[wlo:whi + delta], self.path, p.context)
        kept = [locate(doc, _shift(f, delta if f.start >= hi else 0)) for f in self.raw_local
                if not _in_region(f, lo, hi)]
        fresh = []
        for f in p.local.check(window):
            f = replace(f, start=f.start + wlo, end=f.end + wlo, path=self.path)
            if _in_region(f, lo, hi + delta):
                fresh.append(locate(doc, f))
        self.raw_local = sorted(kept + fresh, key=Finding.sort_key)
        self.raw_whole = p.whole.check(doc)
        self.dismissed = [d for d in (_move(d, edit) for d in self.dismissed) if d is not None]
        return self._publish(doc, p)

    # -- editing ----------------------------------------------------------------------

    def apply_edit(self, start: int, end: int, replacement: str) -> list[Finding]:
        """Replace text[start:end] with `replacement`, re-check, and record it for undo."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"edit {start}-{end} outside the text (0-{len(self.text)})")
        edit = TextEdit(start, end, self.text[start:end], replacement)
        self._record(_Step(edit=edit))
        return self._do(edit)

    def _record(self, step: _Step) -> None:
        self._undo.append(step)
        del self._undo[:-UNDO_LIMIT]
        self._redo.clear()

    def _do(self, edit: TextEdit) -> list[Finding]:
        self.text = self.text[:edit.start] + edit.new + self.text[edit.end:]
        return self._recheck_after(edit)

    def dismiss(self, f: Finding, scope: str = "here", payload: object = None) -> list[Finding]:
        """Hide a finding for this session (undoable); see `Dismissal` for `scope`. A
        finding hidden "here" shows again when its text is edited."""
        d = Dismissal(f.rule, f.start, f.end, f.text, scope, payload)
        self.dismissed.append(d)
        self._record(_Step(dismissed=(d,)))
        return self._publish(self._doc(), self.prepared)

    def undo(self) -> list[Finding] | None:
        """Undo the last step; None when there is nothing to undo."""
        return self._step(self._undo, self._redo, backwards=True)

    def redo(self) -> list[Finding] | None:
        return self._step(self._redo, self._undo, backwards=False)

    def _step(self, source: list[_Step], target: list[_Step], backwards: bool) -> list[Finding] | None:
        if not source:
            return None
        step = source.pop()
        target.append(step)
        if step.edit is not None:
            return self._do(step.edit.inverse() if backwards else step.edit)
        if backwards:
            self.dismissed = [d for d in self.dismissed if d not in step.dismissed]
        else:
            self.dismissed.extend(step.dismissed)
        return self._publish(self._doc(), self.prepared)

    def forget_dismissals(self, which) -> None:
        """Drop the dismissals `which(d)` selects (once what they stand for is on disk)."""
        self.dismissed = [d for d in self.dismissed if not which(d)]
        for step in self._undo + self._redo:
            step.dismissed = tuple(d for d in step.dismissed if not which(d))

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def dirty(self) -> bool:
        return self.text != self._saved_text

    def find(self, key: str) -> Finding | None:
        return next((f for f in self.findings if finding_key(f) == key), None)

    # -- saving -----------------------------------------------------------------------

    def changed_on_disk(self) -> bool:
        """True when the file's bytes differ from what was loaded (or last saved)."""
        try:
            with open(self.path, "rb") as fh:
                return fh.read() != self._disk
        except OSError:
            return True

    def save(self) -> bool:
        """Write the text atomically; False when there was nothing to write.

        Raises SaveConflict when the file changed on disk since it was loaded.
        """
        if not self.dirty:
            return False
        if self._disk is not None and self.changed_on_disk():
            raise SaveConflict(f"{self.path}: changed on disk since it was opened; "
                               "reload it (your changes here are lost) or save elsewhere")
        data = encode(self.source, self.text)
        # as `mtclean fix` writes: through a symlink, in place for hard links, never over a
        # read-only or non-regular file (the content was compared just above)
        write_back(replace(self.source, path=self.path, stamp=None), data)
        self._disk, self._saved_text = data, self.text
        return True

    def reload(self) -> list[Finding]:
        """Drop the changes and read the file again."""
        self._load()
        self.dismissed, self._undo, self._redo = [], [], []
        return self.recheck()

    @property
    def saved_text(self) -> str:
        return self._saved_text


def _move(d: Dismissal, edit: TextEdit) -> Dismissal | None:
    """A dismissal after `edit`: shifted when after it, kept before it, dropped when touched."""
    if d.scope != "here":
        return d
    old_end = edit.start + len(edit.old)
    if d.end < edit.start or (d.end == edit.start and d.start < d.end):
        return d
    if d.start > old_end or (d.start == old_end and edit.start < old_end):
        delta = len(edit.new) - len(edit.old)
        return replace(d, start=d.start + delta, end=d.end + delta)
    return None
