"""Suggestions (proposals for review, not history until decided) and the reply cache; the
worker thread's own writer for both."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from editor.history import Row, RowChange
from editor.store_base import (
    SUGGESTION_FIELDS,
    SUGGESTION_STATES,
    StoreBase,
    WatchedFile,
    file_identity,
)
from editor.store_db import _connect, fresh_ids, save_used_ids

_UNDECIDED = "status IN ('pending', 'failed', 'stale')"
_RUN_KEY = "assist_run"  # meta: the last assist run's start time and whether it finished


def insert_suggestions(conn: sqlite3.Connection, rows: list[Row]) -> tuple[list[Row], list[int]]:
    """Insert suggestion rows (inside the caller's transaction); return them with ids, and
    the ids of undecided suggestions they supersede (deleted)."""
    if len({(row["passage_id"], row["kind"]) for row in rows}) < len(rows):
        return _insert_one_by_one(conn, rows)  # a later row supersedes an earlier one
    # A whole batch in three statements (a 64-way round brings ~900 rows at once): the
    # superseded ones found through the passage index, then one delete, one insert.
    wanted = {(row["passage_id"], row["kind"]) for row in rows}
    order = {key: i for i, key in enumerate((row["passage_id"], row["kind"]) for row in rows)}
    found = conn.execute(
        "SELECT id, passage_id, kind FROM suggestions WHERE passage_id IN"
        f" (SELECT value FROM json_each(?)) AND {_UNDECIDED} ORDER BY id",
        (json.dumps(sorted({pid for pid, _ in wanted})),),
    ).fetchall()
    superseded = sorted(
        ((order[(pid, kind)], int(sid)) for sid, pid, kind in found if (pid, kind) in wanted)
    )
    gone = [sid for _, sid in superseded]
    ids = fresh_ids(conn)  # before the delete: an id once used is never given again
    if gone:
        conn.execute(
            "DELETE FROM suggestions WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(gone),),
        )
    new = [_values(row, ids.suggestion()) for row in rows]
    if new:
        cols = ", ".join(f'"{f}"' for f in new[0])
        marks = ", ".join("?" for _ in new[0])
        conn.executemany(
            f"INSERT INTO suggestions ({cols}) VALUES ({marks})", [tuple(v.values()) for v in new]
        )
    save_used_ids(conn, ids)
    return new, gone


def _values(row: Row, sid: int) -> Row:
    values = {f: row.get(f) for f in SUGGESTION_FIELDS}
    values["id"] = sid
    values["created"] = values["created"] or time.time()
    values["flags"] = values["flags"] or "[]"
    return values


def _insert_one_by_one(conn: sqlite3.Connection, rows: list[Row]) -> tuple[list[Row], list[int]]:
    """Row after row, each superseding what came before it (rows for the same passage and
    kind in one batch: the last one stands)."""
    new: list[Row] = []
    gone: list[int] = []
    ids = fresh_ids(conn)
    for row in rows:
        where = f"passage_id = ? AND kind = ? AND {_UNDECIDED}"
        key = (row["passage_id"], row["kind"])
        gone.extend(
            int(old) for (old,) in conn.execute(f"SELECT id FROM suggestions WHERE {where}", key)
        )
        conn.execute(f"DELETE FROM suggestions WHERE {where}", key)
        values = _values(row, ids.suggestion())
        cols = ", ".join(f'"{f}"' for f in values)
        marks = ", ".join("?" for _ in values)
        conn.execute(f"INSERT INTO suggestions ({cols}) VALUES ({marks})", tuple(values.values()))
        new.append(values)
    save_used_ids(conn, ids)
    # A row superseded within the batch was never stored for the caller: not new, not gone.
    ours = {row["id"] for row in new}
    return [row for row in new if row["id"] not in gone], [sid for sid in gone if sid not in ours]


def _clear_failed(
    conn: sqlite3.Connection, passage_ids: list[int], kind: str = "readability"
) -> list[int]:
    """Delete the failed suggestions of ``kind`` of passages a model has now answered,
    leaving them as they were: the failure was over, and still listed and asked again."""
    if not passage_ids:
        return []
    where = "passage_id IN (SELECT value FROM json_each(?)) AND kind = ? AND status = 'failed'"
    arg = (json.dumps(sorted(set(passage_ids))), kind)
    gone = [int(sid) for (sid,) in conn.execute(f"SELECT id FROM suggestions WHERE {where}", arg)]
    if gone:
        conn.execute(f"DELETE FROM suggestions WHERE {where}", arg)
    return gone


def _store_results(
    conn: sqlite3.Connection,
    rows: list[Row],
    replies: list[tuple[str, str]],
    cleared: list[int],
    kind: str,
) -> tuple[list[Row], list[int]]:
    """``store_results``' database work (inside the caller's transaction), for the project
    and for a worker's writer alike: (the rows stored, the suggestions gone)."""
    _put_replies(conn, replies)
    new, gone = insert_suggestions(conn, rows) if rows else ([], [])
    return new, gone + _clear_failed(conn, cleared, kind)


def _put_replies(conn: sqlite3.Connection, items: list[tuple[str, str]]) -> None:
    now = time.time()
    conn.executemany(
        "INSERT OR REPLACE INTO assist_cache (key, reply, created) VALUES (?, ?, ?)",
        [(key, reply, now) for key, reply in items],
    )


class ReplyCache:
    """Model replies kept by question, so an unchanged passage is never asked twice."""

    conn: sqlite3.Connection

    def cache_get(self, key: str) -> str | None:
        row = self.conn.execute("SELECT reply FROM assist_cache WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def cache_get_many(self, keys: list[str]) -> dict[str, str]:
        """The replies kept for any of ``keys``, in one query (a run looks up every passage
        before its first request)."""
        found: dict[str, str] = {}
        for start in range(0, len(keys), 5000):  # bounded statement size
            part = json.dumps(keys[start : start + 5000])
            found.update(
                (str(k), str(r))
                for k, r in self.conn.execute(
                    "SELECT key, reply FROM assist_cache WHERE key IN"
                    " (SELECT value FROM json_each(?))",
                    (part,),
                )
            )
        return found

    def cache_put(self, key: str, reply: str) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO assist_cache (key, reply, created) VALUES (?, ?, ?)",
            (key, reply, time.time()),
        )


class SuggestionWriter(ReplyCache, WatchedFile):
    """A worker thread's own connection for storing suggestions and the reply cache, so
    model results never touch the GUI thread's connection (WAL lets both work). It looks
    whether the file is still the project's before each write: its own commits hid a backup
    copied over the file from the window, and it wrote on into the backup, damaging it."""

    def __init__(
        self, path: Path, on_stored: Callable[[list[Row], list[int]], None] | None = None
    ) -> None:
        self.path = path
        self.conn = _connect(path)
        self.conn.execute("PRAGMA busy_timeout = 5000")
        self.on_stored = on_stored
        self._identity = file_identity(path)
        self.note_file()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._check_not_gone()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.conn.execute("COMMIT")
            self.note_file()
        except BaseException:
            if self.conn.in_transaction:  # SQLite may have rolled back already (a full disk)
                self.conn.execute("ROLLBACK")
            raise

    def add_suggestions(self, rows: list[Row]) -> list[int]:
        with self._transaction():
            new, gone = insert_suggestions(self.conn, rows)
        if self.on_stored is not None:
            self.on_stored(new, gone)
        return [row["id"] for row in new]

    def store_results(
        self,
        rows: list[Row],
        replies: list[tuple[str, str]],
        cleared: list[int] | None = None,
        kind: str = "readability",
    ) -> list[int]:
        """Replies for the cache and the suggestions made of them, in one transaction; the
        failures of ``kind`` of the ``cleared`` passages (answered now) go."""
        with self._transaction():
            new, gone = _store_results(self.conn, rows, replies, cleared or [], kind)
        if self.on_stored is not None and (new or gone):
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

    def store_results(
        self,
        rows: list[Row],
        replies: list[tuple[str, str]],
        cleared: list[int] | None = None,
        kind: str = "readability",
    ) -> list[int]:
        """Replies for the cache and the suggestions made of them, in one transaction (one
        commit for everything a round of requests brought, not two a reply); the failures
        of ``kind`` of the ``cleared`` passages (answered now) go."""
        with self._writing():
            new, gone = _store_results(self.conn, rows, replies, cleared or [], kind)
        if new or gone:
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
        """Set a status that is a fact, not a decision (stale): no history entry. Nothing to
        set, nothing written and nobody told (after every commit of typing the window asks,
        and each answer of none was a transaction and a refresh of every panel)."""
        rows = [
            row
            for sid in ids
            if (row := self.suggestions.get(sid)) is not None and row["status"] != status
        ]
        if not rows:
            return
        changes = []
        with self._writing():
            for row in rows:
                sid = row["id"]
                self.conn.execute("UPDATE suggestions SET status = ? WHERE id = ?", (status, sid))
                changes.append(RowChange("suggestions", sid, dict(row), {**row, "status": status}))
        self._apply_memory(changes)
        self._notify(changes)

    def suggestions_for(self, passage_id: int, status: str | None = "pending") -> list[Row]:
        """The passage's suggestions (with ``status``, or all), in id order."""
        rows = self.suggestions.for_passage(passage_id)
        return rows if status is None else [row for row in rows if row["status"] == status]

    def suggestion_counts(self, since: float | None = None) -> dict[str, int]:
        """Suggestions by status; with ``since``, only those made at or after it (a run's)."""
        counts = dict.fromkeys(SUGGESTION_STATES, 0)
        here = self._index
        for row in self.suggestions.values():
            # One of a passage that is gone (a split undone, a merge) is kept for the redo
            # or undo that brings its passage back, but has nowhere to be seen or decided:
            # counted, it was "1 stale" that no list or key could reach.
            if row["passage_id"] not in here:
                continue
            if row["status"] in counts and (since is None or (row["created"] or 0) >= since):
                counts[row["status"]] += 1
        return counts

    # The last assist run, kept per project in meta (no schema change: meta is key/value):
    # when it started, and whether it finished. A cancelled run resumed by the next one
    # keeps its start, so its progress counts what both parts suggested.

    def last_run(self) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (_RUN_KEY,)).fetchone()
        try:
            run = json.loads(row[0]) if row else None
        except json.JSONDecodeError:
            return None
        return run if isinstance(run, dict) and isinstance(run.get("started"), float) else None

    def run_start_time(self) -> float:
        """When a run starting now counts from: now, or the start of a cancelled run that it
        resumes. Nothing is written."""
        run = self.last_run()
        return float(run["started"]) if run is not None and not run.get("finished") else time.time()

    def run_started(self) -> float:
        """A run starts (or a cancelled one resumes): note it, and return its start time."""
        started = self.run_start_time()
        self._set_run({"started": started, "finished": False})
        return started

    def run_finished(self, started: float | None = None) -> None:
        """The run ends. ``started``: the start of a run not noted when it began (the command
        line notes its run only once it has ended, not with a write before its first request)."""
        run = self.last_run() if started is None else {"started": float(started)}
        if run is not None:
            self._set_run({**run, "finished": True})

    def _set_run(self, run: dict[str, Any]) -> None:
        if self.read_only:
            return
        self.conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (_RUN_KEY, json.dumps(run))
        )
