"""JSON for batch records: orjson where it is exact, the standard library where it is not.

Parsing and writing each record was a sixth of a batch run's time with `json`; orjson does
both several times faster. orjson refuses some of what the standard library accepts
(NaN, Infinity, lone surrogates) and reads integers beyond 64 bits as floats, so such a
record falls back to `json` both ways: nothing is lost or altered.
"""

from __future__ import annotations

import json

import orjson

_OPTIONS = orjson.OPT_APPEND_NEWLINE
_COMPACT = (",", ":")
# orjson reads an integer beyond 64 bits as a float, silently; such records go to json.
# The test for 19 digits in a row: digits become "0", everything else a space, then one
# substring search (a regex `[0-9]{19}` tries every position and cost more than parsing).
_RUN = b"0" * 19
_DIGIT_MAP = bytes(48 if 48 <= c <= 57 else 32 for c in range(256))


def _long_number(raw: str | bytes) -> bool:
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    return _RUN in raw.translate(_DIGIT_MAP)


class Loose(dict):
    """A record only the standard library could parse; it is written back the same way."""


def loads(raw: str | bytes):
    """Parse one record; raises ValueError (json's message) when it is not JSON."""
    try:
        if not _long_number(raw):
            return orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass
    try:
        obj = json.loads(raw)  # NaN, huge integers, lone surrogates: json takes them
    except RecursionError:  # orjson stops at 1,024 levels; json would exhaust the stack
        raise ValueError("nested too deeply to parse") from None
    return Loose(obj) if isinstance(obj, dict) else obj


def loads_valid(raw: bytes):
    """A raw line (UTF-8 bytes, line break and all) parsed by orjson when it is valid JSON
    that orjson reads exactly, else None: the caller then decodes and parses it the slow
    way, so a bad line gets the same error either way. A byte order mark is refused too."""
    if raw[:3] == b"\xef\xbb\xbf" or _long_number(raw):
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None


def dumps_line(obj) -> bytes:
    """One JSON line (UTF-8, newline-terminated), compact like orjson writes it."""
    if not isinstance(obj, Loose):
        try:
            return orjson.dumps(obj, option=_OPTIONS)
        except (orjson.JSONEncodeError, TypeError):
            pass
    try:
        return (json.dumps(obj, ensure_ascii=False, separators=_COMPACT) + "\n").encode("utf-8")
    except RecursionError:
        raise ValueError("nested too deeply to write back") from None
    except UnicodeEncodeError:  # a lone surrogate cannot be UTF-8: keep it as a \u escape
        return (json.dumps(obj, ensure_ascii=True, separators=_COMPACT) + "\n").encode("ascii")
