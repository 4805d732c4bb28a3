"""The documents the editor has open: their text, pending edits and review session.

An editor sends a change per keystroke. Each change is applied to the pending text at
once (cheap); when the server checks (see `schedule` in server.py), all the changes
since the last check become one edit to the session, which re-checks only the
paragraphs that edit touched. A changed configuration or rule file makes the session's
next check a full one, since every finding may depend on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types

from ..editing.prepared import EngineCache, Prepared
from ..editing.session import Session
from ..editing.teach import is_markdown
from ..finding import Finding
from .positions import Positions

LANGUAGES = ("plaintext", "text", "markdown")


def uri_to_path(uri: str) -> str:
    """The file path of a `file:` URI; `-` (the working directory's config) otherwise."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return "-"
    return unquote(parsed.path)


def changed_span(old: str, new: str) -> tuple[int, int, int]:
    """(start, old_end, new_end): the one span outside which `old` and `new` agree.

    Binary search on slices compares in C, so this is fast on long texts."""
    n = min(len(old), len(new))
    lo, hi = 0, n
    while lo < hi:  # longest common prefix
        mid = (lo + hi + 1) // 2
        if old[:mid] == new[:mid]:
            lo = mid
        else:
            hi = mid - 1
    prefix = lo
    lo, hi = 0, n - prefix
    while lo < hi:  # longest common suffix not overlapping the prefix
        mid = (lo + hi + 1) // 2
        if old[len(old) - mid:] == new[len(new) - mid:]:
            lo = mid
        else:
            hi = mid - 1
    return prefix, len(old) - lo, len(new) - lo


@dataclass
class OpenDocument:
    """One open document: the text the editor has, and the session checked against it."""

    uri: str
    path: str
    markdown: bool
    version: int | None
    text: str
    encoding: str
    session: Session | None = None
    prepared: Prepared | None = None
    timer: object | None = None
    last_change: float = float("-inf")  # time.monotonic() of the last change received
    last_check: float = float("-inf")  # ... and of the end of the last check
    fix_all: tuple[str, list] | None = None  # (text, edits) of the last "fix all" asked
    root: Path | None = None  # the workspace folder holding the file (for a new config)
    _positions: Positions | None = field(default=None, repr=False)

    @classmethod
    def opened(cls, item: types.TextDocumentItem, encoding: str) -> "OpenDocument":
        path = uri_to_path(item.uri)
        markdown = item.language_id == "markdown" or is_markdown(path)
        return cls(item.uri, path, markdown, item.version, item.text, encoding)

    @property
    def positions(self) -> Positions:
        """Line starts of the checked text (what the findings' offsets refer to)."""
        text = self.session.text if self.session else self.text
        if self._positions is None or self._positions.text is not text:
            self._positions = Positions(text, self.encoding)
        return self._positions

    def change(self, changes: list, version: int | None) -> None:
        """Apply the editor's changes to the pending text (not yet checked)."""
        for ch in changes:
            if isinstance(ch, types.TextDocumentContentChangePartial):
                pos = Positions(self.text, self.encoding)
                a, b = pos.offset(ch.range.start), pos.offset(ch.range.end)
                self.text = self.text[:a] + ch.text + self.text[b:]
            else:
                self.text = ch.text
        self.version = version

    @property
    def pending(self) -> bool:
        return self.session is None or self.session.text != self.text

    def check(self, engines: EngineCache) -> list[Finding]:
        """Bring the session up to the editor's text: one edit, re-checked where it
        touched (the session re-checks everything when a config or rule file changed)."""
        if self.session is None or self.session.engines is not engines:
            self.session = Session.open(self.path, engines, text=self.text)
        elif self.session.text != self.text:
            start, old_end, new_end = changed_span(self.session.text, self.text)
            self.session.apply_edit(start, old_end, self.text[start:new_end])
        else:
            self.session.refresh()
        self.prepared = self.session.prepared
        return self.session.findings

    def recheck(self, engines: EngineCache) -> list[Finding]:
        """A full check (after a teaching was written or the settings changed)."""
        if self.session is None or self.session.engines is not engines:
            return self.check(engines)
        self.check(engines)
        return self.session.recheck()
