"""Reading the history: entries, the undo and redo stacks worked out from the log, and a
passage's versions."""

from __future__ import annotations

import json
import zlib
from typing import Any

from editor.errors import ProjectError, TranscriptError
from editor.history import (
    HistoryEntry,
    Row,
    RowChange,
    Version,
    decode_change,
    load_changes,
)
from editor.store_base import StoreBase
from editor.values import one_line, stored_text

# A stored change that does not fit the row it names (edited by hand, a damaged file).
_NOT_AS_STORED = (ValueError, TypeError, KeyError, IndexError, AttributeError)


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
        # What the list shows, read leniently: a value edited by hand into something else
        # is shown as nothing (no time, no passages, no details), not a failure.
        ids = _json(pids, list)
        return HistoryEntry(
            id=entry_id,
            time=_time(t) or 0.0,
            kind=kind,
            command=command,
            # One line, no control characters: the history list printed raw escapes, and a
            # replacement's line break split an entry over two lines.
            description=one_line(stored_text(description)),
            source=source,
            passage_ids=[i for i in ids if isinstance(i, int) and not isinstance(i, bool)],
            target=target,
            extra=_json(extra, dict),
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

    def _stored_changes(self, entry_id: int) -> list[list[Any]]:
        row = self.conn.execute("SELECT changes FROM history WHERE id = ?", (entry_id,)).fetchone()
        # A bulk entry's blob comes back in the same compact form (editor.history).
        try:
            stored = load_changes(row[0]) if row else []
            # JSON of another shape ('{"a": 1}' read as ["a"]) failed later, mid-undo, as
            # "unexpected problem: string index out of range".
            for data in stored:
                if not (type(data) is list and len(data) >= 3 and type(data[0]) is str):
                    raise ValueError("not a stored change")
                if type(data[1]) is not int:
                    raise ValueError("not a row id")
            return stored
        except (ValueError, TypeError, KeyError, IndexError, zlib.error) as exc:
            # Not what we wrote (edited by hand, or a damaged file): undo cannot go past it.
            raise ProjectError(
                f"history is out of step with the project at entry {entry_id}"
            ) from exc

    def _changes_of(self, entry_id: int, *, forward: bool) -> list[RowChange]:
        """A "do" entry's changes with whole rows, rebuilt from what it stored and the rows as
        they are: before it (``forward``, to redo it) or after it (to undo it)."""
        stored = self._stored_changes(entry_id)
        if len({(data[0], data[1]) for data in stored}) == len(stored):
            # Each row once (a replace-all over thousands of passages): every change reads
            # the row as it is, in any order, and takes that fresh row without copying it.
            try:
                return [
                    decode_change(
                        data, self._current_row(data[0], data[1]), forward=forward, copy=False
                    )
                    for data in stored
                ]
            except _NOT_AS_STORED:
                pass  # say which row below, where the order matters
        # A row changed twice in one entry sees its own earlier step, not the database's.
        state: dict[tuple[str, int], Row | None] = {}
        out: list[RowChange] = []
        for data in stored if forward else reversed(stored):
            key = (str(data[0]), int(data[1]))
            current = state[key] if key in state else self._current_row(*key)
            try:
                ch = decode_change(data, current, forward=forward)
            except _NOT_AS_STORED:
                raise ProjectError(
                    f"history is out of step with the project at {key[0]} {key[1]}"
                ) from None
            state[key] = ch.after if forward else ch.before
            out.append(ch)
        if not forward:
            out.reverse()
        return out

    def passage_versions(self, passage_id: int) -> list[Version]:
        """Every text the passage had, oldest first, starting with the original.

        The entries that changed it come from indexes (not a scan of the log): the "do"
        entries from history_passages, their undos and redos by their target (m006). Its
        texts are worked out backwards from the passage as it is, through each entry's deltas."""
        rows = list(
            self.conn.execute(
                "SELECT h.id, h.time, h.kind, h.source, h.target FROM history_passages AS x"
                " JOIN history AS h ON h.id = x.entry_id WHERE x.passage_id = ?1"
                " UNION"
                " SELECT h.id, h.time, h.kind, h.source, h.target FROM history_passages AS x"
                " JOIN history AS h ON h.target = x.entry_id WHERE x.passage_id = ?1"
                " ORDER BY 1",
                (passage_id,),
            )
        )
        state = self._current_row("passages", passage_id)
        # states[i] is the passage after rows[i]; priors[i] before it.
        states: list[Row | None] = []
        priors: list[Row | None] = []
        for entry_id, _t, kind, _source, target in reversed(rows):
            do_id = entry_id if kind == "do" else target
            try:
                stored = self._stored_changes(do_id)
            except ProjectError:
                break  # not readable: show what could be worked out
            data = next((c for c in stored if c[0] == "passages" and c[1] == passage_id), None)
            if data is None:
                break
            try:
                if kind == "undo":  # the row went from the entry's after to its before
                    prior = decode_change(data, state, forward=True).after
                else:
                    prior = decode_change(data, state, forward=False).before
            except ValueError:
                break  # out of step: show what could be worked out
            states.append(state)
            priors.append(prior)
            state = prior
        states.reverse()
        priors.reverse()
        rows = rows[len(rows) - len(states) :]
        versions: list[Version] = []
        first_text: str | None = None
        for (entry_id, t, kind, source, _target), after, before in zip(
            rows, states, priors, strict=True
        ):
            if first_text is None and before is not None:
                first_text = before["text"]
            if after is not None and (before or {}).get("text") != after["text"]:
                label = source if kind == "do" else kind
                versions.append(Version(_time(t), label, after["text"], entry_id))
        if passage_id in self._index:
            p = self.passage(passage_id)
            start = Version(None, "original", p.original, None)
            if first_text is not None and first_text != p.original:
                # The passage was created by a split: its first state is the original.
                start = Version(None, "original", first_text, None)
            return [start, *versions]
        return versions


MAX_EPOCH = 32503680000.0  # the year 3000: a later "time" is not one


def _time(value: object) -> float | None:
    """An entry's time, when it is a number in range (a hand edit may have made it text)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= MAX_EPOCH:
        return float(value)
    return None


def _json(value: object, kind: type) -> Any:
    """``value`` decoded from JSON when it is JSON of ``kind``; else an empty ``kind``."""
    try:
        decoded = json.loads(value) if isinstance(value, str | bytes) else None
    except ValueError:
        decoded = None
    return decoded if isinstance(decoded, kind) else kind()
