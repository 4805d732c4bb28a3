"""Read and write corpus records: JSONL, plain text (a segment a line) and TSV.

Files are read as raw byte lines so a bad line (invalid UTF-8, broken JSON, a missing
field) becomes one malformed record with its line number instead of stopping the run.
Compression follows the extension (`.gz`, `.zst`/`.zstd`); stdin is sniffed instead.
"""

from __future__ import annotations

import base64
import io
import os
import stat
import zlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

from ..errors import InputError, MtcleanError
from ..textio import format_size, open_error
from . import jsonl

FORMATS = ("jsonl", "text", "tsv")
MAX_LINE_BYTES = 256 << 20  # one record; a longer "line" is not a corpus record
_COMPRESSED = {".gz": "gzip", ".zst": "zstd", ".zstd": "zstd"}
_FORMAT_BY_SUFFIX = {".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl",
                     ".tsv": "tsv", ".txt": "text", ".text": "text"}


class UsageError(MtcleanError):
    """A bad combination of options or inputs (exit 2, one line)."""


def compression_of(path: str) -> str | None:
    return _COMPRESSED.get(Path(path).suffix.lower())


def format_of(path: str) -> str | None:
    """Guess the record format from the extension, looking through .gz/.zst."""
    p = Path(path)
    if compression_of(path):
        p = p.with_suffix("")
    return _FORMAT_BY_SUFFIX.get(p.suffix.lower())


class DamagedStream(Exception):
    """A compressed input that ends mid-stream or fails its checks."""


def _decompressor(kind: str):
    if kind == "gzip":
        return zlib.decompressobj(wbits=31)  # gzip header and CRC checked
    import zstandard
    return zstandard.ZstdDecompressor().decompressobj()


class _Decompressed(io.RawIOBase):
    """A decompressed view of a gzip/zstd stream (several members/frames allowed) that
    raises DamagedStream at a cut or corrupt stream instead of ending quietly."""

    def __init__(self, raw: BinaryIO, kind: str):
        self._raw, self._kind = raw, kind
        self._dec = _decompressor(kind)
        self._started = False
        self._pending = memoryview(b"")
        self._pos = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def _fill(self) -> bytes:
        while not self._done:
            block = self._raw.read(1 << 16)
            if not block:
                self._done = True
                if self._started:
                    raise DamagedStream("the compressed stream ends before its end marker")
                return b""
            out = bytearray()
            while block:
                self._started = True
                try:
                    out += self._dec.decompress(block)
                except Exception as exc:  # zlib.error, zstandard.ZstdError
                    raise DamagedStream(f"corrupt data ({exc})") from None
                if not self._dec.eof:
                    break
                block = self._dec.unused_data  # the next member/frame, if any
                self._dec = _decompressor(self._kind)
                self._started = False
            if out:
                return bytes(out)
        return b""

    def readinto(self, buf) -> int:
        if self._pos >= len(self._pending):
            self._pending, self._pos = memoryview(self._fill()), 0
        n = min(len(buf), len(self._pending) - self._pos)
        buf[:n] = self._pending[self._pos:self._pos + n]
        self._pos += n
        return n

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


def _wrap(raw: BinaryIO, kind: str | None) -> BinaryIO:
    if kind is None:
        return raw
    return io.BufferedReader(_Decompressed(raw, kind), buffer_size=1 << 16)


_stdin: BinaryIO | None = None


def _open_stdin() -> BinaryIO:
    """stdin, decompressed when it starts with gzip or zstd magic bytes (opened once)."""
    global _stdin
    if _stdin is None:
        raw = sys.stdin.buffer
        head = raw.peek(4)[:4] if hasattr(raw, "peek") else b""
        kind = "gzip" if head[:2] == b"\x1f\x8b" else "zstd" if head == b"\x28\xb5\x2f\xfd" else None
        _stdin = _wrap(raw, kind)
    return _stdin


def open_input(path: str) -> BinaryIO:
    """Open an input for reading bytes, decompressing by extension (stdin: by magic)."""
    if path == "-":
        return _open_stdin()
    try:
        raw = open(path, "rb")
        mode = os.fstat(raw.fileno()).st_mode
    except OSError as exc:
        raise open_error(path, exc, "; pass the files inside it") from None
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):  # /dev/zero would be one endless record
        raw.close()
        raise InputError(f"{path}: is a device; batch reads files, pipes and stdin")
    return _wrap(raw, compression_of(path))


def sniff_stdin_format() -> str:
    """JSONL when (decompressed) stdin starts with '{', else plain text."""
    fh = _open_stdin()
    try:
        head = fh.peek(64)[:64] if hasattr(fh, "peek") else b""
    except (OSError, EOFError):
        head = b""
    return "jsonl" if head.lstrip()[:1] == b"{" else "text"


@dataclass(frozen=True)
class Source:
    """One input and how to find the text (and document id) in its records."""

    name: str
    fmt: str
    text_field: str = "text"      # JSONL key; for TSV a 0-based column number as a string
    doc_field: str | None = None  # same convention as text_field
    source_field: str | None = None  # the Chinese source (source-aware checks); same convention


@dataclass
class Parsed:
    """One input line after parsing: the record, its text, or why it is malformed."""

    lineno: int
    raw: bytes
    obj: object = None          # dict for JSONL, list of columns for TSV, None for text
    text: str | None = None
    doc: str | None = None
    error: str | None = None
    eol: str = "\n"
    source: str | None = None   # the record's source text, when --source-field names one


def split_eol(line: str) -> tuple[str, str]:
    if line.endswith("\r\n"):
        return line[:-2], "\r\n"
    if line.endswith("\n"):
        return line[:-1], "\n"
    return line, "\n"


def parse(src: Source, lineno: int, raw: bytes) -> Parsed:
    """Decode and parse one line; never raises (problems become `error`)."""
    if src.fmt == "jsonl":
        obj = jsonl.loads_valid(raw)  # most lines: valid JSON, parsed from the bytes at once
        if type(obj) is dict:
            return _record(src, lineno, raw, obj, "\r\n" if raw.endswith(b"\r\n") else "\n")
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Parsed(lineno, raw, error=f"invalid UTF-8 at byte {exc.start} of the line")
    body, eol = split_eol(line)
    if lineno == 1 and body.startswith("\ufeff"):
        body = body[1:]
    if src.fmt == "text":
        return Parsed(lineno, raw, text=body, eol=eol)
    if src.fmt == "tsv":
        cols = body.split("\t")
        i = int(src.text_field)
        if i >= len(cols):
            return Parsed(lineno, raw, error=f"no column {i + 1} (the line has {len(cols)})")
        doc = None
        if src.doc_field is not None:
            j = int(src.doc_field)
            doc = cols[j] if j < len(cols) else None
        k = int(src.source_field) if src.source_field is not None else len(cols)
        return Parsed(lineno, raw, obj=cols, text=cols[i], doc=doc, eol=eol,
                      source=cols[k] if k < len(cols) and cols[k].strip() else None)
    if not body.strip():
        return Parsed(lineno, raw, error="empty line")
    try:
        obj = jsonl.loads(body)
    except ValueError as exc:
        return Parsed(lineno, raw, error=f"bad JSON ({exc})")
    if not isinstance(obj, dict):
        return Parsed(lineno, raw, error=f"a JSON {type(obj).__name__}, not an object")
    return _record(src, lineno, raw, obj, eol)


def _record(src: Source, lineno: int, raw: bytes, obj: dict, eol: str) -> Parsed:
    """A parsed JSONL object as a record: its text, document and source, or what is wrong."""
    if src.text_field not in obj:
        return Parsed(lineno, raw, obj=obj, error=f"no field {src.text_field!r}")
    text = obj[src.text_field]
    if not isinstance(text, str):
        return Parsed(lineno, raw, obj=obj,
                      error=f"field {src.text_field!r} is a {type(text).__name__}, not a string")
    source = obj.get(src.source_field) if src.source_field is not None else None
    return Parsed(lineno, raw, obj=obj, text=text, doc=doc_id(obj, src.doc_field),
                  source=source if isinstance(source, str) and source.strip() else None)


def doc_id(obj: dict, field: str | None) -> str | None:
    if field is None:
        return None
    v = obj.get(field)
    return None if v is None else str(v) if not isinstance(v, (dict, list)) else json.dumps(v)


def peek_doc(src: Source, raw: bytes) -> str | None:
    """The document id of a raw line, for grouping in the reading process (None if absent)."""
    if src.doc_field is None:
        return None
    if src.fmt == "tsv":
        cols = raw.rstrip(b"\r\n").split(b"\t")
        j = int(src.doc_field)
        return cols[j].decode("utf-8", "replace") if j < len(cols) else None
    try:
        obj = jsonl.loads(raw)
    except ValueError:
        return None
    return doc_id(obj, src.doc_field) if isinstance(obj, dict) else None


def render(src: Source, p: Parsed, text: str, info_field: str | None, info: dict) -> bytes:
    """Serialize a cleaned record in its input format (other fields untouched)."""
    if src.fmt == "text":
        return (text + p.eol).encode("utf-8")
    if src.fmt == "tsv":
        cols = list(p.obj)
        cols[int(src.text_field)] = text
        return ("\t".join(cols) + p.eol).encode("utf-8")
    obj = p.obj.copy() if not isinstance(p.obj, jsonl.Loose) else jsonl.Loose(p.obj)
    obj[src.text_field] = text
    if info_field:
        obj[info_field] = info
    return jsonl.dumps_line(obj)


def error_line(src: Source, p: Parsed) -> bytes:
    """A JSON line for the errors file: where, why, and the raw record."""
    rec = {"source": src.name, "line": p.lineno, "error": p.error}
    body = p.raw.rstrip(b"\r\n")
    try:
        rec["raw"] = body.decode("utf-8")
    except UnicodeDecodeError:  # `raw` is readable, `raw_b64` the exact bytes
        rec["raw"] = body.decode("utf-8", "replace")
        rec["raw_b64"] = base64.b64encode(body).decode("ascii")
    return jsonl.dumps_line(rec)


def resolve_columns(name: str, fmt: str, header: list[str] | None, text_field: str | None,
                    doc_field: str | None, source_field: str | None = None) -> Source:
    """Turn user field names into a Source (TSV: 1-based numbers or header names)."""
    if fmt != "tsv":
        return Source(name, fmt, text_field or "text", doc_field, source_field)

    def col(field: str, what: str) -> str:
        if field.isdigit() and int(field) >= 1:
            return str(int(field) - 1)
        if header is None:
            raise UsageError(f"{name}: --{what} {field!r} is not a column number and the file has no header")
        if field not in header:
            raise UsageError(f"{name}: no column named {field!r} in the header (has: {', '.join(header)})")
        return str(header.index(field))

    return Source(name, fmt, col(text_field or "1", "text-field"),
                  col(doc_field, "doc-field") if doc_field else None,
                  col(source_field, "source-field") if source_field else None)


def tsv_has_header(text_field: str | None, doc_field: str | None, source_field: str | None = None) -> bool:
    """A TSV has a header line when a field is given by name rather than by number."""
    return any(f and not f.isdigit() for f in (text_field, doc_field, source_field))


def read_lines(path: str) -> Iterator[tuple[int, bytes]]:
    """Yield (1-based line number, raw line) from an input; the file is closed at the end."""
    fh = open_input(path)
    n = 0
    try:
        for n, line in enumerate(iter(lambda: fh.readline(MAX_LINE_BYTES + 1), b""), 1):
            if len(line) > MAX_LINE_BYTES:
                raise InputError(f"{'<stdin>' if path == '-' else path}:{n}: a record longer than "
                                 f"{format_size(MAX_LINE_BYTES)}; is this really JSONL, TSV or text "
                                 "with one record a line?")
            yield n, line
    except DamagedStream as exc:
        where = f"after line {n} (the last complete record)" if n else "before its first complete record"
        raise InputError(f"{'<stdin>' if path == '-' else path}: damaged or truncated compressed "
                         f"input {where}: {exc}; the records before it are written") from None
    except (OSError, EOFError) as exc:
        raise InputError(f"{path}: cannot read ({exc}); is the file truncated or not compressed as its extension says?") from None
    finally:
        if path != "-":
            fh.close()

