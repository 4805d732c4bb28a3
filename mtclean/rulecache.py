"""Parsed rule and gazetteer files kept on disk, so a start-up parses no unchanged YAML.

Parsing the built-in rule files and the gazetteer is a tenth of a `mtclean check` on a
small file. What one file parses to is pickled under the user cache
(config.cache_root()/rules), keyed by a hash of the file's bytes, its path and the code
that parses it (this module, rules.py, yamlio.py, finding.py, gate.py, the checks
registry, the gazetteer reader): an edited file or a new mtclean reads the file again. A
cache that cannot be read or written is passed over silently; a file with an error is
never cached, so the error is reported on every run.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Callable

from .config import cache_root

_PACKAGE = Path(__file__).resolve().parent
_CODE = ("rulecache.py", "rules.py", "yamlio.py", "finding.py", "gate.py", "checks/__init__.py",
         "lexicon/gazetteer.py")


@lru_cache(maxsize=1)
def _code() -> bytes:
    """The parser's own version: its files' sizes and modification times."""
    parts = []
    for name in _CODE:
        st = os.stat(_PACKAGE / name)
        parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts).encode()


def cached(path: str, data: bytes, parse: Callable[[], list]) -> list:
    """`parse()`'s result for the file `path` holding `data`, from the cache when the same
    bytes were parsed by the same code before."""
    key = hashlib.blake2b(data + b"\0" + path.encode("utf-8", "surrogateescape") + b"\0" + _code(),
                          digest_size=20).hexdigest()
    entry = cache_root() / "rules" / f"{key}.pickle"
    try:
        with open(entry, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # missing, unreadable, or written by another version: parse again
        pass
    rules = parse()
    tmp = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            pickle.dump(rules, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)  # atomic: a concurrent reader sees the whole entry or none
    except (OSError, pickle.PicklingError):
        try:
            tmp.unlink()
        except OSError:
            pass
    return rules
