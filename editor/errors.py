"""Errors the core raises for bad input; the CLI and GUI show them as one clear line."""

from __future__ import annotations


class TranscriptError(Exception):
    """Bad input from the user: a file we cannot read, a malformed cue, a bad argument.

    ``line`` is 1-based where the problem has a place in the input file. ``exit_code`` is
    what the command line exits with: 2, bad input.
    """

    exit_code = 2

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        # Said once: "line 3: damaged UTF-8 at line 3" said it twice.
        if self.line is not None and f"line {self.line}" not in self.message:
            return f"line {self.line}: {self.message}"
        return self.message


class ImportFailed(TranscriptError):
    """An input file could not be imported."""


class ProjectError(TranscriptError):
    """A project file is not ours, is too new, or is damaged."""


class StorageError(TranscriptError):
    """The disk, not the input, is the problem: full, read-only, gone. Exit status 1."""

    exit_code = 1


class FileGone(StorageError):
    """The project's file was moved, deleted or replaced by another program while open."""


# SQLite's primary result codes that have a cause a person can act on.
_SQLITE_BUSY, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CORRUPT = 5, 8, 10, 11
_SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 13, 14, 26


def _no_space(label: str) -> bool:
    """Is the disk holding ``label`` (nearly) full? SQLite reports a full disk as a plain I/O
    error when it cannot grow its shared-memory file."""
    import os

    try:
        st = os.statvfs(os.path.dirname(os.path.abspath(label)) or ".")
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 1024 * 1024


def sqlite_failure(exc: Exception, label: str, *, new: bool = False) -> TranscriptError:
    """One line for a SQLite error on ``label`` (a project path): the cause, in words;
    ``new``: the file was being made, not changed."""
    code = int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    text = str(exc).lower()
    if (
        code == _SQLITE_FULL
        or "disk is full" in text
        or (code == _SQLITE_IOERR and _no_space(label))
    ):
        done = "created" if new else "changed"
        return StorageError(f"disk full: {label} was not {done}; free some space and try again")
    if code == _SQLITE_READONLY or "readonly" in text:
        return StorageError(f"{label} is read-only: changes cannot be saved")
    if code == _SQLITE_CANTOPEN:
        return StorageError(f"{label}: cannot open the file (missing folder or no permission)")
    if code == _SQLITE_BUSY or "locked" in text:
        return StorageError(f"{label} is busy in another program; try again")
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in text:
        return ProjectError(f"{label} is damaged or not a project")
    if code == _SQLITE_IOERR:
        return StorageError(f"{label}: the disk reported an error reading or writing it")
    return StorageError(f"{label}: database error ({str(exc)[:80]})")


def storage_cause(exc: OSError) -> str | None:
    """ "disk full", "read-only" or "permission denied": the failed writes a person can act
    on, each said in its own words by the caller; None for any other."""
    import errno

    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "disk full"
    if exc.errno == errno.EROFS:
        return "read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return None


def os_failure(exc: OSError, label: str) -> TranscriptError:
    """One line for a failed file operation on ``label``: the cause, without raw bytes."""
    import errno

    cause = storage_cause(exc)
    if cause == "disk full":
        return StorageError(f"disk full: {label} was not written; free some space and try again")
    if cause == "read-only":
        return StorageError(f"{label}: the disk is read-only")
    if cause == "permission denied":
        return StorageError(f"{label}: permission denied")
    if exc.errno == errno.ENOENT:
        return StorageError(f"{label}: no such file or folder")
    if exc.errno == errno.ENAMETOOLONG:
        # A name the user gave (bad input, exit 2), not the disk's fault; said without
        # repeating all of it.
        return TranscriptError(f"{short_name(label)}: the file name is too long for this disk")
    return StorageError(f"{label}: {exc.strerror or 'cannot be written'}")


def short_name(label: str, limit: int = 60) -> str:
    """``label`` whole, or its start and end around an ellipsis where it is longer."""
    if len(label) <= limit:
        return label
    keep = (limit - 1) // 2
    return f"{label[:keep]}…{label[-keep:]}"
