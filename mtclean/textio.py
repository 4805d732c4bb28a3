"""Read text exactly as it is on disk and write fixes back without ever losing data.

Reading refuses what is not a regular text file (devices, FIFOs, UTF-16, binary) and
files above a size limit. Writing goes through a temp file and a rename in the target's
own directory (a symlink is followed, and kept), refuses read-only files, and leaves a
file alone when it changed since it was read.
"""

from __future__ import annotations

import hashlib
import os
import signal
import stat
import sys
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

BOM = "\ufeff"
_BINARY_SNIFF = 8192
DEFAULT_MAX_SIZE = 256 * 1024 * 1024  # bytes; `--max-file-size` raises it
_UTF16_BOMS = {b"\xff\xfe": "UTF-16LE", b"\xfe\xff": "UTF-16BE"}
_UTF32_BOMS = {b"\xff\xfe\x00\x00": "UTF-32LE", b"\x00\x00\xfe\xff": "UTF-32BE"}


@dataclass(frozen=True)
class Stamp:
    """What a file looked like when it was read: compared again right before a write."""

    size: int
    mtime_ns: int
    ino: int
    digest: bytes


@dataclass
class SourceText:
    """Decoded text of one input; offsets in findings index `text` (BOM excluded)."""

    path: str
    text: str
    bom: bool = False
    stamp: Stamp | None = None


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def format_size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def parse_size(value: str) -> int:
    """'300M', '2G', '500k' or a byte count -> bytes (ValueError when it is none of these)."""
    v = value.strip().upper().removesuffix("B")
    if not v:
        raise ValueError(value)
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}.get(v[-1:], 1)
    num = v[:-1] if mult > 1 else v
    size = int(float(num) * mult)
    if size <= 0:
        raise ValueError(value)
    return size


def decode(data: bytes, path: str) -> SourceText:
    """Decode UTF-8 (BOM tolerated); refuse binary, UTF-16/32 or undecodable bytes."""
    for boms in (_UTF32_BOMS, _UTF16_BOMS):
        for mark, name in boms.items():
            if data.startswith(mark):
                raise InputError(
                    f"{path}: {name} text (byte-order mark {mark.hex(' ')}); mtclean reads UTF-8: "
                    f"convert it first (iconv -f {name.rstrip('LEB')} -t UTF-8)")
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


def _too_big(name: str, limit: int) -> InputError:
    return InputError(f"{name}: larger than the {format_size(limit)} limit; "
                      "raise it with --max-file-size (e.g. --max-file-size 1G)")


def _kind(mode: int) -> str | None:
    """What a non-regular file is, for the message (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    for test, what in ((stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return what
    return "not a regular file"


def read_path(path: str | os.PathLike, max_size: int = DEFAULT_MAX_SIZE) -> SourceText:
    """Read a regular file (or '-' for stdin) of at most `max_size` bytes as UTF-8 text."""
    name = str(path)
    if name == "-":
        data = _read_bounded(sys.stdin.buffer, max_size)
        if len(data) > max_size:
            raise _too_big("<stdin>", max_size)
        return decode(data, "<stdin>")
    try:
        st = os.stat(name)
        kind = _kind(st.st_mode)
        if kind == "a directory":
            raise IsADirectoryError(21, "Is a directory", name)
        if kind:
            raise InputError(f"{name}: is {kind}; mtclean reads regular files only "
                             "(pipe it through stdin with `-` instead)")
        if st.st_size > max_size:
            raise _too_big(name, max_size)
        with open(name, "rb") as fh:
            data = _read_bounded(fh, max_size, st.st_size)
            st = os.fstat(fh.fileno())
    except OSError as exc:
        raise open_error(name, exc) from None
    if len(data) > max_size:
        raise _too_big(name, max_size)
    source = decode(data, name)
    source.stamp = Stamp(st.st_size, st.st_mtime_ns, st.st_ino, _digest(data))
    return source


def _read_bounded(fh, limit: int, expected: int = 1 << 20) -> bytes:
    """Read to EOF, or stop once more than `limit` bytes came. (`read(limit + 1)` would
    allocate the whole limit up front, 256 MB, whatever the file's size.)"""
    data = fh.read(min(expected, limit) + 1)
    if len(data) <= expected or len(data) > limit:
        return data
    buf = bytearray(data)  # the file grew since stat, or a pipe: read on in chunks
    while len(buf) <= limit:
        chunk = fh.read(min(1 << 20, limit + 1 - len(buf)))
        if not chunk:
            break
        buf += chunk
    return bytes(buf)


def read_regular_bytes(path: str | os.PathLike, limit: int) -> bytes:
    """Bytes of a regular file of at most `limit` bytes, for config and rule files;
    ValueError says why not (a directory, a device, a FIFO, too large, unreadable)."""
    name = str(path)
    try:
        st = os.stat(name)
        kind = _kind(st.st_mode)
        if kind:
            raise ValueError(f"is {kind}, not a regular file")
        if st.st_size > limit:
            raise ValueError(f"larger than {format_size(limit)}")
        with open(name, "rb") as fh:
            data = _read_bounded(fh, limit, st.st_size)
    except OSError as exc:
        raise ValueError(exc.strerror or str(exc)) from None
    if len(data) > limit:
        raise ValueError(f"larger than {format_size(limit)}")
    return data


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


def _unchanged(real: str, stamp: Stamp) -> bool:
    """True when the file at `real` still holds exactly what was read."""
    try:
        st = os.stat(real)
        if (st.st_size, st.st_mtime_ns, st.st_ino) != (stamp.size, stamp.mtime_ns, stamp.ino):
            return False
        with open(real, "rb") as fh:
            return _digest(fh.read(stamp.size + 1)) == stamp.digest
    except OSError:
        return False


def write_back(source: SourceText, data: bytes) -> None:
    """Write fixed text over the file `source` was read from, or raise InputError.

    A symlink is followed: its target is fixed and the link kept. A hard-linked file
    (several names) is rewritten in place, so every name sees the fix. A read-only file,
    a file that is no longer regular, or one that changed since it was read is left alone.
    """
    name = source.path
    real = os.path.realpath(name)
    try:
        st = os.stat(real)
    except OSError as exc:
        raise InputError(f"{name}: cannot write: the file went away ({exc.strerror})") from None
    kind = _kind(st.st_mode)
    if kind:
        raise InputError(f"{name}: is {kind}; not rewritten")
    if not st.st_mode & 0o222 or not os.access(real, os.W_OK):
        raise InputError(f"{name}: read-only file; not rewritten (make it writable to fix it)")
    if source.stamp is not None and not _unchanged(real, source.stamp):
        raise InputError(f"{name}: changed on disk while mtclean was fixing it; left alone, "
                         "run mtclean fix again")
    try:
        if st.st_nlink > 1:
            _write_in_place(real, data, source.stamp)
        else:
            atomic_write(real, data, source.stamp)
    except InputError:
        raise
    except PermissionError:
        raise InputError(f"{name}: cannot write: permission denied in {os.path.dirname(real) or '.'} "
                         "(a temporary file is made beside the file)") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot write ({exc.strerror}); the file is unchanged") from None


def _changed_error(path: str) -> InputError:
    return InputError(f"{path}: changed on disk while mtclean was fixing it; left alone, "
                      "run mtclean fix again")


def atomic_write(path: str | os.PathLike, data: bytes, stamp: Stamp | None = None) -> None:
    """Replace `path` with `data` via a temp file in the same directory and a rename.

    A crash or Ctrl-C leaves either the old file or the new one, never a truncated mix,
    and no temp file; the original permission bits are kept. With `stamp`, the file is
    compared with it right before the rename and left alone if it changed.
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
        if stamp is not None and not _unchanged(str(target), stamp):
            raise _changed_error(str(path))
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _write_in_place(path: str, data: bytes, stamp: Stamp | None) -> None:
    """Rewrite a hard-linked file through its inode: a copy of the new text is made
    beside it first, so a crash mid-write still leaves the full new text on disk."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".mtclean-tmp",
                               dir=str(target.parent))
    keep_copy = False
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if stamp is not None and not _unchanged(path, stamp):
            raise _changed_error(path)
        keep_copy = True  # from here on the copy is the only whole version of the new text
        with _no_interrupt():  # Ctrl-C waits until the file is whole again
            with open(path, "r+b") as fh:
                fh.write(data)
                fh.truncate()
                fh.flush()
                os.fsync(fh.fileno())
        keep_copy = False
    finally:
        if not keep_copy:
            try:
                os.unlink(tmp)
            except OSError:
                pass


@contextmanager
def _no_interrupt():
    """Hold SIGINT (Ctrl-C) back for a short critical write; it is delivered after."""
    can = hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if can else None
    try:
        yield
    finally:
        if can:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
