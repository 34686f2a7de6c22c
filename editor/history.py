"""Edit history records: what a command changed, row by row, so undo is generic."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]


@dataclass
class RowChange:
    """One row's state before and after a change; None means the row did not exist."""

    table: str  # "passages" | "speakers" | "suggestions" | "memory"
    id: int
    before: Row | None
    after: Row | None

    def inverse(self) -> RowChange:
        return RowChange(self.table, self.id, self.after, self.before)

    def to_json(self) -> list[Any]:
        return [self.table, self.id, self.before, self.after]

    @classmethod
    def from_json(cls, data: list[Any]) -> RowChange:
        table, row_id, before, after = data
        return cls(table, row_id, before, after)


@dataclass
class ChangeSet:
    """What listeners are told after execute/undo/redo."""

    passage_ids: set[int] = field(default_factory=set)
    speaker_ids: set[int] = field(default_factory=set)
    suggestion_ids: set[int] = field(default_factory=set)
    structure: bool = False  # passages inserted, deleted or reordered
    memory: bool = False  # what decisions taught (glossary, rules) changed
    reloaded: bool = False  # another process changed the project: everything may differ


@dataclass
class HistoryEntry:
    id: int
    time: float
    kind: str  # "do" | "undo" | "redo"
    command: str
    description: str
    source: str
    passage_ids: list[int]
    target: int | None = None  # the entry an undo/redo acts on
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Version:
    """One text a passage had: the original first, then each change."""

    time: float | None
    source: str
    text: str
    entry_id: int | None


def merge_changes(changes: list[RowChange]) -> list[RowChange]:
    """Fold several changes to one row into one (first before, last after); drop no-ops."""
    merged: dict[tuple[str, int], RowChange] = {}
    for ch in changes:
        key = (ch.table, ch.id)
        if key in merged:
            merged[key] = RowChange(ch.table, ch.id, merged[key].before, ch.after)
        else:
            merged[key] = RowChange(ch.table, ch.id, ch.before, ch.after)
    return [ch for ch in merged.values() if ch.before != ch.after]
