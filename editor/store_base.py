"""What every part of an open project shares: its rows in memory, and the names of the
fields each table holds. The parts (history, writing, drafts, suggestions, keeping up with
other processes) are mixins over this; ``editor.store.Project`` puts them together."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from editor.commands import Command, IdSource
from editor.errors import FileGone, StorageError
from editor.history import ChangeSet, HistoryEntry, Row, RowChange
from editor.model import Passage, Transcript
from editor.suggestion_rows import SuggestionRows

Listener = Callable[[ChangeSet], None]

_PASSAGE_FIELDS = ("id", "seq", "speaker_id", "start", "end", "original", "text")
_SPEAKER_FIELDS = ("id", "seq", "label", "name", "color")
SUGGESTION_FIELDS = (
    "id",
    "passage_id",
    "kind",
    "base_text",
    "proposed",
    "speaker_id",
    "status",
    "model",
    "prompt_version",
    "level",
    "flags",
    "error",
    "created",
    "accepted",  # changes accepted one by one so far (None: none)
)
MEMORY_FIELDS = ("id", "kind", "key", "value")
_FIELDS = {
    "passages": _PASSAGE_FIELDS,
    "speakers": _SPEAKER_FIELDS,
    "suggestions": SUGGESTION_FIELDS,
    "memory": MEMORY_FIELDS,
}
SUGGESTION_STATES = ("pending", "accepted", "rejected", "failed", "stale")


def _without_seq(row: Row | None) -> Row | None:
    return None if row is None else {k: v for k, v in row.items() if k != "seq"}


class WatchedFile:
    """Whether the file a connection has open is still the one at its path (shared by the
    project and a worker's own connection for suggestions)."""

    path: Path
    conn: sqlite3.Connection
    _identity: tuple[int, int] | None  # the file opened (see moved_away)
    _stamp: tuple[int, int] | None  # its size and time as SQLite last left it
    _log: tuple[tuple[int, int] | None, int]  # SQLite's log's size and time then, and the
    # others' commits seen

    def moved_away(self) -> bool:
        """Whether the file at the project's path is no longer the one open: deleted, moved,
        or replaced by another program (a backup restored, a sync tool), a new file put there
        or the old one written over. Writing on would go to a file nobody sees, or into a
        file whose pages are another's; and SQLite's log, found by name, would be shared
        with the file now at the path: it was damaged."""
        if self._identity is None:
            return False
        return file_identity(self.path) != self._identity or self.written_over()

    def written_over(self) -> bool:
        """Whether another program wrote over the file in place (``cp backup.tedit``): its
        size or time changed where no checkpoint of SQLite's can have. SQLite writes the file
        only in a checkpoint of what was committed: at a commit that finds its log long
        (``CHECKPOINT_BYTES``), or as a connection closes, which empties the log; ours are
        noted as we write, another connection's commits are counted by SQLite. A copy made
        while another connection commits passes for a checkpoint. Only looked at from
        outside: opening and closing SQLite's files here would drop the locks SQLite holds
        on them."""
        stamp = file_stamp(self.path)
        if stamp is None or stamp == self._stamp:
            return False  # gone (moved_away says so) or unchanged
        for _ in range(3):
            log, seen = now = self._log_now()
            was = self._log[0]
            size, size_was = (log[0] if log else -1), (was[0] if was else 0)
            # Emptied since (shorter, or written and empty again: our own writes between,
            # a draft, a setting, are in it too) by a closing connection's checkpoint.
            emptied = log is not None and (size < size_was or size == 0 and log != was)
            long_log = max(size, size_was) >= CHECKPOINT_BYTES
            if emptied or seen != self._log[1] or long_log:
                # Or another's commit, which a checkpoint may have copied in (a closing one
                # that a reader kept from emptying the log, too); or a log long enough for
                # any commit to copy it.
                self._stamp, self._log = stamp, now
                return False
            time.sleep(0.05)  # a closing checkpoint writes the file, then empties the log
        return True

    def note_file(self) -> None:
        """Take the file's size and time, its log's size and the commits so far."""
        self._stamp, self._log = file_stamp(self.path), self._log_now()

    def _log_now(self) -> tuple[tuple[int, int] | None, int]:
        try:
            seen = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            seen = -1
        return file_stamp(Path(f"{self.path}-wal")), seen

    def _check_not_gone(self) -> None:
        if self.moved_away():
            raise FileGone(
                f"{self.path} was moved, deleted or replaced by another program: "
                "changes are not written to it"
            )


class StoreBase(WatchedFile):
    """Attributes the mixins share (set by ``Project.__init__``), and the methods one part
    calls in another."""

    path: Path
    conn: sqlite3.Connection
    doc: Transcript
    read_only: bool = False  # opened read-only (file or folder not writable): changes refused
    suggestions: SuggestionRows
    memory: dict[int, Row]  # what decisions taught (assist.learning)
    _index: dict[int, int]
    _listeners: list[Listener]
    _undo: list[int]
    _redo: list[int]
    _ids: IdSource
    _data_version: int
    _head: int
    _notice: ChangeSet | None

    def _check_writable(self) -> None:
        """Refuse a write to a read-only project, or to a file no longer at its path."""
        if self.read_only:
            raise StorageError(f"{self.path} is read-only: changes cannot be saved")
        self._check_not_gone()

    def _load(self) -> Transcript:
        raise NotImplementedError

    def _load_memory(self) -> dict[int, Row]:
        raise NotImplementedError

    def _load_suggestions(self) -> dict[int, Row]:
        raise NotImplementedError

    def _load_stacks(self) -> None:
        raise NotImplementedError

    def _reindex(self) -> None:
        raise NotImplementedError

    def passage(self, passage_id: int) -> Passage:
        raise NotImplementedError

    def index_of(self, passage_id: int) -> int:
        raise NotImplementedError

    def entry(self, entry_id: int) -> HistoryEntry:
        raise NotImplementedError

    def _changes_of(self, entry_id: int, *, forward: bool) -> list[RowChange]:
        raise NotImplementedError

    def _current_row(self, table: str, row_id: int) -> Row | None:
        raise NotImplementedError

    def execute(
        self, command: Command, *, extra: dict[str, Any] | None = None
    ) -> HistoryEntry | None:
        raise NotImplementedError

    def commit_all_drafts(self) -> None:
        raise NotImplementedError

    def _notify(self, changes: list[RowChange]) -> None:
        raise NotImplementedError

    def _apply_memory(self, changes: list[RowChange]) -> None:
        raise NotImplementedError

    def _catch_up(self) -> bool:
        raise NotImplementedError

    def _tell_notice(self) -> None:
        raise NotImplementedError

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        raise NotImplementedError
        yield


# The shortest log at which a commit checkpoints: 1,000 pages of 4 KiB and their frame
# headers (SQLite's default; ours is 4,000). Below it, only a closing connection does.
CHECKPOINT_BYTES = 1000 * (4096 + 24)


def file_stamp(path: Path) -> tuple[int, int] | None:
    """The size and modification time of the file at ``path``, None if none is there."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def file_identity(path: Path) -> tuple[int, int] | None:
    """Which file is at ``path`` (device and inode), None if none is."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino
