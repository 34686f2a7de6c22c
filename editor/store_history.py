"""Reading the history: entries, the undo and redo stacks worked out from the log, and a
passage's versions."""

from __future__ import annotations

import json
from typing import Any

from editor.errors import TranscriptError
from editor.history import HistoryEntry, RowChange, Version
from editor.store_base import StoreBase


class HistoryMixin(StoreBase):
    def _load_stacks(self) -> None:
        # Only (id, kind): reopening stays fast with a long history.
        undo: list[int] = []
        redo: list[int] = []
        for entry_id, kind in self.conn.execute("SELECT id, kind FROM history ORDER BY id"):
            if kind == "do":
                undo.append(entry_id)
                redo.clear()
            elif kind == "undo" and undo:
                redo.append(undo.pop())
            elif kind == "redo" and redo:
                undo.append(redo.pop())
        self._undo, self._redo = undo, redo

    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def _description(self, entry_id: int) -> str:
        row = self.conn.execute(
            "SELECT description FROM history WHERE id = ?", (entry_id,)
        ).fetchone()
        return str(row[0]) if row else ""

    def undo_description(self) -> str | None:
        return self._description(self._undo[-1]) if self._undo else None

    def redo_description(self) -> str | None:
        return self._description(self._redo[-1]) if self._redo else None

    def history_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM history").fetchone()[0])

    def history(self, limit: int | None = None) -> list[HistoryEntry]:
        sql = (
            "SELECT id, time, kind, command, description, source, passage_ids, target, extra"
            " FROM history ORDER BY id DESC"
        )
        params: tuple[Any, ...] = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (limit,)
        rows = list(self.conn.execute(sql, params))
        rows.reverse()
        return [self._entry(row) for row in rows]

    @staticmethod
    def _entry(row: tuple[Any, ...]) -> HistoryEntry:
        entry_id, t, kind, command, description, source, pids, target, extra = row
        return HistoryEntry(
            id=entry_id,
            time=t,
            kind=kind,
            command=command,
            description=description,
            source=source,
            passage_ids=json.loads(pids),
            target=target,
            extra=json.loads(extra),
        )

    def entry(self, entry_id: int) -> HistoryEntry:
        row = self.conn.execute(
            "SELECT id, time, kind, command, description, source, passage_ids, target, extra"
            " FROM history WHERE id = ?",
            (entry_id,),
        ).fetchone()
        if row is None:
            raise TranscriptError(f"no history entry {entry_id}")
        return self._entry(row)

    def _changes_of(self, entry_id: int) -> list[RowChange]:
        row = self.conn.execute("SELECT changes FROM history WHERE id = ?", (entry_id,)).fetchone()
        return [RowChange.from_json(c) for c in json.loads(row[0])] if row else []

    def passage_versions(self, passage_id: int) -> list[Version]:
        """Every text the passage had, oldest first, starting with the original."""
        versions: list[Version] = []
        pattern = f"%{passage_id}%"
        rows = self.conn.execute(
            "SELECT id, time, kind, source, target, passage_ids FROM history"
            " WHERE passage_ids LIKE ? ORDER BY id",
            (pattern,),
        )
        first_text: str | None = None
        for entry_id, t, kind, source, target, pids in rows:
            if passage_id not in json.loads(pids):
                continue
            changes = self._changes_of(target if kind != "do" else entry_id)
            for ch in changes:
                if ch.table != "passages" or ch.id != passage_id:
                    continue
                state = ch.before if kind == "undo" else ch.after
                prior = ch.after if kind == "undo" else ch.before
                if first_text is None and prior is not None:
                    first_text = prior["text"]
                text_changed = (state or {}).get("text") != (prior or {}).get("text")
                if state is not None and text_changed:
                    label = source if kind == "do" else kind
                    versions.append(Version(t, label, state["text"], entry_id))
        if passage_id in self._index:
            p = self.passage(passage_id)
            start = Version(None, "original", p.original, None)
            if first_text is not None and first_text != p.original:
                # The passage was created by a split: its first state is the original.
                start = Version(None, "original", first_text, None)
            return [start, *versions]
        return versions
