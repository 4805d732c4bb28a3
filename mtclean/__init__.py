"""mtclean: find and fix machine-translation artifacts in English news text.

The public functions are loaded on first use (PEP 562), so `import mtclean` costs nothing
until one is called: `check_text` and `fix_text` (docs/api.md).
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> the module that defines it
_LAZY = {"check_text": "api", "fix_text": "api"}

__all__ = [*_LAZY, "__version__"]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'mtclean' has no attribute {name!r}")
