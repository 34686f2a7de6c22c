"""Replay a project's whole history log against its rows (a check for tests).

From the rows as they are now, walk the log backwards (every entry's "after" must be what
is there), arriving at the import state; then forwards again (every "before" must match).
Undo and redo entries act with their target's rows. Passages, speakers and what decisions
taught (memory) are checked; suggestion rows also change outside the history (new proposals,
"stale"), so they are not.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

TABLES = {
    "passages": ("id", "seq", "speaker_id", "start", "end", "original", "text"),
    "speakers": ("id", "label", "name", "color"),  # seq is display order only
    "memory": ("id", "kind", "key", "value"),
}
Key = tuple[str, int]


def _rows(conn: sqlite3.Connection) -> dict[Key, dict[str, Any]]:
    state = {}
    for table, fields in TABLES.items():
        cols = ", ".join(f'"{f}"' for f in fields)
        for row in conn.execute(f"SELECT {cols} FROM {table}"):
            state[(table, row[0])] = dict(zip(fields, row, strict=True))
    return state


def _norm(table: str, row: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if row is None else {f: row.get(f) for f in TABLES[table]}


def _effective(conn: sqlite3.Connection) -> list[tuple[int, list[list[Any]]]]:
    stored = {i: json.loads(c) for i, c in conn.execute("SELECT id, changes FROM history")}
    out = []
    for entry_id, kind, target in conn.execute("SELECT id, kind, target FROM history ORDER BY id"):
        if kind == "do":
            changes = stored[entry_id]
        elif kind == "redo":
            changes = stored[target]
        else:
            changes = [[t, i, after, before] for t, i, before, after in reversed(stored[target])]
        out.append((entry_id, [c for c in changes if c[0] in TABLES]))
    return out


def replay(path: Path) -> int:
    """Check the whole log; returns the number of entries. Raises AssertionError."""
    conn = sqlite3.connect(path)
    try:
        state = _rows(conn)
        current = dict(state)
        log = _effective(conn)
        for entry_id, changes in reversed(log):
            for table, row_id, before, after in reversed(changes):
                here = state.get((table, row_id))
                assert here == _norm(table, after), f"entry {entry_id}: {table} {row_id} after"
                if before is None:
                    state.pop((table, row_id), None)
                else:
                    state[(table, row_id)] = _norm(table, before)  # type: ignore[assignment]
        # The import state: every passage there reads as it was imported.
        for (table, _), row in state.items():
            if table == "passages":
                assert row["text"] == row["original"], "the import state is not the import"
        for entry_id, changes in log:
            for table, row_id, before, after in changes:
                here = state.get((table, row_id))
                assert here == _norm(table, before), f"entry {entry_id}: {table} {row_id} before"
                if after is None:
                    state.pop((table, row_id), None)
                else:
                    state[(table, row_id)] = _norm(table, after)  # type: ignore[assignment]
        assert state == current, "replaying the log does not give the project"
        return len(log)
    finally:
        conn.close()
