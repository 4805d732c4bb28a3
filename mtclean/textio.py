"""Read text exactly as it is on disk and write fixes back atomically."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

BOM = "\ufeff"
_BINARY_SNIFF = 8192


@dataclass
class SourceText:
    """Decoded text of one input; offsets in findings index `text` (BOM excluded)."""

    path: str
    text: str
    bom: bool = False


def decode(data: bytes, path: str) -> SourceText:
    """Decode UTF-8 (BOM tolerated); refuse binary or undecodable bytes with the offset."""
    nul = data.find(b"\x00", 0, _BINARY_SNIFF)
    if nul == -1 and len(data) > _BINARY_SNIFF:
        nul = data.find(b"\x00")
    if nul != -1:
        raise InputError(
            f"{path}: looks like a binary file (NUL byte at byte offset {nul}); "
            "mtclean reads UTF-8 text only"
        )
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + (3 if bom else 0)
        raise InputError(
            f"{path}: invalid UTF-8 at byte offset {offset} ({exc.reason}); "
            "re-encode the file as UTF-8 (e.g. iconv -f GB18030 -t UTF-8)"
        ) from None
    return SourceText(path=path, text=text, bom=bom)


def read_path(path: str | os.PathLike) -> SourceText:
    """Read a file (or '-' for stdin) as UTF-8 text."""
    name = str(path)
    if name == "-":
        return decode(sys.stdin.buffer.read(), "<stdin>")
    try:
        data = Path(name).read_bytes()
    except OSError as exc:
        raise open_error(name, exc) from None
    return decode(data, name)


def open_error(name: str, exc: OSError, directory_hint: str = "") -> InputError:
    """Turn a failed open/read into the one-line error users see."""
    if isinstance(exc, FileNotFoundError):
        return InputError(f"{name}: no such file or directory")
    if isinstance(exc, IsADirectoryError):
        return InputError(f"{name}: is a directory{directory_hint}")
    if isinstance(exc, PermissionError):
        return InputError(f"{name}: permission denied; check the file's permissions")
    return InputError(f"{name}: cannot read ({exc.strerror})")


def encode(source: SourceText, text: str) -> bytes:
    """Encode fixed text the way the source was stored (BOM kept)."""
    return ((BOM if source.bom else "") + text).encode("utf-8")


def atomic_write(path: str | os.PathLike, data: bytes) -> None:
    """Replace `path` with `data` via a temp file in the same directory and a rename.

    A crash leaves either the old file or the new one, never a truncated mix; the
    original permission bits are kept.
    """
    target = Path(path)
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = None
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".mtclean-tmp",
                               dir=str(target.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
