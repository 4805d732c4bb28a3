"""Grammar backends (LanguageTool, Harper) as engine detectors.

`make_detectors(choice, url, servers)` turns a `--grammar` choice into detectors. A
backend asked for by name that cannot run is an error (ServerError, exit 2); only
`auto` falls back, with one line on stderr. Importing this package is cheap: the
backends (requests, harper-py) load only when a detector is made.
"""

from __future__ import annotations

from ..config import GRAMMAR_CHOICES
from .errors import ServerError


def make_detectors(choice: str, url: str | None = None, servers=None) -> list:
    """Detectors for `--grammar CHOICE` (a URL implies LanguageTool unless CHOICE forbids).

    `servers` (a provision.Servers, owned by the caller) finds or starts the LanguageTool
    server; without one, a new one is made for these detectors. Raises ServerError when
    the backend named by CHOICE cannot run.
    """
    if choice not in GRAMMAR_CHOICES:
        raise ServerError(f"unknown grammar backend {choice!r}; choose one of "
                          f"{', '.join(GRAMMAR_CHOICES)}")
    if choice == "none" and url:
        choice = "languagetool"
    if choice == "none":
        return []
    from . import harper
    from .detectors import HarperDetector, LanguageToolDetector, notice as say

    if choice == "harper":
        harper.require()
        return [HarperDetector()]
    from .provision import Servers

    servers = servers if servers is not None else Servers()
    if choice == "languagetool":
        return [LanguageToolDetector(servers.endpoint(url, on_start=_on_start))]
    if servers.available(url):  # auto: LanguageTool if it can be had, else Harper
        try:
            return [LanguageToolDetector(servers.endpoint(url, on_start=_on_start))]
        except ServerError as exc:
            say(f"{exc}; using Harper instead")
    if harper.available():
        return [HarperDetector()]
    say("no grammar backend is available (run `mtclean languagetool install`, "
        "or pip install 'mtclean[grammar]'); continuing without one")
    return []


def _on_start(message: str) -> None:
    """Tell a person at a terminal why the first check takes half a minute."""
    import sys

    from .detectors import notice

    if sys.stderr.isatty():
        notice(message)


__all__ = ["ServerError", "make_detectors"]
