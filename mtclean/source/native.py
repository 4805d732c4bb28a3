"""The C twins of the source checks' hot loops (`_speedups`), or None.

setup.py builds `_speedups` where a C compiler is at hand; each module that uses it keeps
the Python twin it mirrors, which runs where the module is not built, or when
MTCLEAN_PURE_PYTHON is set (to compare the two, or to rule the C side out of a bug).
tests/test_source_speedups.py holds each pair to the same results.
"""

from __future__ import annotations

import os

speedups = None
if not os.environ.get("MTCLEAN_PURE_PYTHON"):
    try:
        from . import _speedups as speedups
    except ImportError:  # pragma: no cover - depends on the install
        speedups = None
