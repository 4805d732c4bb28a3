"""Checkpoints for `--resume`: a sidecar JSON file naming what has been committed.

Commit order: the outputs are flushed and fsynced first, then the checkpoint is replaced
atomically. After a crash the checkpoint therefore never names bytes that are not on
disk; bytes written after it are cut off on resume and the input items after
`items` are read again, so no record is lost or written twice.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field

from ..textio import atomic_write
from .records import UsageError

VERSION = 1


def checkpoint_path(output: str) -> str:
    return output + ".mtclean-progress"


def fingerprint(inputs: list[str], settings: dict) -> str:
    """Identify a run by its inputs (names, sizes) and settings."""
    parts = []
    for p in inputs:
        try:
            size = os.stat(p).st_size if p != "-" else None
        except OSError:
            size = None
        parts.append([p, size])
    blob = json.dumps({"inputs": parts, "settings": settings}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:24]


@dataclass
class Checkpoint:
    """Committed progress: input items consumed, output sizes, running counts."""

    fingerprint: str
    items: int = 0
    sizes: dict = field(default_factory=dict)  # sink role -> committed bytes
    counts: dict = field(default_factory=dict)
    complete: bool = False
    version: int = VERSION

    def save(self, path: str) -> None:
        atomic_write(os.path.realpath(path), json.dumps(asdict(self), sort_keys=True).encode("utf-8"))


def load(path: str, expected_fingerprint: str) -> Checkpoint | None:
    """Read the checkpoint for a resumed run; None when there is none yet."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: unreadable checkpoint ({exc}); delete it to start over") from None
    if data.get("version") != VERSION:
        raise UsageError(f"{path}: checkpoint from another mtclean version; delete it to start over")
    if data.get("fingerprint") != expected_fingerprint:
        raise UsageError(f"{path}: checkpoint was written for other inputs or options; "
                         "rerun with the same ones, or delete it to start over")
    return Checkpoint(**data)
