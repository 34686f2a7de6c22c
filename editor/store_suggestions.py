"""Suggestions (proposals for review, not history until decided) and the reply cache; the
worker thread's own writer for both."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from editor.history import Row, RowChange
from editor.store_base import SUGGESTION_FIELDS, SUGGESTION_STATES, StoreBase
from editor.store_db import _connect, fresh_ids, save_used_ids


def insert_suggestions(conn: sqlite3.Connection, rows: list[Row]) -> tuple[list[Row], list[int]]:
    """Insert suggestion rows (inside the caller's transaction); return them with ids, and
    the ids of undecided suggestions they supersede (deleted)."""
    new: list[Row] = []
    gone: list[int] = []
    ids = fresh_ids(conn)
    for row in rows:
        for (old_id,) in conn.execute(
            "SELECT id FROM suggestions WHERE passage_id = ? AND kind = ?"
            " AND status IN ('pending', 'failed', 'stale')",
            (row["passage_id"], row["kind"]),
        ):
            gone.append(int(old_id))
        conn.execute(
            "DELETE FROM suggestions WHERE passage_id = ? AND kind = ?"
            " AND status IN ('pending', 'failed', 'stale')",
            (row["passage_id"], row["kind"]),
        )
        values = {f: row.get(f) for f in SUGGESTION_FIELDS}
        values["id"] = ids.suggestion()
        values["created"] = values["created"] or time.time()
        values["flags"] = values["flags"] or "[]"
        cols = ", ".join(f'"{f}"' for f in values)
        marks = ", ".join("?" for _ in values)
        conn.execute(f"INSERT INTO suggestions ({cols}) VALUES ({marks})", tuple(values.values()))
        new.append(dict(values))
    save_used_ids(conn, ids)
    return new, gone


class ReplyCache:
    """Model replies kept by question, so an unchanged passage is never asked twice."""

    conn: sqlite3.Connection

    def cache_get(self, key: str) -> str | None:
        row = self.conn.execute("SELECT reply FROM assist_cache WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def cache_put(self, key: str, reply: str) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO assist_cache (key, reply, created) VALUES (?, ?, ?)",
            (key, reply, time.time()),
        )

    def cache_put_many(self, items: list[tuple[str, str]]) -> None:
        """Several replies in one transaction: one commit (one fsync) for a whole chunk's
        passages, not one each (a 64-way run spent most of its time committing)."""
        if not items:
            return
        now = time.time()
        sql = "INSERT OR REPLACE INTO assist_cache (key, reply, created) VALUES (?, ?, ?)"
        rows = [(key, reply, now) for key, reply in items]
        if self.conn.in_transaction:
            self.conn.executemany(sql, rows)
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.executemany(sql, rows)
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise


class SuggestionWriter(ReplyCache):
    """A worker thread's own connection for storing suggestions and the reply cache, so
    model results never touch the GUI thread's connection (WAL lets both work)."""

    def __init__(
        self, path: Path, on_stored: Callable[[list[Row], list[int]], None] | None = None
    ) -> None:
        self.conn = _connect(path)
        self.conn.execute("PRAGMA busy_timeout = 5000")
        self.on_stored = on_stored

    def add_suggestions(self, rows: list[Row]) -> list[int]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            new, gone = insert_suggestions(self.conn, rows)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        if self.on_stored is not None:
            self.on_stored(new, gone)
        return [row["id"] for row in new]

    def close(self) -> None:
        self.conn.close()


class SuggestionsMixin(StoreBase):
    def _load_suggestions(self) -> dict[int, Row]:
        return {
            r[0]: dict(zip(SUGGESTION_FIELDS, r, strict=True))
            for r in self.conn.execute(f"SELECT {', '.join(SUGGESTION_FIELDS)} FROM suggestions")
        }

    def add_suggestions(self, rows: list[Row]) -> list[int]:
        """Store new proposals (not history: nothing in the text changes). A new suggestion
        supersedes an undecided one of the same kind on the same passage."""
        if not rows:
            return []
        with self._writing():
            new, gone = insert_suggestions(self.conn, rows)
        self.adopt_suggestions(new, gone)
        return [row["id"] for row in new]

    def adopt_suggestions(self, new: list[Row], superseded: list[int]) -> None:
        """Take in rows another connection (a worker's) has stored; no database work."""
        changes = [
            RowChange("suggestions", sid, dict(self.suggestions[sid]), None)
            for sid in superseded
            if sid in self.suggestions
        ]
        changes += [RowChange("suggestions", row["id"], None, dict(row)) for row in new]
        self._apply_memory(changes)
        self._notify(changes)

    def mark_suggestions(self, ids: list[int], status: str) -> None:
        """Set a status that is a fact, not a decision (stale): no history entry."""
        changes = []
        with self._writing():
            for sid in ids:
                row = self.suggestions.get(sid)
                if row is None or row["status"] == status:
                    continue
                self.conn.execute("UPDATE suggestions SET status = ? WHERE id = ?", (status, sid))
                changes.append(RowChange("suggestions", sid, dict(row), {**row, "status": status}))
        self._apply_memory(changes)
        self._notify(changes)

    def suggestions_for(self, passage_id: int, status: str | None = "pending") -> list[Row]:
        return sorted(
            (
                row
                for row in self.suggestions.values()
                if row["passage_id"] == passage_id and (status is None or row["status"] == status)
            ),
            key=lambda row: row["id"],
        )

    def suggestion_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(SUGGESTION_STATES, 0)
        for row in self.suggestions.values():
            if row["status"] in counts:
                counts[row["status"]] += 1
        return counts
