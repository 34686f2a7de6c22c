"""Connecting to a project file: read-only without leaving -wal/-shm behind, writers that
wait their turn, and ids that are never reused while the history points at them."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from editor.commands import IdSource


def writable(path: Path) -> bool:
    """Can this process change the project: the file and its folder (WAL and -shm go there)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _read_only_uri(path: Path) -> str:
    # A read-only project must never get a -wal/-shm beside it: open it immutable, unless a
    # -wal holding committed changes (after a crash) is there, which only mode=ro reads.
    wal = Path(f"{path}-wal")
    immutable = not (wal.exists() and wal.stat().st_size > 0)
    return f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    # Bytes, not str: a file name that is not UTF-8 (Latin-1 "café") still opens.
    target = _read_only_uri(path) if read_only else os.fsencode(path)
    conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False, uri=read_only)
    # Nothing stored in a project may run code: no extensions, no untrusted schema functions.
    if hasattr(conn, "enable_load_extension"):  # absent when Python is built without it
        conn.enable_load_extension(False)
    conn.execute("PRAGMA trusted_schema = OFF")
    # Another process writing waits its turn instead of failing (two CLI runs at once).
    conn.execute("PRAGMA busy_timeout = 15000")
    conn.text_factory = _text
    return conn


def _text(value: bytes) -> str:
    # Text that is not UTF-8 (written by another program, or by hand) is read with U+FFFD in
    # place of its bad bytes: read strictly, one such value made the whole project unreadable.
    return value.decode("utf-8", "replace")


def _used_ids(conn: sqlite3.Connection) -> list[int]:
    """The highest ids ever given out, as kept in meta; a value edited into something else
    counts as none (the tables' own maxima are taken as well, see ``fresh_ids``)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'max_ids'").fetchone()
    try:
        used = [int(x) for x in json.loads(row[0])] if row else []
    except (TypeError, ValueError, OverflowError):  # not JSON, not a list of numbers
        used = []
    return (used + [0, 0, 0, 0])[:4]


def fresh_ids(conn: sqlite3.Connection) -> IdSource:
    """Ids for new rows from the database as it is now: never one a row or an entry used."""
    maxima = conn.execute(
        "SELECT (SELECT coalesce(max(id), 0) FROM passages),"
        " (SELECT coalesce(max(id), 0) FROM speakers),"
        " (SELECT coalesce(max(id), 0) FROM suggestions),"
        " (SELECT coalesce(max(id), 0) FROM memory)"
    ).fetchone()
    # A kept maximum past the last id SQLite can give (edited by hand) counts as none; a
    # row's id that is no number (a table another program remade) as 0. Both made every
    # command fail ("Python int too large", "'>' not supported"), reading ones too.
    used = [b if b <= _LAST_ID else 0 for b in _used_ids(conn)]
    return IdSource(*(max(_whole(a), b) + 1 for a, b in zip(maxima, used, strict=True)))


_LAST_ID = 2**62  # SQLite's ids go to 2**63 - 1


def _whole(value: object) -> int:
    """A table's highest id as a number, 0 when it is none."""
    if isinstance(value, int):
        return value
    try:
        return int(float(str(value)))
    except (TypeError, ValueError, OverflowError):
        return 0


def save_used_ids(conn: sqlite3.Connection, ids: IdSource) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('max_ids', ?)", (json.dumps(ids.used()),)
    )


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    # Copy the WAL into the file every 4000 pages (16 MB), not 1000: at 1000, the undo of
    # one replace-all over 25 hours (~1030 pages) also paid for that copy inside its commit
    # (~3 ms of ~33, issue 13). Closing still checkpoints (Project.close).
    conn.execute("PRAGMA wal_autocheckpoint = 4000")
