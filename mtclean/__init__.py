"""mtclean: find and fix machine-translation artifacts in English news text."""

__version__ = "0.1.0"

from .api import check_text, fix_text  # noqa: E402

__all__ = ["check_text", "fix_text", "sentences", "__version__"]


def sentences(text: str) -> list[tuple[int, int]]:
    """Split `text` into sentences: (start, end) code-point spans, end exclusive, in order.

    Paragraphs (separated by blank lines) never share a sentence; spans never start or end
    with whitespace and index `text` as given (it is never rewritten), so `text[a:b]` is
    the sentence. See docs/detectors.md, "Sentence boundaries".
    """
    from .segment import split_sentences  # imported on call: the package namespace stays the API

    return split_sentences(text)
