"""The files under review and what the page can do to them, without any HTTP.

The page refers to files by the names `files()` lists and to findings by the keys
`finding_key` gives; nothing the client sends is ever used as a path, so only the files
named on the command line or found under its folders can be read or written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import config as config_mod
from .. import fixes
from ..editing import teach
from ..editing.prepared import EngineCache
from ..editing.session import SaveConflict, Session, candidates, finding_key
from ..errors import InputError, MtcleanError
from ..finding import Finding
from ..report.diff import unified_diff
from ..ruledoc import render_rule

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
TEACHINGS = ("ignore", "spelling", "disable")


class NotServed(MtcleanError):
    """A file name that is not one of the files under review."""


class Stale(MtcleanError):
    """A finding key that no longer names a finding (the text changed meanwhile)."""


@dataclass(frozen=True)
class Pending:
    """A teaching to write at Save (a sidecar entry or a lexicon change), kept on the
    session's undo stack as a dismissal so Undo takes it back."""

    kind: str
    finding: Finding
    title: str


def find_files(paths: list[str], config: str | None = None) -> dict[str, Path]:
    """Map each file's display name to its resolved path: files as named, text files
    under folders (with the configuration's excludes)."""
    out: dict[str, Path] = {}
    seen: set[Path] = set()  # one name per file, however often it is reached

    def add(name: str, f: Path) -> None:
        real = f.resolve()
        if real not in seen:
            seen.add(real)
            out[name] = real

    for p in paths:
        path = Path(p)
        if path.is_dir():
            cfg = config_mod.for_path(str(path / "x"), config)
            for f in sorted(path.rglob("*")):
                if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES and not cfg.is_excluded(f):
                    add(str(f), f)
        elif path.is_file():
            add(str(path), path)
        else:
            raise InputError(f"{p}: no such file or directory")
    if not out:
        raise InputError(f"{', '.join(paths)}: no text files (*.txt, *.md) to review")
    return out


@dataclass
class Workspace:
    """Sessions for the files under review, opened on first use."""

    roots: list[str]
    engines: EngineCache
    config: str | None = None
    source: str | None = None  # a Chinese source file, for a single target file
    _files: dict[str, Path] = field(default_factory=dict)
    _sessions: dict[str, Session] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._files = find_files(self.roots, self.config)
        if self.source is not None:
            if len(self.roots) != 1 or len(self._files) != 1:
                raise InputError(f"--source {self.source} pairs with one target file, not "
                                 f"{', '.join(self.roots)}; review one file with its source")
            self.session(next(iter(self._files)))  # a misaligned pair is an error at start

    def files(self) -> list[dict]:
        """The files under review (folders are looked at again: new files show up)."""
        self._files = {**find_files(self.roots, self.config), **{
            n: p for n, p in self._files.items() if n in self._sessions}}
        return [{"name": n, "dirty": n in self._sessions and self._sessions[n].dirty}
                for n in self._files]

    def unsaved(self) -> list[str]:
        """Files with changes or teachings not yet saved."""
        return [n for n, s in self._sessions.items() if s.dirty or self.pending(s)]

    def session(self, name: str) -> Session:
        if name not in self._files:
            raise NotServed(f"{name}: not one of the files under review")
        s = self._sessions.get(name)
        if s is None:
            s = self._sessions[name] = Session.open(str(self._files[name]), self.engines,
                                                    source_path=self.source)
        return s

    # -- what the page shows ------------------------------------------------------------

    def state(self, name: str) -> dict:
        s = self.session(name)
        s.refresh()
        prepared = s.prepared
        out = []
        for f in s.findings:
            rule = prepared.rule(f.rule)
            d = f.as_dict()
            d.update(key=finding_key(f), candidates=candidates(f, s.findings),
                     path=name, teach=self._teachings_for(s, f),
                     documented=rule is not None)
            if f.source_span is not None:
                d.update(_source_of(s, f))
            out.append(d)
        return {"file": name, "text": s.text, "findings": out, "dirty": s.dirty,
                "pending": [p.title for p in self.pending(s)],
                "can_undo": s.can_undo, "can_redo": s.can_redo}

    @staticmethod
    def _teachings_for(s: Session, f: Finding) -> list[str]:
        kinds = ["ignore", "disable"]
        if f.rule in teach.NAME_RULES and f.fix is not None:
            kinds.insert(1, "spelling")
        if not teach.is_markdown(s.path) and (not f.text or "\n" in f.text or "\r" in f.text):
            kinds.remove("ignore")
        return kinds

    def rule_doc(self, name: str, rule_id: str) -> str:
        rule = self.session(name).prepared.rule(rule_id)
        if rule is None:
            raise Stale(f"{rule_id}: no such rule")
        return render_rule(rule)

    # -- actions ------------------------------------------------------------------------

    def _finding(self, s: Session, key: str) -> Finding:
        f = s.find(key)
        if f is None:
            raise Stale("that finding is gone (the text changed); the list is refreshed")
        return f

    def accept(self, name: str, key: str, replacement: str | None = None) -> dict:
        """Apply a finding's fix, or one of its candidates."""
        s = self.session(name)
        f = self._finding(s, key)
        options = candidates(f, s.findings)
        if not options:
            raise Stale(f"{f.rule} has no fix to accept; edit the text instead")
        choice = options[0] if replacement is None else replacement
        if choice not in options:
            raise Stale("that replacement is not one this finding offers; use Edit")
        s.apply_edit(f.start, f.end, choice)
        return self.state(name)

    def edit(self, name: str, key: str, replacement: str) -> dict:
        """Replace a finding's text with what the editor typed."""
        s = self.session(name)
        f = self._finding(s, key)
        s.apply_edit(f.start, f.end, replacement)
        return self.state(name)

    def reject(self, name: str, key: str) -> dict:
        s = self.session(name)
        s.dismiss(self._finding(s, key))
        return self.state(name)

    def accept_safe(self, name: str) -> dict:
        """Apply every safe fix as one undoable step (as `mtclean fix` would, one round)."""
        s = self.session(name)
        edits = fixes.plan(s.findings, unsafe=False)
        if edits:  # the span from the first edit to the last, fixed: one step to undo
            a, b = edits[0].start, edits[-1].end
            fixed = fixes.apply(s.text, edits)
            s.apply_edit(a, b, fixed[a:len(fixed) - (len(s.text) - b)])
        return self.state(name)

    def teach(self, name: str, key: str, kind: str) -> dict:
        """Ignore always, this spelling is right, or disable the rule in this file.

        Inline comments (Markdown) become edits of the text; sidecar and lexicon changes
        are written at Save. Either way the finding goes at once and Undo takes it back.
        """
        if kind not in TEACHINGS:
            raise Stale(f"{kind}: unknown action")
        s = self.session(name)
        f = self._finding(s, key)
        if kind == "spelling":
            t = teach.spelling_is_right(s.path, f, config_file=self.config)
        elif kind == "disable":
            t = teach.disable_rule(s.text, s.path, f)
        else:
            t = teach.ignore_always(s.text, s.path, f)
        if t is None:
            raise Stale(f"{f.rule}: this cannot be taught here; use Reject")
        if t.edits:
            (e,) = t.edits
            s.apply_edit(e.start, e.end, e.replacement)
        else:
            scope = "rule" if kind == "disable" else "text"
            s.dismiss(f, scope=scope, payload=Pending(kind, f, t.title))
        return self.state(name)

    def undo(self, name: str) -> dict:
        self.session(name).undo()
        return self.state(name)

    def redo(self, name: str) -> dict:
        self.session(name).redo()
        return self.state(name)

    @staticmethod
    def pending(s: Session) -> list[Pending]:
        return [d.payload for d in s.dismissed if isinstance(d.payload, Pending)]

    # -- saving -------------------------------------------------------------------------

    def diff(self, name: str) -> dict:
        """What Save would write: the document's diff and each teaching's file change."""
        s = self.session(name)
        changes = []
        for p in self.pending(s):
            t = self._teaching(s, p)
            for c in (t.files if t else ()):
                before = c.before.decode("utf-8", "replace") if c.before else ""
                changes.append({"title": p.title, "diff": unified_diff(
                    before, c.after.decode("utf-8", "replace"), self._display(c.path))})
        return {"file": name, "diff": unified_diff(s.saved_text, s.text, name),
                "files": changes, "conflict": s.changed_on_disk()}

    def _display(self, path: Path) -> str:
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(path)

    def _teaching(self, s: Session, p: Pending) -> teach.Teaching | None:
        if p.kind == "spelling":
            return teach.spelling_is_right(s.path, p.finding, config_file=self.config)
        if p.kind == "disable":
            return teach.disable_rule(s.saved_text, s.path, p.finding)
        return teach.ignore_always(s.saved_text, s.path, p.finding)

    def save(self, name: str) -> dict:
        """Write the teachings, then the document (atomically); refuse if it changed on disk."""
        s = self.session(name)
        if s.changed_on_disk():
            raise SaveConflict(f"{name}: changed on disk since it was opened; reload it "
                               "(your changes here are dropped) or copy them elsewhere first")
        for p in self.pending(s):
            t = self._teaching(s, p)  # one at a time: each sees the file the last one wrote
            if t is not None:
                teach.write_files(t)
        s.save()
        s.forget_dismissals(lambda d: isinstance(d.payload, Pending))
        s.recheck()
        return self.state(name)

    def reload(self, name: str) -> dict:
        self.session(name).reload()
        return self.state(name)


__all__ = ["Workspace", "NotServed", "Stale", "SaveConflict", "find_files"]


def _source_of(s: Session, f: Finding) -> dict:
    """The source text a source-aware finding is about (its `source_span` in the source
    segment of the target segment holding it), and that segment's line in the source."""
    for pair in s.alignment.pairs(s.text) if s.alignment is not None else ():
        if pair.start <= f.start <= pair.end:
            a, b = f.source_span
            return {"source_text": pair.source[a:b], "source_line": pair.source_line}
    return {}
