"""Help → Keyboard shortcuts: every action with its shortcut, searchable."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLineEdit,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class ShortcutsDialog(QDialog):
    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(680, 600)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Search actions")
        # Where each action is in the menus: "All" or "Faster" alone did not say what they do.
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Action", "Shortcut", "Menu"])
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        rows = []
        for action in actions:
            keys = ", ".join(
                s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()
            )
            if action.text() and keys:
                rows.append((action.text().replace("&", ""), keys, menu_path(action)))
        for row in sorted(rows):
            r = self.table.rowCount()
            self.table.insertRow(r)
            for column, text in enumerate(row):
                self.table.setItem(r, column, QTableWidgetItem(text))
        self.filter.textChanged.connect(self._filter)
        self.filter.installEventFilter(self)  # Down goes from the search into the list
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)

    def eventFilter(self, obj: QObject, e: QEvent) -> bool:
        if obj is self.filter and isinstance(e, QKeyEvent) and e.type() == QEvent.Type.KeyPress:
            if e.key() == Qt.Key.Key_Down:
                shown = [r for r in range(self.table.rowCount()) if not self.table.isRowHidden(r)]
                if shown:
                    self.table.setFocus()
                    self.table.selectRow(shown[0])
                    return True
        return super().eventFilter(obj, e)

    def _filter(self, text: str) -> None:
        needle = text.lower()
        for r in range(self.table.rowCount()):
            cells = [self.table.item(r, c) for c in range(self.table.columnCount())]
            found = any(needle in c.text().lower() for c in cells if c is not None)
            self.table.setRowHidden(r, bool(needle) and not found)


def menu_path(action: QAction) -> str:
    """The menus that hold ``action``, outermost first ("View ▸ Filter"); "" for a key that
    is in no menu."""
    menu = next((o for o in action.associatedObjects() if isinstance(o, QMenu)), None)
    names: list[str] = []
    while menu is not None:
        if menu.title():  # an untitled menu (a pop-up that holds a menu bar's menu) is no place
            names.append(menu.title().replace("&", ""))
        outer = menu.menuAction().associatedObjects()
        menu = next((o for o in outer if isinstance(o, QMenu)), None)
    return " ▸ ".join(reversed(names))
