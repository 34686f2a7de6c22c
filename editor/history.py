"""Edit history records: what a command changed, row by row, so undo is generic."""

from __future__ import annotations

import re
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


# ------------------------------------------------------------------ the stored form (issue 13)
# A "do" entry stores each changed row as what changed, not as whole rows twice:
#   [table, id, "+", row]          the row was inserted (its whole row: undo deletes it)
#   [table, id, "-", row]          the row was deleted (its whole row: undo puts it back)
#   [table, id, "~", {field: d}]   only the fields that changed; d is [old, new], or for long
#                                  text {"p": [[pos, old, new], ...]}, hunks at positions in
#                                  the old text, so a typed character stores about itself.
# The full rows are rebuilt from the rows as they are when the entry is undone or redone.

_PATCH_MIN = 48  # shorter strings are stored whole: a patch would not be smaller
_TOKEN = re.compile(r"\w+\W*|\W+")  # a word with the spaces and marks after it


def encode_change(ch: RowChange) -> list[Any]:
    if ch.before is None:
        return [ch.table, ch.id, "+", ch.after]
    if ch.after is None:
        return [ch.table, ch.id, "-", ch.before]
    delta: dict[str, Any] = {}
    for key, new in ch.after.items():
        old = ch.before.get(key)
        if old == new:
            continue
        if isinstance(old, str) and isinstance(new, str) and len(old) + len(new) > _PATCH_MIN:
            hunks = text_patch(old, new)
            if sum(len(a) + len(b) + 8 for _, a, b in hunks) < len(old) + len(new):
                delta[key] = {"p": hunks}
                continue
        delta[key] = [old, new]
    return [ch.table, ch.id, "~", delta]


def decode_change(
    data: list[Any], current: Row | None, *, forward: bool, copy: bool = True
) -> RowChange:
    """The full change a stored one stands for, given the row as it is now: before the
    change when replaying it ``forward`` (redo), after it otherwise (undo). With ``copy``
    False the change takes ``current`` itself as one side (a fresh row the caller gives away).

    Raises ValueError when the row is not as the change expects (history out of step)."""
    table, row_id, op, payload = data
    if op == "+":
        return RowChange(table, row_id, None, dict(payload))
    if op == "-":
        return RowChange(table, row_id, dict(payload), None)
    if current is None:
        raise ValueError("the row is missing")
    other = dict(current)
    if not copy:
        if forward:
            return RowChange(table, row_id, current, _patched(other, table, payload, True))
        return RowChange(table, row_id, _patched(other, table, payload, False), current)
    _patched(other, table, payload, forward)
    if forward:
        return RowChange(table, row_id, dict(current), other)
    return RowChange(table, row_id, other, dict(current))


def _patched(row: Row, table: str, payload: dict[str, Any], forward: bool) -> Row:
    """``row`` (a copy of the current row) with a stored "~" change applied to it."""
    for key, d in payload.items():
        if isinstance(d, dict):
            row[key] = apply_patch(row.get(key), d["p"], forward=forward)
            continue
        old, new = d
        here, there = (old, new) if forward else (new, old)
        if row.get(key) != here and not (table == "speakers" and key == "seq"):
            raise ValueError(f"{key} differs")  # a speaker's seq is only its display order
        row[key] = there
    return row


def text_patch(old: str, new: str) -> list[list[Any]]:
    """Hunks [pos, removed, inserted] turning ``old`` into ``new`` (pos in ``old``, ascending).

    The common ends first (a typed edit is one hunk); the rest is diffed word by word,
    greedily: where words differ, the nearest point where they agree again ends the hunk."""
    n = min(len(old), len(new))
    p = 0
    while p < n and old[p] == new[p]:
        p += 1
    s = 0
    while s < n - p and old[len(old) - 1 - s] == new[len(new) - 1 - s]:
        s += 1
    a, b = old[p : len(old) - s], new[p : len(new) - s]
    if len(a) + len(b) <= _PATCH_MIN:
        return [[p, a, b]]
    # Diff whole words: widen the middle to word starts (the ends are common to both).
    while p > 0 and (old[p - 1].isalnum() or old[p - 1] == "_"):
        p -= 1
    while s > 0 and (old[len(old) - s].isalnum() or old[len(old) - s] == "_"):
        s -= 1
    a, b = old[p : len(old) - s], new[p : len(new) - s]
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    starts = [p]
    for t in ta:
        starts.append(starts[-1] + len(t))
    hunks: list[list[Any]] = []
    i = j = 0
    while i < len(ta) and j < len(tb):
        if ta[i] == tb[j]:
            i, j = i + 1, j + 1
            continue
        k1, k2 = _resync(ta, tb, i, j)
        hunk = [starts[i], "".join(ta[i : i + k1]), "".join(tb[j : j + k2])]
        if hunks and hunks[-1][0] + len(hunks[-1][1]) == hunk[0]:
            hunks[-1][1] += hunk[1]
            hunks[-1][2] += hunk[2]
        else:
            hunks.append(hunk)
        i, j = i + k1, j + k2
    if i < len(ta) or j < len(tb):
        tail = [starts[i], "".join(ta[i:]), "".join(tb[j:])]
        if hunks and hunks[-1][0] + len(hunks[-1][1]) == tail[0]:
            hunks[-1][1] += tail[1]
            hunks[-1][2] += tail[2]
        else:
            hunks.append(tail)
    return hunks


_WINDOW = 24  # how far a greedy diff looks for the words to line up again


def _resync(ta: list[str], tb: list[str], i: int, j: int) -> tuple[int, int]:
    """The fewest words to drop from ``ta`` at i and ``tb`` at j (k1, k2) after which three
    words agree (or both end); linear in practice, unlike difflib on long passages."""
    na, nb = len(ta), len(tb)
    for d in range(1, _WINDOW):
        for k1 in range(d + 1):
            x, y = i + k1, j + d - k1
            if x > na or y > nb:
                continue
            if x == na or y == nb:
                if x == na and y == nb:
                    return k1, d - k1
                continue
            if ta[x : x + 3] == tb[y : y + 3]:
                return k1, d - k1
    return na - i, nb - j  # nothing lines up nearby: the rest is one hunk


def apply_patch(text: Any, hunks: list[list[Any]], *, forward: bool) -> str:
    """``text`` with the hunks applied (forward: old -> new) or taken back (new -> old)."""
    if not isinstance(text, str):
        raise ValueError("not text")
    out: list[str] = []
    last = 0
    shift = 0  # where the hunks' old positions are in the new text
    for pos, removed, inserted in hunks:
        here, there = (removed, inserted) if forward else (inserted, removed)
        at = pos if forward else pos + shift
        if text[at : at + len(here)] != here or at < last:
            raise ValueError("the text differs")
        out.append(text[last:at])
        out.append(there)
        last = at + len(here)
        shift += len(inserted) - len(removed)
    out.append(text[last:])
    return "".join(out)
