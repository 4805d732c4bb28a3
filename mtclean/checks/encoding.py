"""Flag mojibake (UTF-8 decoded as Latin-1/Windows-1252/MacRoman and similar) and propose
ftfy's fix.

ftfy decides, on the unit it is designed for: one line, as `ftfy.fix_text` splits a text.
A word alone has too little evidence (ftfy repairs "g√¢teaux" only next to "r√©gime")
and cuts mojibake that spans a space ("voilÃ  le"). mtclean then reports each changed
stretch of the line as its own finding, the smallest span that differs between the line
and ftfy's fix, so that applying every finding gives exactly ftfy's text. ftfy's other
normalizations (curly quotes, widths, ligatures, line breaks) are switched off: they are
style, not corruption.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from difflib import SequenceMatcher
from functools import lru_cache

import regex

from . import check
from ..finding import Hit

# ftfy changes a line only when it looks bad (ftfy.badness.is_bad) or holds a C1 control
# or a surrogate; the other lines skip the call. Every match of ftfy's badness pattern
# holds a character of these blocks (Latin-1 to Cyrillic, punctuation to box drawing,
# ligatures, U+FFFD) other than its "common" ones (no-break space, dashes, "…", "’"), and
# is at most six characters long, so is_bad needs to look only around them: most lines
# of English copy hold just a dash or a curly quote or two. The curly quotes ‘ “ ” are
# left out as well: every match that holds one holds another of these characters too (a
# quote is mojibake only next to an accented letter, a symbol, Â, Ã, Cyrillic...), and
# ftfy is not even imported for a line that holds none.
# (As ranges for the stdlib `re`, which scans a class seven times faster than `regex`:
# U+0080-04FF, U+2000-25FF, U+F8FF, U+FB00-FB4F, U+FFFD and surrogates, less
# \xa0 \xad \xb4 \xb7 – — ― … ‘ ’ “ ”; tests/test_encoding.py holds it to that.)
_SUSPECT = re.compile(
    "[\x80-\x9f\xa1-\xac\xae-\xb3\xb5\xb6\xb8-\u04ff\u2000-\u2012\u2016\u2017"
    "\u201a\u201b\u201e-\u2025\u2027-\u25ff\ud800-\udfff\uf8ff\ufb00-\ufb4f\ufffd]")
_C1_OR_SURROGATE = re.compile("[\x80-\x9f\ud800-\udfff]")
_REACH = 6
_INVISIBLE = regex.compile(r"[\x00-\x1f\x7f-\x9f\u00a0\ud800-\udfff]")
_CONFIG = None


def config():
    """ftfy's settings for mtclean: encoding repairs only."""
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


def _looks_bad(line: str) -> bool:
    """ftfy.badness.is_bad(line), or True for a few more lines, at a fraction of the cost:
    it runs only on windows around the characters that mojibake is made of."""
    lo = hi = None
    for m in _SUSPECT.finditer(line):
        p = m.start()
        if hi is None or p - _REACH > hi:  # a new window; judge the last one first
            if hi is not None and _is_bad(line[lo:hi]):
                return True
            lo = max(0, p - _REACH)
        hi = p + _REACH + 1
    return hi is not None and _is_bad(line[lo:hi])


def _is_bad(window: str) -> bool:
    return _badness().is_bad(window)


@lru_cache(maxsize=1)
def _badness():
    """ftfy's badness heuristic, loaded once a line holds a suspect character.
    `ftfy/badness.py` imports nothing of its package, but an import of it runs the
    package's `__init__` first, which loads ftfy's character tables and wcwidth (about
    40 ms) that only a line to repair needs: so it is loaded from its file alone, unless
    ftfy is imported already (or is laid out otherwise)."""
    mod = sys.modules.get("ftfy.badness")
    if mod is not None:
        return mod
    try:
        spec = importlib.util.find_spec("ftfy")  # finds, does not import, the package
        path = os.path.join(spec.submodule_search_locations[0], "badness.py")
        alone = importlib.util.spec_from_file_location("mtclean_ftfy_badness", path)
        mod = importlib.util.module_from_spec(alone)
        alone.loader.exec_module(mod)
        return mod
    except Exception:  # noqa: BLE001 - a zipped or unusual install: import it as usual
        return importlib.import_module("ftfy.badness")


def fix_line(line: str) -> str:
    """ftfy's repair of one line (with its line break), or the line itself."""
    if line.isascii() or not (_C1_OR_SURROGATE.search(line) or _looks_bad(line)):
        return line
    from ftfy import fix_text

    return fix_text(line, config=config())


def lines(text: str):
    """Yield (offset, line) for each line, its "\\n" included: ftfy's own unit."""
    pos, n = 0, len(text)
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl + 1
        yield pos, text[pos:end]
        pos = end


def changed_spans(old: str, new: str) -> list[tuple[int, int, int, int]]:
    """Minimal (old_start, old_end, new_start, new_end) stretches where `new` differs from
    `old`, by a character alignment; stretches that touch are one."""
    a = 0
    limit = min(len(old), len(new))
    while a < limit and old[a] == new[a]:
        a += 1
    z = 0
    while z < limit - a and old[-1 - z] == new[-1 - z]:
        z += 1
    out: list[list[int]] = []
    matcher = SequenceMatcher(None, old[a:len(old) - z], new[a:len(new) - z], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if out and out[-1][1] == a + i1:
            out[-1][1], out[-1][3] = a + i2, a + j2
        else:
            out.append([a + i1, a + i2, a + j1, a + j2])
    return [tuple(span) for span in out]


def _visible(s: str) -> str:
    """Show control characters and no-break spaces in a message ("\\x85", "\\xa0")."""
    return _INVISIBLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                          else f"\\u{ord(m.group()):04x}", s)


@check("mojibake", trigger=lambda doc: not doc.text.isascii(), non_ascii=True)  # ASCII cannot be mojibake
def mojibake(doc, rule):
    """Run ftfy on each line that may hold mojibake; report each changed stretch."""
    for offset, line in lines(doc.text):
        if line.isascii():
            continue
        fixed = fix_line(line)
        if fixed == line:
            continue
        for i1, i2, j1, j2 in changed_spans(line, fixed):
            bad, good = line[i1:i2], fixed[j1:j2]
            # a deletion reads better with the character it sits before ("Â\xa0" → "\xa0")
            ctx = line[i2:i2 + 1] if not (bad and good) else ""
            yield Hit(offset + i1, offset + i2, replacement=good,
                      message=f"Mojibake: “{_visible(bad + ctx)}” reads as “{_visible(good + ctx)}”")
