"""A lazy list model over the project's passages, with the view's filters.

Rows are indexes into ``project.doc.passages``; nothing is copied per passage,
and the delegate asks only for the rows it paints (anki's lazy table model).
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from editor.errors import TranscriptError
from editor.history import ChangeSet
from editor.model import Passage
from editor.store import Project

PassageRole = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex

FILTERS = ("all", "changed", "unchanged", "suggestions", "review")


class PassageModel(QAbstractListModel):
    sig_rows_changed = Signal()  # after a reset (filter, structure change)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self._rows: list[int] = []
        self._row_of: dict[int, int] = {}
        self._ids: list[int] = []  # each row's passage id, as of the last rebuild
        self.filter = "all"
        self.speaker_id: int | None = None

    # -- setup ----------------------------------------------------------------------

    def set_project(self, project: Project | None) -> None:
        if self.project is not None:
            self.project.remove_listener(self._on_change)
        self.project = project
        if project is not None:
            project.add_listener(self._on_change)
        self._rebuild()

    def set_filter(self, mode: str, speaker_id: int | None = None) -> None:
        self.filter, self.speaker_id = mode, speaker_id
        self._rebuild()

    def _rebuild(self) -> None:
        self.beginResetModel()
        passages = self.project.doc.passages if self.project else []
        if self.filter == "all" and self.speaker_id is None:
            self._rows = list(range(len(passages)))
        elif self.filter in ("suggestions", "review") and self.project is not None:
            from assist.review_state import passages_with_suggestions, review_of

            wanted = passages_with_suggestions(self.project)
            if self.filter == "review":
                by_id = {p.id: p for p in passages}
                wanted = {
                    pid
                    for pid in wanted
                    if pid in by_id and review_of(self.project, by_id[pid]).needs_review
                }
            self._rows = [
                i
                for i, p in enumerate(passages)
                if p.id in wanted and (self.speaker_id is None or p.speaker_id == self.speaker_id)
            ]
        else:
            self._rows = [i for i, p in enumerate(passages) if self._accepts(p)]
        self._ids = [passages[i].id for i in self._rows]
        self._row_of = {pid: r for r, pid in enumerate(self._ids)}
        self.endResetModel()
        self.sig_rows_changed.emit()

    def _accepts(self, p: Passage) -> bool:
        if self.speaker_id is not None and p.speaker_id != self.speaker_id:
            return False
        if self.filter == "changed":
            return p.text != p.original
        if self.filter == "unchanged":
            return p.text == p.original
        return True

    def _on_change(self, change: ChangeSet) -> None:
        if (
            change.structure
            or change.speaker_ids
            and self.speaker_id is not None
            or (change.suggestion_ids and self.filter in ("suggestions", "review"))
        ):
            self._rebuild()
            return
        filtered = self.filter != "all" or self.speaker_id is not None
        for pid in change.passage_ids:
            row = self._row_of.get(pid)
            if row is None:
                if filtered:
                    self._rebuild()  # a passage now matches the filter
                    return
                continue
            index = self.index(row)
            self.dataChanged.emit(index, index)
        if change.speaker_ids and self._rows:
            # Names and colours show in every row of those speakers.
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1))

    # -- Qt model API -------------------------------------------------------------------

    def id_at(self, row: int) -> int | None:
        """The passage id of ``row`` as of the last rebuild: right while a reset is under way,
        when the document already has a passage more or fewer."""
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.project is None or index.row() >= len(self._rows):
            return None
        passages, at = self.project.doc.passages, self._rows[index.row()]
        if at >= len(passages) or passages[at].id != self._ids[index.row()]:
            # Asked between a change that added or took away passages and the reset it
            # causes (the view keeps its place then): the row is not that passage any more.
            return None
        passage = passages[at]
        if role == PassageRole:
            return passage
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return passage.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        # A read-only project is read, searched, heard and exported; never edited.
        editable = index.isValid() and self.project is not None and not self.project.read_only
        return base | Qt.ItemFlag.ItemIsEditable if editable else base

    # -- lookups ----------------------------------------------------------------------

    def passage(self, row: int) -> Passage | None:
        return self.data(self.index(row), PassageRole) if 0 <= row < len(self._rows) else None

    def row_of(self, passage_id: int) -> int | None:
        return self._row_of.get(passage_id)

    def nearest_row(self, passage_id: int) -> int | None:
        """The row of ``passage_id``, or where it would be: the first row after it in the
        document (the last row when none is), None for an empty list or an unknown passage."""
        row = self._row_of.get(passage_id)
        if row is not None or not self._rows or self.project is None:
            return row
        try:
            at = self.project.index_of(passage_id)
        except TranscriptError:
            return None
        return min(bisect_left(self._rows, at), len(self._rows) - 1)

    def doc_index(self, row: int) -> int:
        return self._rows[row]
