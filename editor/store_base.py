"""What every part of an open project shares: its rows in memory, and the names of the
fields each table holds. The parts (history, writing, drafts, suggestions, keeping up with
other processes) are mixins over this; ``editor.store.Project`` puts them together."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from editor.commands import Command, IdSource
from editor.errors import StorageError
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


class StoreBase:
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
    _identity: tuple[int, int] | None  # the file opened (see moved_away)

    def moved_away(self) -> bool:
        """Whether the file at the project's path is no longer the one open: deleted, moved,
        or replaced by another program (a backup restored, a sync tool). Writing on would go
        to a file nobody sees, and SQLite's log, found by name, would be shared with the
        file now at the path: it was damaged."""
        return self._identity is not None and file_identity(self.path) != self._identity

    def _check_writable(self) -> None:
        """Refuse a write to a read-only project, or to a file no longer at its path."""
        if self.read_only:
            raise StorageError(f"{self.path} is read-only: changes cannot be saved")
        if self.moved_away():
            raise StorageError(
                f"{self.path} was moved, deleted or replaced by another program: "
                "changes are not written to it"
            )

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


def file_identity(path: Path) -> tuple[int, int] | None:
    """Which file is at ``path`` (device and inode), None if none is."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino
