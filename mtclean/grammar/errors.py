"""The one error a grammar backend raises when it cannot be installed, started or reached."""

from __future__ import annotations

from ..errors import MtcleanError


class ServerError(MtcleanError):
    """LanguageTool or Harper cannot be had; str() is one line that says what to do (exit 2)."""
