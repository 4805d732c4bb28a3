"""Flag mojibake (UTF-8 decoded as Latin-1/Windows-1252 and similar) and propose ftfy's fix.

ftfy decides; mtclean only reports what ftfy would change, word by word, instead of
silently normalizing the whole text. ftfy's other normalizations (curly quotes, widths,
ligatures, line breaks) are switched off: they are style, not corruption.
"""

from __future__ import annotations

import regex

from . import check
from ..finding import Hit

_NON_ASCII = regex.compile(r"[^\x00-\x7F]")
_SPACE = regex.compile(r"\s")
_CONFIG = None


def _config():
    global _CONFIG
    if _CONFIG is None:
        from ftfy import TextFixerConfig

        _CONFIG = TextFixerConfig(
            unescape_html=False, remove_terminal_escapes=False, fix_encoding=True,
            restore_byte_a0=True, replace_lossy_sequences=True, decode_inconsistent_utf8=True,
            fix_c1_controls=True, fix_latin_ligatures=False, fix_character_width=False,
            uncurl_quotes=False, fix_line_breaks=False, fix_surrogates=True,
            remove_control_chars=False, normalization=None, explain=False,
        )
    return _CONFIG


def _token_bounds(text: str, i: int, limit: int = 80) -> tuple[int, int]:
    a = i
    while a > 0 and i - a < limit and not text[a - 1].isspace():
        a -= 1
    b = i
    while b < len(text) and b - i < limit and not text[b].isspace():
        b += 1
    return a, b


@check("mojibake", trigger=lambda text: not text.isascii(), non_ascii=True)  # ASCII cannot be mojibake
def mojibake(doc, rule):
    """Run ftfy on each whitespace-delimited token holding non-ASCII characters."""
    import ftfy
    from ftfy.badness import is_bad

    text = doc.text
    done = -1
    cfg = _config()
    for m in _NON_ASCII.finditer(text):
        if m.start() < done:
            continue
        a, b = _token_bounds(text, m.start())
        # Mojibake of a quotation can span a space ("â€œHello world"): extend to the next
        # token while the tail still looks bad.
        done = b
        if b < len(text) and not text[b].isspace():  # a run with no space (1 MB of 。): one look
            space = _SPACE.search(text, b)
            done = space.start() if space else len(text)
        token = text[a:b]
        if not is_bad(token):
            continue
        fixed = ftfy.fix_text(token, config=cfg)
        if fixed != token:
            yield Hit(a, b, replacement=fixed, message=f"Mojibake: “{token}” reads as “{fixed}”")
