"""Grammar backends as engine detectors `fn(doc, findings_so_far) -> [Finding]`.

Each detector owns what it needs (an HTTP client and its endpoint, Harper linters), so
nothing is shared through module globals. Findings pass through the MT-aware filters.
"""

from __future__ import annotations

import sys
import threading

from ..document import Document
from ..finding import Finding
from . import filters, harper
from .languagetool import Client, Unavailable, to_finding
from .provision import Endpoint


def notice(msg: str) -> None:
    """One line on stderr, in mtclean's usual form."""
    print(f"mtclean: {msg}", file=sys.stderr, flush=True)


class LanguageToolDetector:
    """Checks each document on a LanguageTool server; goes quiet after one outage notice."""

    def __init__(self, endpoint: Endpoint | str, concurrency: int | None = None):
        if isinstance(endpoint, str):
            endpoint = Endpoint(endpoint.rstrip("/"), concurrency or 2)
        self.endpoint = endpoint
        self.client = Client(endpoint.url, concurrency=concurrency or endpoint.threads)
        self.failed = False
        self._lock = threading.Lock()

    def _outage(self, exc: Unavailable) -> None:
        with self._lock:
            if self.failed:
                return
            self.failed = True
        reason = str(exc)
        own = self.endpoint.started
        if own is not None and own.proc is not None:
            try:
                own.proc.wait(timeout=1)
            except Exception:
                pass
            if not own.alive():
                reason = (f"the LanguageTool server we started exited mid-run "
                          f"(code {own.proc.returncode}; log: {own.log_path})")
        notice(f"{reason}; continuing without LanguageTool "
               "(check `mtclean languagetool status`, or use --grammar harper)")

    def prefetch(self, doc: Document) -> None:
        """Start checking a document that comes next (see Client.prefetch)."""
        if not self.failed and doc.text.strip():
            self.client.prefetch(doc)

    def __call__(self, doc: Document, prior: list[Finding]) -> list[Finding]:
        if self.failed or not doc.text.strip():
            return []
        try:
            matches = self.client.check(doc)
        except Unavailable as exc:
            self._outage(exc)
            return []
        return filters.apply(doc, [to_finding(doc, m) for m in matches], prior)


class HarperDetector:
    """Harper's kept lints for a document, filtered like LanguageTool's."""

    def __init__(self):
        self.checker = harper.Checker()

    def __call__(self, doc: Document, prior: list[Finding]) -> list[Finding]:
        kept = filters.apply(doc, self.checker.findings(doc), prior)
        return self.checker.drop_british(kept)
