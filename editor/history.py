"""Edit history records: what a command changed, row by row, so undo is generic."""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass, field
from itertools import accumulate, repeat
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


# ------------------------------------------------------------------ bulk entries (issue 13)
# An entry that updates many passages, each once (a replace-all), is stored as one blob, so
# that its first undo after reopening costs no per-character work in Python:
#   tag byte, zlib(header JSON), zlib(every old text), zlib(patches JSON)
# Undo needs the old texts: one decompress and a slice per row. It checks the rows still
# hold the new texts by their CRC-32 (stored per row), so the new texts need not be stored
# whole. Redo after reopening, the history panel and the replay check need the new texts
# too: they apply the patches (the compact form's hunks) to the old texts. The first
# stream is about the old texts compressed; the patches are small. A blob (bytes) tells
# itself apart from the compact JSON form (text): old projects need no migration.

BULK_MIN = 64  # rows; smaller entries keep the compact form (a typed character ~60 bytes)
_BULK_TAG = b"\x01"  # the blob's first byte: the version of this layout
_ZLIB_LEVEL = 6


def _crc(text: str) -> int:
    # surrogatepass: a stray surrogate in a pasted text must not make undo fail.
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


@dataclass
class BulkColumn:
    """One field's old and new values over a group's rows."""

    field: str
    olds: list[Any]
    news: list[Any] | None  # None when read back for undo: the rows hold them (see crcs)
    crcs: list[int] | None = None  # CRC-32 of each new text, to check the rows before undo

    def side(self, *, forward: bool) -> list[Any]:
        """The values the rows take: the new ones going forward (redo), else the old."""
        if not forward:
            return self.olds
        if self.news is None:
            raise ValueError("the new values were not read")
        return self.news


@dataclass
class BulkGroup:
    """Rows that change the same fields."""

    ids: list[int]
    columns: list[BulkColumn]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.columns)


@dataclass
class BulkUpdate:
    """An entry's updates of many rows of one table, each row once, grouped by the fields
    that change, so undo and redo are a comparison, an executemany and an assignment per
    column and row, not a whole-row rebuild per row."""

    table: str
    groups: list[BulkGroup]

    def __len__(self) -> int:
        return sum(len(g.ids) for g in self.groups)

    def ids(self) -> list[int]:
        return [i for g in self.groups for i in g.ids]

    def stored(self) -> list[list[Any]]:
        """The same changes in the compact form ("~" with whole [old, new] values), for the
        readers of single changes (passage versions, the history replay check)."""
        out: list[list[Any]] = []
        for g in self.groups:
            for k, row_id in enumerate(g.ids):
                delta: dict[str, Any] = {}
                for c in g.columns:
                    if c.news is None:
                        raise ValueError("the new values were not read")
                    delta[c.field] = [c.olds[k], c.news[k]]
                out.append([self.table, row_id, "~", delta])
        return out


def bulk_of(changes: list[RowChange], fixed: tuple[str, ...] = ("id", "seq")) -> BulkUpdate | None:
    """The bulk form of an entry's changes when they are at least BULK_MIN updates of
    passages, each row once, none moving a passage (``fixed`` fields unchanged: a change of
    order must go through the whole-row path, which re-sorts); otherwise None."""
    if len(changes) < BULK_MIN:
        return None
    # fields -> (ids, [(olds, news) per field])
    groups: dict[tuple[str, ...], tuple[list[int], list[tuple[list[Any], list[Any]]]]] = {}
    seen: set[int] = set()
    for ch in changes:
        before, after = ch.before, ch.after
        if ch.table != "passages" or before is None or after is None or ch.id in seen:
            return None
        seen.add(ch.id)
        fields = tuple(k for k, v in after.items() if before.get(k) != v)
        if not fields or any(f in fixed for f in fields) or before.keys() != after.keys():
            return None
        if fields not in groups:
            groups[fields] = ([], [([], []) for _ in fields])
        ids, values = groups[fields]
        ids.append(ch.id)
        for f, (olds, news) in zip(fields, values, strict=True):
            olds.append(before[f])
            news.append(after[f])
    return BulkUpdate(
        "passages",
        [
            BulkGroup(ids, [BulkColumn(f, o, n) for f, (o, n) in zip(fields, values, strict=True)])
            for fields, (ids, values) in groups.items()
        ],
    )


def encode_bulk(bulk: BulkUpdate) -> bytes:
    """The blob: the header, the old texts, the patches. Header: {"t": table, "g": [{"ids": ids, "c": columns}]}; a column is
    {"f": field, "o": byte lengths of the old texts, "n": CRC-32s of the new} (its old
    texts are in the body, its patches in the second stream) or {"f": field, "v": [[old,
    new], ...]} for values that are not all text (times, speaker ids)."""
    olds: list[bytes] = []
    patches: list[list[list[list[Any]]]] = []
    header_groups: list[dict[str, Any]] = []
    for g in bulk.groups:
        columns: list[dict[str, Any]] = []
        for c in g.columns:
            news = c.news if c.news is not None else []
            if all(isinstance(v, str) for v in c.olds) and all(isinstance(v, str) for v in news):
                encoded = [v.encode("utf-8", "surrogatepass") for v in c.olds]
                olds.extend(encoded)
                patches.append([text_patch(a, b) for a, b in zip(c.olds, news, strict=True)])
                columns.append(
                    {"f": c.field, "o": [len(b) for b in encoded], "n": [_crc(v) for v in news]}
                )
            else:
                pairs = [[a, b] for a, b in zip(c.olds, news, strict=True)]
                columns.append({"f": c.field, "v": pairs})
        header_groups.append({"ids": g.ids, "c": columns})
    header = json.dumps({"t": bulk.table, "g": header_groups}).encode()
    body = b"".join(olds)
    hunks = json.dumps(patches, ensure_ascii=False).encode("utf-8", "surrogatepass")
    # Three zlib streams one after the other: each ends itself (zlib's unused_data).
    return _BULK_TAG + b"".join(zlib.compress(b, _ZLIB_LEVEL) for b in (header, body, hunks))


def is_bulk(raw: object) -> bool:
    return isinstance(raw, bytes) and raw[:1] == _BULK_TAG


def decode_bulk(raw: bytes, *, news: bool) -> BulkUpdate:
    """The entry's old values, and its new ones when ``news`` (else CRC-32s of the texts:
    undo reads the new texts from the rows, once it has checked them)."""
    streams = zlib.decompressobj()
    header = json.loads(streams.decompress(raw[1:]))
    rest = zlib.decompressobj()
    data = memoryview(rest.decompress(streams.unused_data))
    patches: list[Any] = []
    if news:
        patches = json.loads(zlib.decompress(rest.unused_data).decode("utf-8", "surrogatepass"))
    pos = 0
    text_columns = 0
    groups: list[BulkGroup] = []
    for g in header["g"]:
        columns: list[BulkColumn] = []
        for col in g["c"]:
            if "v" in col:
                pairs = col["v"]
                columns.append(BulkColumn(col["f"], [p[0] for p in pairs], [p[1] for p in pairs]))
                continue
            ends = list(accumulate(col["o"], initial=pos))
            pos = ends[-1]
            # Each text decoded on its own: an ASCII one stays compact (one string for
            # all would widen every slice to the widest character in any of them). In C
            # loops (map), not a comprehension: half the time over thousands of rows.
            pieces = map(data.__getitem__, map(slice, ends[:-1], ends[1:]))
            olds = list(map(str, pieces, repeat("utf-8"), repeat("surrogatepass")))
            column = BulkColumn(col["f"], olds, None, col["n"])
            if news:
                hunks = patches[text_columns]
                column.news = [
                    apply_patch(o, h, forward=True) for o, h in zip(olds, hunks, strict=True)
                ]
            text_columns += 1
            columns.append(column)
        groups.append(BulkGroup(list(g["ids"]), columns))
    return BulkUpdate(str(header["t"]), groups)


def check_crcs(column: BulkColumn, current: list[Any]) -> int | None:
    """The index of the first row whose text is not the one the entry left, or None."""
    crcs = column.crcs or []
    if len(current) != len(crcs):
        raise ValueError("the entry's rows and the CRCs differ in number")
    try:
        # The usual case in C loops (map over str.encode and zlib.crc32, no Python frame
        # per row); str.encode raises TypeError on a value that is not text.
        encoded = map(str.encode, current, repeat("utf-8"), repeat("surrogatepass"))
        if list(map(zlib.crc32, encoded)) == crcs:
            return None
    except TypeError:
        pass
    for k, (value, crc) in enumerate(zip(current, crcs, strict=True)):
        if not isinstance(value, str) or _crc(value) != crc:
            return k
    return None


def load_changes(raw: str | bytes | None) -> list[list[Any]]:
    """An entry's stored changes in the compact form, whichever form they were stored in."""
    if raw is None:
        return []
    if isinstance(raw, bytes) and is_bulk(raw):
        return decode_bulk(raw, news=True).stored()
    return list(json.loads(raw))
