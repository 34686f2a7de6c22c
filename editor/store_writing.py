"""Changing the project: one writer at a time, each command one history entry in one
transaction, checked against the rows as they are; undo and redo replay entries."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections import OrderedDict, deque
from collections.abc import Iterator
from itertools import repeat
from operator import attrgetter
from typing import Any

from editor.commands import Command, Compound
from editor.errors import ProjectError, sqlite_failure
from editor.history import (
    BulkUpdate,
    ChangeSet,
    HistoryEntry,
    Row,
    RowChange,
    bulk_of,
    check_crcs,
    decode_bulk,
    encode_bulk,
    encode_change,
    is_bulk,
    merge_changes,
)
from editor.model import Passage, Speaker
from editor.store_base import _FIELDS, Listener, StoreBase, _without_seq
from editor.store_db import fresh_ids, save_used_ids

_RECENT_ROWS = 50_000  # whole rows of recent entries kept in memory for undo and redo
_RECENT_ENTRIES = 200


class WritingMixin(StoreBase):
    def add_listener(self, fn: Listener) -> None:
        self._listeners.append(fn)

    def remove_listener(self, fn: Listener) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(fn)

    def _notify(self, changes: list[RowChange]) -> None:
        cs = ChangeSet()
        for ch in changes:
            if ch.table == "suggestions":
                cs.suggestion_ids.add(ch.id)
                row = ch.after or ch.before or {}
                if row.get("passage_id") is not None:
                    cs.passage_ids.add(row["passage_id"])
            elif ch.table == "passages":
                cs.passage_ids.add(ch.id)
                if ch.before is None or ch.after is None or ch.before["seq"] != ch.after["seq"]:
                    cs.structure = True
            elif ch.table == "speakers":
                cs.speaker_ids.add(ch.id)
                if ch.before is None or ch.after is None:
                    cs.structure = True
            elif ch.table == "memory":
                cs.memory = True
        for fn in list(self._listeners):
            fn(cs)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._check_writable()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                self.conn.execute("COMMIT")
                self.note_file()  # a checkpoint at the commit wrote the file: ours
            except BaseException:
                # SQLite may already have rolled back (a full disk does): no second error.
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as exc:
            # "disk full", "read-only", not "damaged or not a project" or "cannot rollback".
            raise sqlite_failure(exc, str(self.path)) from None

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """One writer at a time: take the write lock (waiting for another process's), catch
        up with what others committed, and only then work out and write the change, so it is
        checked against the database as it is, never against a stale copy."""
        try:
            with self._transaction():
                self._catch_up()
                self._ids = fresh_ids(self.conn)
                yield
        finally:
            self._tell_notice()

    def _compute(self, command: Command) -> list[RowChange]:
        """The rows a command changes; Compound parts see each other's effects."""
        if not isinstance(command, Compound):
            return command.changes(self.doc, self._ids)
        applied: list[RowChange] = []
        try:
            for part in command.commands:
                part_changes = self._compute(part)
                self._apply_memory(part_changes)
                applied.extend(part_changes)
        finally:
            self._apply_memory([ch.inverse() for ch in reversed(applied)])
        return merge_changes(applied)

    def execute(
        self, command: Command, *, extra: dict[str, Any] | None = None
    ) -> HistoryEntry | None:
        """Apply a command as one history entry; None when it changes nothing."""
        with self._writing():
            changes = merge_changes(self._compute(command))
            if not changes:
                return None
            info = {**command.extra(), **(extra or {})}
            # Many passages updated at once (a replace-all) are stored and kept as one bulk
            # update: its undo and redo then cost no per-row Python (editor.history).
            bulk = bulk_of(changes)
            entry = self._record(
                "do",
                command.name,
                command.describe(self.doc),
                command.source,
                changes,
                None,
                info,
                stored=encode_bulk(bulk) if bulk is not None else None,
            )
            self._redo.clear()
            self._undo.append(entry.id)
        # Only once committed: a failed commit's id is given to the next entry.
        self._remember(entry.id, bulk if bulk is not None else changes)
        self._applied(changes)
        return entry

    def undo(self) -> HistoryEntry | None:
        self.commit_all_drafts()
        return self._step("undo")

    def redo(self) -> HistoryEntry | None:
        return self._step("redo")

    def _step(self, kind: str) -> HistoryEntry | None:
        with self._writing():
            stack, other = (self._undo, self._redo) if kind == "undo" else (self._redo, self._undo)
            if not stack:
                return None
            entry, changes = self._replay(kind, stack[-1])
            other.append(stack.pop())
        if isinstance(changes, BulkUpdate):
            self._applied_bulk(changes, forward=kind == "redo")
        else:
            self._applied(changes)
        return entry

    def _replay(
        self, kind: str, target_id: int
    ) -> tuple[HistoryEntry, list[RowChange] | BulkUpdate]:
        """Apply an entry's changes backwards (undo) or forwards (redo), as a new entry that
        points at it; its rows are read from the target, not stored twice."""
        target = self.entry(target_id)
        known = self._recent_changes().get(target.id)
        if known is None:
            raw = self.conn.execute(
                "SELECT changes FROM history WHERE id = ?", (target.id,)
            ).fetchone()[0]
            if is_bulk(raw):
                # Undo reads only the old texts: the new ones are the rows' (checked).
                known = decode_bulk(raw, news=kind == "redo")
        if isinstance(known, BulkUpdate):
            entry = self._record_bulk(kind, target, known)
            self._remember(target.id, known)  # complete now: both sides are known
            return entry, known
        changes = known
        checked = changes is None
        if changes is None:
            # Whole rows rebuilt from the stored deltas and the rows as they are now.
            changes = self._changes_of(target.id, forward=kind == "redo")
            self._remember(target.id, changes)
        if kind == "undo":
            changes = [ch.inverse() for ch in reversed(changes)]
        entry = self._record(
            kind,
            target.command,
            f"{kind.capitalize()}: {target.description}",
            target.source,
            changes,
            target.id,
            {},
            store_changes=False,
            checked_updates=checked,
        )
        return entry, changes

    def _recent_changes(self) -> OrderedDict[int, list[RowChange] | BulkUpdate]:
        # Created on first use: the mixins share no constructor.
        recent: OrderedDict[int, list[RowChange] | BulkUpdate] | None = self.__dict__.get("_recent")
        if recent is None:
            recent = self.__dict__["_recent"] = OrderedDict()
        return recent

    def _remember(self, entry_id: int, changes: list[RowChange] | BulkUpdate) -> None:
        """Keep the whole rows of the latest entries in memory (as aeidon keeps its undo
        stack), so undoing and redoing them needs no decoding; an entry's rows never change,
        so the copy cannot go stale. Bounded by rows, not entries: one replace-all is many."""
        recent = self._recent_changes()
        recent[entry_id] = changes
        recent.move_to_end(entry_id)
        total = sum(len(c) for c in recent.values())
        while len(recent) > 1 and (total > _RECENT_ROWS or len(recent) > _RECENT_ENTRIES):
            _, dropped = recent.popitem(last=False)
            total -= len(dropped)

    def _record(
        self,
        kind: str,
        command: str,
        description: str,
        source: str,
        changes: list[RowChange],
        target: int | None,
        extra: dict[str, Any],
        *,
        store_changes: bool = True,
        checked_updates: bool = False,
        stored: bytes | None = None,
    ) -> HistoryEntry:
        """Write the rows and the history entry (inside ``_writing``'s transaction);
        ``stored`` is the entry's bulk blob, when it has one, instead of the compact form."""
        passage_ids = sorted(
            {ch.id for ch in changes if ch.table == "passages"}
            | {
                (ch.after or ch.before or {}).get("passage_id", 0)
                for ch in changes
                if ch.table == "suggestions"
            }
        )
        now = time.time()
        if checked_updates:
            # Updates rebuilt from stored deltas were checked against the rows then (and
            # are made of them): only inserts and deletes are left to check.
            self._check_preconditions(
                [ch for ch in changes if ch.before is None or ch.after is None]
            )
        else:
            self._check_preconditions(changes)
        self._apply_db(changes)
        if stored is None and store_changes:
            # What changed, field by field (editor.history): not whole rows twice.
            stored_text = json.dumps([encode_change(c) for c in changes], ensure_ascii=False)
        return self._insert_entry(
            HistoryEntry(0, now, kind, command, description, source, passage_ids, target, extra),
            stored if stored is not None else stored_text if store_changes else "[]",
            [ch.id for ch in changes if ch.table == "passages"],
        )

    def _insert_entry(
        self, entry: HistoryEntry, stored: str | bytes, touched: list[int]
    ) -> HistoryEntry:
        """Append the entry to the log, with the passages whose rows it changed."""
        cur = self.conn.execute(
            "INSERT INTO history (time, kind, command, description, source, passage_ids,"
            " target, changes, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                entry.time,
                entry.kind,
                entry.command,
                entry.description,
                entry.source,
                json.dumps(entry.passage_ids),
                entry.target,
                stored,
                json.dumps(entry.extra, ensure_ascii=False),
            ),
        )
        save_used_ids(self.conn, self._ids)
        entry.id = int(cur.lastrowid or 0)
        if entry.kind == "do":
            # Which entries changed each passage's row: what passage_versions reads. An undo
            # or redo changes its target's passages and is found by its target (m006): a
            # row per passage here would cost a replace-all's undo a tenth of its time.
            self.conn.executemany(
                "INSERT OR IGNORE INTO history_passages (passage_id, entry_id) VALUES (?, ?)",
                [(pid, entry.id) for pid in touched],
            )
        self._head = entry.id
        return entry

    def _record_bulk(self, kind: str, target: HistoryEntry, bulk: BulkUpdate) -> HistoryEntry:
        """Undo or redo a bulk entry: per column, check the rows hold what the entry left
        (undo) or found (redo) with one list comparison, then write the other side with one
        executemany per group. Nothing is decoded or copied per row."""
        forward = kind == "redo"
        for group in bulk.groups:
            rows = self._bulk_rows(group.ids)
            for column in group.columns:
                current = list(map(attrgetter(column.field), rows))
                expected = column.olds if forward else column.news
                if expected is None:  # undo of an entry read back: its crcs say
                    bad = check_crcs(column, current)
                else:
                    bad = None if current == expected else _first_difference(current, expected)
                if bad is not None:
                    raise ProjectError(
                        f"history is out of step with the project at {bulk.table} {group.ids[bad]}"
                    )
                if expected is None:
                    column.news = current  # checked: the rows hold the entry's new values
        for group in bulk.groups:
            sets = ", ".join(f'"{c.field}" = ?' for c in group.columns)
            values = [c.side(forward=forward) for c in group.columns]
            self.conn.executemany(
                f"UPDATE {bulk.table} SET {sets} WHERE id = ?", zip(*values, group.ids, strict=True)
            )
        ids = bulk.ids()
        entry = HistoryEntry(
            0,
            time.time(),
            kind,
            target.command,
            f"{kind.capitalize()}: {target.description}",
            target.source,
            sorted(ids),
            target.id,
            {},
        )
        return self._insert_entry(entry, "[]", ids)

    def _bulk_rows(self, ids: list[int]) -> list[Passage]:
        # Bulk entries only ever update passages (editor.history.bulk_of).
        index, passages = self._index, self.doc.passages
        try:
            return [passages[index[i]] for i in ids]
        except KeyError as exc:
            raise ProjectError(
                f"history is out of step with the project at passages {exc.args[0]}"
            ) from None

    def _applied_bulk(self, bulk: BulkUpdate, *, forward: bool) -> None:
        """After the commit: the passages in memory take the values, listeners are told."""
        for group in bulk.groups:
            rows = self._bulk_rows(group.ids)
            for column in group.columns:
                # setattr over the rows in a C loop (a deque of length 0 only consumes); the
                # values and rows were matched one to one before the commit (_record_bulk).
                values = column.side(forward=forward)
                deque(map(setattr, rows, repeat(column.field), values), maxlen=0)
        # No passage moves in a bulk entry (bulk_of refuses seq): no re-sort, no structure.
        cs = ChangeSet(passage_ids=set(bulk.ids()))
        for fn in list(self._listeners):
            fn(cs)

    def _applied(self, changes: list[RowChange]) -> None:
        """After the commit: the in-memory copy follows, and listeners are told."""
        self._apply_memory(changes)
        self._notify(changes)

    def _check_preconditions(self, changes: list[RowChange]) -> None:
        # The rows must be as the change expects: guards undo of an entry whose rows moved on.
        for ch in changes:
            current = self._current_row(ch.table, ch.id)
            if ch.table == "speakers":
                # A speaker's seq is only its display order; it shifts when others go.
                current = _without_seq(current)
                before = _without_seq(ch.before)
            else:
                before = ch.before
            if not _same_row(current, before):
                raise ProjectError(f"history is out of step with the project at {ch.table} {ch.id}")

    def _current_row(self, table: str, row_id: int) -> Row | None:
        if table in ("suggestions", "memory"):
            row = (self.suggestions if table == "suggestions" else self.memory).get(row_id)
            return dict(row) if row is not None else None
        if table == "passages":
            if row_id not in self._index:
                return None
            p = self.doc.passages[self._index[row_id]]
            return {
                "id": p.id,
                "seq": p.seq,
                "speaker_id": p.speaker_id,
                "start": p.start,
                "end": p.end,
                "original": p.original,
                "text": p.text,
            }
        for seq, s in enumerate(self.doc.speakers):
            if s.id == row_id:
                return {"id": s.id, "seq": seq, "label": s.label, "name": s.name, "color": s.color}
        return None

    def _apply_db(self, changes: list[RowChange]) -> None:
        # An update writes only the fields that changed, and runs of the same statement go
        # in one executemany: undoing a replace-all over thousands of passages stays quick.
        # The order of the changes is kept (a memory key may be freed, then taken).
        sql: str | None = None
        batch: list[tuple[Any, ...]] = []
        for ch in changes:
            fields = _FIELDS[ch.table]
            params: tuple[Any, ...]
            if ch.after is None:
                statement, params = f"DELETE FROM {ch.table} WHERE id = ?", (ch.id,)
            elif ch.before is None:
                cols = ", ".join(f'"{f}"' for f in fields)
                marks = ", ".join("?" for _ in fields)
                statement = f"INSERT OR REPLACE INTO {ch.table} ({cols}) VALUES ({marks})"
                params = tuple(ch.after.get(f) for f in fields)  # a column newer than the row
            else:
                before, after = ch.before, ch.after
                changed = [f for f in fields if f != "id" and before.get(f) != after.get(f)]
                if not changed:
                    continue
                sets = ", ".join(f'"{f}" = ?' for f in changed)
                statement = f"UPDATE {ch.table} SET {sets} WHERE id = ?"
                params = (*(after[f] for f in changed), ch.id)
            if statement != sql:
                if batch:
                    self.conn.executemany(sql or "", batch)
                sql, batch = statement, []
            batch.append(params)
        if batch and sql is not None:
            self.conn.executemany(sql, batch)

    def _apply_memory(self, changes: list[RowChange]) -> None:
        structure = False
        for ch in changes:
            if ch.table == "passages":
                if ch.before is None or ch.after is None:
                    structure = True
                if ch.after is None:
                    idx = self._index.pop(ch.id, None)
                    if idx is not None:
                        self.doc.passages[idx] = None  # type: ignore[call-overload]
                    continue
                row = ch.after
                if ch.id in self._index:
                    p = self.doc.passages[self._index[ch.id]]
                    if p.seq != row["seq"]:
                        structure = True
                    p.seq, p.speaker_id, p.start, p.end = (
                        row["seq"],
                        row["speaker_id"],
                        row["start"],
                        row["end"],
                    )
                    p.original, p.text = row["original"], row["text"]
                else:
                    self.doc.passages.append(
                        Passage(
                            speaker_id=row["speaker_id"],
                            original=row["original"],
                            text=row["text"],
                            start=row["start"],
                            end=row["end"],
                            id=row["id"],
                            seq=row["seq"],
                        )
                    )
                    self._index[ch.id] = len(self.doc.passages) - 1
            elif ch.table in ("suggestions", "memory"):
                rows = self.suggestions if ch.table == "suggestions" else self.memory
                if ch.after is None:
                    rows.pop(ch.id, None)
                else:
                    rows[ch.id] = dict(ch.after)
            else:
                self._apply_speaker(ch)
        if structure:
            # In place, so views holding the list see the new order.
            self.doc.passages[:] = sorted(
                (p for p in self.doc.passages if p is not None), key=lambda p: p.seq
            )
            self._reindex()

    def _apply_speaker(self, ch: RowChange) -> None:
        existing = next((s for s in self.doc.speakers if s.id == ch.id), None)
        if ch.after is None:
            if existing is not None:
                self.doc.speakers.remove(existing)
            return
        row = ch.after
        if existing is None:
            existing = Speaker(
                label=row["label"], name=row["name"], id=row["id"], color=row["color"]
            )
            self.doc.speakers.insert(min(row["seq"], len(self.doc.speakers)), existing)
        else:
            existing.label, existing.name, existing.color = row["label"], row["name"], row["color"]


def _first_difference(current: list[Any], expected: list[Any]) -> int:
    return next(k for k, (a, b) in enumerate(zip(current, expected, strict=True)) if a != b)


def _same_row(a: Row | None, b: Row | None) -> bool:
    """The same row, a column one side lacks being NULL on the other: a column a migration
    added after the entry was written (``accepted``), or one a row made in memory left out.
    Compared exactly, undo after reopening was refused for every decision that had proposed
    a glossary fix ("history is out of step ... at suggestions 2")."""
    if a is None or b is None:
        return a is b
    return all(a.get(key) == b.get(key) for key in a.keys() | b.keys())
