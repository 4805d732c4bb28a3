"""Output files of a batch run (cleaned, dropped, errors, findings), compressed by extension.

A sink knows how many bytes it has committed, so a resumed run can cut it back to the
last checkpoint; `sync` flushes and fsyncs before a checkpoint names that size.
"""

from __future__ import annotations

import gzip
import os
import sys
from typing import BinaryIO

from ..errors import MtcleanError
from .records import compression_of


class OutputError(MtcleanError):
    """An output file that cannot be written."""


class Sink:
    """One output stream: a file (plain, .gz or .zst) or stdout/stderr."""

    def __init__(self, path: str, resume_at: int | None = None, header: bytes = b""):
        self.path = path
        self.compressed = compression_of(path) if path not in ("-", "<stderr>") else None
        self._raw: BinaryIO | None = None
        try:
            if path == "-":
                self.fh = sys.stdout.buffer
            elif path == "<stderr>":
                self.fh = sys.stderr.buffer
            elif resume_at is not None:
                self.fh = open(path, "r+b")
                self.fh.truncate(resume_at)
                self.fh.seek(resume_at)
            else:
                self._raw = open(path, "wb")
                self.fh = self._wrap(self._raw)
        except OSError as exc:
            raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
        if header and (resume_at is None or resume_at == 0):
            self.fh.write(header)

    def _wrap(self, raw: BinaryIO) -> BinaryIO:
        if self.compressed == "gzip":
            return gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6)
        if self.compressed == "zstd":
            import zstandard
            return zstandard.ZstdCompressor().stream_writer(raw, closefd=False)
        return raw

    @property
    def seekable(self) -> bool:
        return self.path not in ("-", "<stderr>") and not self.compressed

    def write(self, data: bytes) -> None:
        if data:
            try:
                self.fh.write(data)
            except BrokenPipeError:
                raise OutputError(f"{self.path}: the reader closed the pipe") from None
            except OSError as exc:
                raise OutputError(f"{self.path}: cannot write ({exc.strerror})") from None

    def sync(self) -> int:
        """Flush to disk and return the committed size in bytes."""
        self.fh.flush()
        os.fsync(self.fh.fileno())
        return self.fh.tell()

    def close(self) -> None:
        if self.path in ("-", "<stderr>"):
            self.fh.flush()
            return
        self.fh.close()
        if self._raw is not None and not self._raw.closed:
            self._raw.close()
