"""mtclean: find and fix machine-translation artifacts in English news text.

The public functions are loaded on first use (PEP 562), so `import mtclean` costs nothing
until one is called: `check_text`, `fix_text`, `CheckContext` (docs/api.md) and `sentences`
(docs/detectors.md).
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> the module that defines it
_LAZY = {"check_text": "api", "fix_text": "api", "CheckContext": "document"}

__all__ = [*_LAZY, "sentences", "__version__"]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'mtclean' has no attribute {name!r}")


def sentences(text: str) -> list[tuple[int, int]]:
    """Split `text` into sentences: (start, end) code-point spans, end exclusive, in order.

    Paragraphs (separated by blank lines) never share a sentence; spans never start or end
    with whitespace and index `text` as given (it is never rewritten), so `text[a:b]` is
    the sentence. See docs/detectors.md, "Sentence boundaries".
    """
    from .segment import split_sentences  # imported on call: the package namespace stays the API

    return split_sentences(text)
