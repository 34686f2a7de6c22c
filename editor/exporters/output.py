"""Writing an export where the user asked, without ever harming what is there.

- ``-`` is standard output.
- A project (any SQLite file, or its ``-wal``/``-shm``/``-journal``) is never overwritten.
- A symlink is written through: its target is replaced, the link stays.
- A character device (``/dev/null``, a terminal) is written to as it is, never replaced by a
  regular file; a FIFO only when a reader is there (never blocks); a block device, a
  folder or a socket is refused.
- A regular file is replaced atomically: a temp file beside it, fsync, ``os.replace``. The
  old file keeps its permissions; nothing is half-written if the disk fills up.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from enum import Enum
from pathlib import Path

from editor.errors import StorageError, TranscriptError, os_failure, storage_cause

_SQLITE_MAGIC = b"SQLite format 3\x00"
_SIDE_FILES = ("-wal", "-shm", "-journal")


class Written(Enum):
    CREATED = "wrote"
    REPLACED = "replaced"
    STDOUT = "stdout"
    DEVICE = "wrote to device"


def _is_sqlite(path: Path) -> bool:
    try:
        # Non-blocking: opening a FIFO to peek at it must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        return stat.S_ISREG(os.fstat(fd).st_mode) and os.read(fd, 16) == _SQLITE_MAGIC
    except OSError:
        return False
    finally:
        os.close(fd)


def refuse_project(path: Path) -> None:
    """TranscriptError when ``path`` is a project, or one of a project's side files."""
    if _is_sqlite(path):
        raise TranscriptError(f"{path} is a project (a SQLite database); refusing to overwrite it")
    for suffix in _SIDE_FILES:
        if path.name.endswith(suffix) and _is_sqlite(path.with_name(path.name[: -len(suffix)])):
            raise TranscriptError(f"{path} belongs to a project; refusing to overwrite it")


def os_error(exc: OSError, path: Path | str, doing: str) -> TranscriptError:
    """One line for a failed write, naming the cause a person can act on."""
    cause = storage_cause(exc)
    if cause == "disk full":
        return StorageError(f"disk full: could not {doing} {path}; nothing was changed")
    if cause == "read-only":
        return StorageError(f"{path}: the disk is read-only; could not {doing} it")
    if cause == "permission denied":
        return StorageError(f"{path}: permission denied; could not {doing} it")
    return StorageError(f"could not {doing} {path}: {exc.strerror or exc}")


def write_output(data: bytes, target: str | Path) -> Written:
    """Write ``data`` to ``target`` as described in the module docstring."""
    if str(target) == "-":
        out = sys.stdout.buffer
        out.write(data)
        out.flush()
        return Written.STDOUT
    given = Path(target)
    try:
        st = given.stat()  # through links, the /proc ones too
    except FileNotFoundError:
        st = None
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a loop of links: bad input, not a failed write
            raise TranscriptError(f"could not write {given}: {exc.strerror}") from None
        if exc.errno == errno.ENAMETOOLONG:  # a name the user gave: bad input too
            raise os_failure(exc, str(given)) from None
        raise os_error(exc, given, "write") from None
    if st is not None and (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        # Written through the name as given: /dev/stdout into a pipe resolves to
        # /proc/…/pipe:[N], a name that cannot be opened.
        _write_stream(data, given, fifo=stat.S_ISFIFO(st.st_mode))
        return Written.DEVICE
    path = Path(os.path.realpath(given))  # through symlinks (chains too) to the real target
    if st is not None:
        refuse_project(path)
        if stat.S_ISDIR(st.st_mode):
            raise TranscriptError(f"{given} is a folder; give a file name")
        if not stat.S_ISREG(st.st_mode):
            raise TranscriptError(f"{given} is not a regular file (a device or socket); refusing")
    folder = path.parent
    if not folder.is_dir():
        if given.is_symlink():  # the folder missing is the link's target's, not the link's
            raise TranscriptError(f"{given} is a link to {path}, whose folder does not exist")
        raise TranscriptError(f"{given.parent}: no such folder")
    _replace(data, path, given, st)
    return Written.CREATED if st is None else Written.REPLACED


def _write_stream(data: bytes, given: Path, *, fifo: bool) -> None:
    flags = os.O_WRONLY | (os.O_NONBLOCK if fifo else 0)  # never O_CREAT, never O_TRUNC
    try:
        fd = os.open(given, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise TranscriptError(f"{given} is a FIFO with nobody reading it") from None
        raise os_error(exc, given, "write") from None
    try:
        if fifo:
            os.set_blocking(fd, True)  # a reader is there: now wait for it as a pipe does
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise os_error(exc, given, "write") from None
    finally:
        os.close(fd)


def _replace(data: bytes, path: Path, given: Path, old: os.stat_result | None) -> None:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise os_error(exc, given, "write") from None
    try:
        if old is not None:
            mode = stat.S_IMODE(old.st_mode)  # replacing keeps the file's permissions
        else:
            umask = os.umask(0)  # mkstemp makes the file private; an export gets the usual
            os.umask(umask)
            mode = 0o666 & ~umask
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise os_error(exc, given, "write") from None
        raise
