"""Register the source-aware checks (one module per family) with mtclean.checks."""

from __future__ import annotations

from . import entities, names, numbers, omission, punctuation, untranslated  # noqa: F401
