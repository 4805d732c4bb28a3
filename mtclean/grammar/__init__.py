"""Grammar backends (LanguageTool, Harper) as engine detectors.

`make_detectors(choice, url)` returns detectors `fn(doc, findings_so_far) -> [Finding]`.
When a backend cannot run, one line goes to stderr and the others still run: an outage
never changes the exit code, only findings do.
"""

from __future__ import annotations

import sys
import threading

from ..document import Document
from ..finding import Finding
from . import filters, harper, server
from .languagetool import Client, Unavailable, to_finding

CHOICES = ("auto", "languagetool", "harper", "none")


def notice(msg: str) -> None:
    """One line on stderr, in mtclean's usual form."""
    print(f"mtclean: {msg}", file=sys.stderr, flush=True)


class LanguageToolDetector:
    """Checks each document on a LanguageTool server; goes quiet after one outage notice."""

    def __init__(self, url: str, concurrency: int, owned: server.LocalServer | None = None):
        self.client = Client(url, concurrency=concurrency)
        self.owned = owned
        self.failed = False
        self._lock = threading.Lock()

    def _outage(self, exc: Unavailable) -> None:
        with self._lock:
            if self.failed:
                return
            self.failed = True
        reason = str(exc)
        own = self.owned
        if own is not None and own.proc is not None:
            try:
                own.proc.wait(timeout=1)
            except Exception:
                pass
        if own is not None and not own.alive():
            reason = (f"the LanguageTool server we started exited mid-run "
                      f"(code {own.proc.returncode}; log: {own.log_path})")
        notice(f"{reason}; continuing without LanguageTool "
               "(check `mtclean languagetool status`, or use --grammar harper)")

    def __call__(self, doc: Document, prior: list[Finding]) -> list[Finding]:
        if self.failed or not doc.text.strip():
            return []
        try:
            matches = self.client.check(doc)
        except Unavailable as exc:
            self._outage(exc)
            return []
        return filters.apply(doc, [to_finding(doc, m) for m in matches], prior)


def harper_detector(doc: Document, prior: list[Finding]) -> list[Finding]:
    """Harper's kept lints for a document, filtered like LanguageTool's."""
    return filters.apply(doc, harper.findings(doc), prior)


def languagetool_detector(url: str | None = None) -> LanguageToolDetector:
    """A detector on `url`, on `mtclean languagetool serve`'s server, or on one we start.

    Raises server.ServerError (one line) when no server can be had.
    """
    if url:
        if not server.healthy(url, timeout=10):
            raise server.ServerError(f"no LanguageTool server answers at {url}")
        return LanguageToolDetector(url.rstrip("/"), server.DEFAULT_THREADS)
    found = server.served_url()
    if found:
        return LanguageToolDetector(found, server.shared_threads())
    if sys.stderr.isatty() and server.classpath() and server.java_path():
        notice("starting a LanguageTool server for this run "
               "(`mtclean languagetool serve` keeps one running between runs)")
    shared = server.shared_url()
    return LanguageToolDetector(shared, server.shared_threads(), owned=server._SHARED)


def lt_possible(url: str | None) -> bool:
    """Whether `auto` should try LanguageTool: a URL, a served server, or jars plus Java."""
    return bool(url or server.served_url() or (server.classpath() and server.java_path()))


def make_detectors(choice: str, url: str | None = None) -> list:
    """Detectors for `--grammar CHOICE` (a URL implies LanguageTool unless CHOICE forbids)."""
    if choice == "none" and url:
        choice = "languagetool"
    if choice == "none":
        return []
    if choice in ("languagetool", "auto") and (choice == "languagetool" or lt_possible(url)):
        try:
            return [languagetool_detector(url)]
        except server.ServerError as exc:
            if choice == "languagetool":
                notice(f"{exc}; continuing without a grammar checker")
                return []
            notice(f"{exc}; using Harper instead")
    if harper.available():
        return [harper_detector]
    notice("no grammar backend is available (run `mtclean languagetool install`, "
           "or pip install harper-py); continuing without one")
    return []
