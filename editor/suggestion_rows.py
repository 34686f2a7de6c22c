"""A project's suggestions in memory: rows by id, indexed by passage.

The window asks "what does this passage have to review?" for every row it draws, and a
run asks it of every passage it plans; a scan of all suggestions each time cost 3.7 ms a
row at 30,000 suggestions (100 hours). The index is kept in step by every way a row is
added, replaced or removed; a row's ``passage_id`` never changes in place (a change of
any field replaces the row).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Row = dict[str, Any]


class SuggestionRows(dict[int, Row]):
    """``{suggestion id: row}``, with ``for_passage`` answered from an index."""

    def __init__(self, rows: Mapping[int, Row] | Iterable[tuple[int, Row]] = ()) -> None:
        super().__init__()
        self._by_passage: dict[int, dict[int, Row]] = {}
        self.update(rows)

    def for_passage(self, passage_id: int) -> list[Row]:
        """The passage's rows in id order (the order they were made)."""
        rows = self._by_passage.get(passage_id)
        return [rows[sid] for sid in sorted(rows)] if rows else []

    def __setitem__(self, sid: int, row: Row) -> None:
        old = super().get(sid)
        if old is not None:
            self._forget(sid, old)
        super().__setitem__(sid, row)
        self._by_passage.setdefault(row["passage_id"], {})[sid] = row

    def __delitem__(self, sid: int) -> None:
        row = self[sid]
        super().__delitem__(sid)
        self._forget(sid, row)

    def _forget(self, sid: int, row: Row) -> None:
        rows = self._by_passage.get(row["passage_id"])
        if rows is not None:
            rows.pop(sid, None)
            if not rows:
                del self._by_passage[row["passage_id"]]

    _MISSING: Any = object()

    def pop(self, sid: int, default: Any = _MISSING) -> Any:  # type: ignore[override]
        if sid in self:
            row = self[sid]
            del self[sid]
            return row
        if default is self._MISSING:
            raise KeyError(sid)
        return default

    def popitem(self) -> tuple[int, Row]:
        sid, row = super().popitem()
        self._forget(sid, row)
        return sid, row

    def setdefault(self, sid: int, row: Row) -> Row:  # type: ignore[override]
        if sid not in self:
            self[sid] = row
        return self[sid]

    def clear(self) -> None:
        super().clear()
        self._by_passage.clear()

    def update(self, *args: Any, **kwargs: Any) -> None:
        for sid, row in dict(*args, **kwargs).items():
            self[sid] = row

    def __ior__(self, other: Any) -> SuggestionRows:  # type: ignore[override,misc]
        self.update(other)
        return self
