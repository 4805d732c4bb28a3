"""Code actions for the findings under the cursor, and "fix all safe issues".

Fixes and inline comments are workspace edits the editor applies itself (so they land in
its undo history); teachings that write other files (the sidecar, the names lexicon) are
commands the server runs, since only it may write those atomically and without clobbering.
"""

from __future__ import annotations

import difflib

from lsprotocol import types

from .. import fixes
from ..document import Document
from ..editing import teach
from ..editing.session import candidates, finding_key
from ..errors import MtcleanError
from ..finding import Finding
from .diagnostics import diagnostic
from .documents import OpenDocument

TEACH_COMMAND = "mtclean.teach"
FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.mtclean"
MAX_FIX_ROUNDS = 10


def workspace_edit(doc: OpenDocument, edits) -> types.WorkspaceEdit:
    """Edits given as (start, end, replacement) in code points, versioned so a stale one
    is refused by the editor."""
    pos = doc.positions
    text_edits = [types.TextEdit(pos.range(a, b), new) for a, b, new in edits]
    ident = types.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version)
    return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(ident, text_edits)])


def _fix_title(f: Finding, replacement: str) -> str:
    if not replacement:
        return f"Delete {teach.quoted(f.text)} ({f.rule})"
    if not f.text:
        return f"Insert {teach.quoted(replacement)} ({f.rule})"
    return f"Replace {teach.quoted(f.text)} with {teach.quoted(replacement)} ({f.rule})"


def _overlaps(f: Finding, a: int, b: int) -> bool:
    return f.start <= b and a <= f.end


def actions_at(doc: OpenDocument, rng: types.Range, only: list[str] | None,
               rules: dict, config_file: str | None = None) -> list[types.CodeAction]:
    """Quick fixes and teachings for the findings in `rng`, then the source actions
    (`config_file`: the configuration the client's settings name, if any)."""
    session = doc.session
    if session is None:
        return []
    pos = doc.positions
    a, b = pos.offset(rng.start), pos.offset(rng.end)
    out: list[types.CodeAction] = []
    want_quick = not only or any(k.startswith(types.CodeActionKind.QuickFix.value) for k in only)
    want_fix_all = not only or any(FIX_ALL_KIND.startswith(k) for k in only)
    if want_quick:
        for f in session.findings:
            if _overlaps(f, a, b):
                out.extend(_for_finding(doc, f, session.findings, rules.get(f.rule), config_file))
    if want_fix_all and any(f.fix is not None and f.fix.safety == "safe" for f in session.findings):
        edits = fix_all_edits(doc)
        if edits:
            out.append(types.CodeAction(
                title="Fix all safe mtclean issues", kind=FIX_ALL_KIND, edit=workspace_edit(doc, edits)))
    return out


def _for_finding(doc: OpenDocument, f: Finding, findings: list[Finding], rule,
                 config_file: str | None) -> list[types.CodeAction]:
    diag = [diagnostic(f, doc.positions, rule)]
    out = []
    for i, rep in enumerate(candidates(f, findings)):
        out.append(types.CodeAction(
            title=_fix_title(f, rep), kind=types.CodeActionKind.QuickFix, diagnostics=diag,
            is_preferred=(i == 0 and f.fix is not None and f.fix.safety == "safe"),
            edit=workspace_edit(doc, [(f.start, f.end, rep)])))
    for kind in TEACHINGS:
        try:
            t = _teaching(doc, f, kind, config_file)
        except MtcleanError:  # e.g. a lexicon that does not parse: offer the rest
            continue
        if t is None:
            continue
        action = types.CodeAction(title=t.title, kind=types.CodeActionKind.QuickFix, diagnostics=diag)
        if t.files:  # written by the server: it re-derives the teaching when run
            action.command = types.Command(title=t.title, command=TEACH_COMMAND,
                                           arguments=[doc.uri, kind, finding_key(f)])
        elif t.edits:
            action.edit = workspace_edit(doc, [(e.start, e.end, e.replacement) for e in t.edits])
        else:
            continue  # already taught
        out.append(action)
    return out


def fix_all_edits(doc: OpenDocument) -> list[tuple[int, int, str]]:
    """The safe fixes `mtclean fix` would make, as line-level edits of the current text
    (kept for that text: editors ask for code actions at every cursor move)."""
    session = doc.session
    if doc.fix_all is not None and doc.fix_all[0] is session.text:
        return doc.fix_all[1]
    doc.fix_all = (session.text, _fix_all(session))
    return doc.fix_all[1]


def _fix_all(session) -> list[tuple[int, int, str]]:
    p = session.prepared
    text = session.text
    for _ in range(MAX_FIX_ROUNDS):
        d = Document(text, session.path, p.context)
        found = p.keep(d, sorted(p.local.check(d) + p.whole.check(d), key=Finding.sort_key))
        planned = fixes.plan(found, unsafe=False)
        new = fixes.apply(text, planned) if planned else text
        if new == text:
            break
        text = new
    if text == session.text:
        return []
    return line_edits(session.text, text)


def line_edits(old: str, new: str) -> list[tuple[int, int, str]]:
    """Edits turning `old` into `new`, one per block of changed lines."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    starts = [0]
    for line in a:
        starts.append(starts[-1] + len(line))
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            out.append((starts[i1], starts[i2], "".join(b[j1:j2])))
    return out


TEACHINGS = ("ignore", "spelling", "disable")


def _teaching(doc: OpenDocument, f: Finding, kind: str, config_file: str | None
              ) -> teach.Teaching | None:
    if kind == "ignore":
        return teach.ignore_always(doc.session.text, doc.path, f, markdown=doc.markdown)
    if kind == "spelling" and doc.path != "-":
        return teach.spelling_is_right(doc.path, f, doc.root, config_file)
    if kind == "disable":
        return teach.disable_rule(doc.session.text, doc.path, f, markdown=doc.markdown)
    return None


def run_teaching(doc: OpenDocument, kind: str, key: str, config_file: str | None = None
                 ) -> teach.Teaching | None:
    """Re-derive a teaching for the finding with `key` in the current text."""
    f = doc.session.find(key) if doc.session else None
    return _teaching(doc, f, kind, config_file) if f is not None else None
