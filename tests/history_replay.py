"""Replay a project's whole history log against its rows (a check for tests).

From the rows as they are now, walk the log backwards (every entry's "after" must be what
is there), arriving at the import state; then forwards again (every "before" must match).
Undo and redo entries act with their target's rows. Passages, speakers and what decisions
taught (memory) are checked; suggestion rows also change outside the history (new proposals,
"stale"), so they are not.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from editor.history import decode_change, load_changes

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


def _effective(conn: sqlite3.Connection) -> list[tuple[int, list[tuple[list[Any], bool]]]]:
    """Each entry's stored changes as it acted: (change, forward); an undo runs its target's
    changes backwards. Changes are stored as deltas (editor.history.encode_change)."""
    # load_changes: a bulk entry's blob comes back in the same compact form.
    stored = {i: load_changes(c) for i, c in conn.execute("SELECT id, changes FROM history")}
    out = []
    for entry_id, kind, target in conn.execute("SELECT id, kind, target FROM history ORDER BY id"):
        if kind == "do":
            changes = [(c, True) for c in stored[entry_id]]
        elif kind == "redo":
            changes = [(c, True) for c in stored[target]]
        else:
            changes = [(c, False) for c in reversed(stored[target])]
        out.append((entry_id, [(c, fw) for c, fw in changes if c[0] in TABLES]))
    return out


def _step(state: dict[Key, dict[str, Any]], entry_id: int, data: list[Any], forward: bool) -> None:
    """Move one row across one stored change (``forward`` as stored, or back), checking the
    row is as the change says it was on that side."""
    table, row_id, op, payload = data
    key = (table, row_id)
    here = state.get(key)
    side = "before" if forward else "after"
    if op in ("+", "-"):
        # An insert has no row before it and its whole row after; a delete the reverse.
        absent_here = (op == "+") == forward
        expected = None if absent_here else _norm(table, payload)
        assert here == expected, f"entry {entry_id}: {table} {row_id} {side}"
        if absent_here:
            state[key] = _norm(table, payload)  # type: ignore[assignment]
        else:
            state.pop(key, None)
        return
    assert here is not None, f"entry {entry_id}: {table} {row_id} {side} (missing)"
    try:
        change = decode_change(data, here, forward=forward)
    except ValueError as exc:
        raise AssertionError(f"entry {entry_id}: {table} {row_id} {side}: {exc}") from None
    state[key] = _norm(table, change.after if forward else change.before)  # type: ignore[assignment]


def replay(path: Path) -> int:
    """Check the whole log; returns the number of entries. Raises AssertionError."""
    conn = sqlite3.connect(path)
    try:
        state = _rows(conn)
        current = dict(state)
        log = _effective(conn)
        for entry_id, changes in reversed(log):
            for data, forward in reversed(changes):
                _step(state, entry_id, data, not forward)
        # The import state: every passage there reads as it was imported.
        for (table, _), row in state.items():
            if table == "passages":
                assert row["text"] == row["original"], "the import state is not the import"
        for entry_id, changes in log:
            for data, forward in changes:
                _step(state, entry_id, data, forward)
        assert state == current, "replaying the log does not give the project"
        return len(log)
    finally:
        conn.close()
