"""mtclean: find and fix machine-translation artifacts in English news text."""

__version__ = "0.1.0"

from .api import check_text, fix_text  # noqa: E402

__all__ = ["check_text", "fix_text", "__version__"]
