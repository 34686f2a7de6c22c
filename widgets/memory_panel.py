"""What the assistant has learned, visible and removable: glossary, rules, prompt preview."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from assist import memory
from assist.memory_kinds import GLOSSARY, RULE
from editor.commands import Command
from editor.errors import TranscriptError
from editor.history import ChangeSet
from editor.session import Session
from editor.store import Project


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _paint_placeholder(view: QAbstractItemView, text: str) -> None:
    """What an empty list will hold, written where it would be (a blank box said nothing)."""
    if view.model().rowCount() > 0:
        return
    painter = QPainter(view.viewport())
    painter.setPen(view.palette().color(QPalette.ColorRole.PlaceholderText))
    flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
    painter.drawText(view.viewport().rect().adjusted(8, 8, -8, -8), int(flags), text)
    painter.end()


class _GlossaryTree(QTreeWidget):
    PLACEHOLDER = "Accepting a name fix (Andrei → Andrej) adds it here; or Add… one."

    def paintEvent(self, e: QPaintEvent) -> None:
        super().paintEvent(e)
        _paint_placeholder(self, self.PLACEHOLDER)


class _RuleList(QListWidget):
    PLACEHOLDER = "Rejecting the same kind of change twice makes a rule here."

    def paintEvent(self, e: QPaintEvent) -> None:
        super().paintEvent(e)
        _paint_placeholder(self, self.PLACEHOLDER)


class MemoryPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.session: Session | None = None
        self.passage_id: int | None = None
        # The model, level and instructions a run would use (the window's AI assist panel).
        self.run_settings: Callable[[], tuple[str | None, str, str]] = lambda: (
            None,
            "standard",
            "",
        )
        self.glossary = _GlossaryTree()
        self.glossary.setHeaderLabels(["Heard as", "Written as", "Kept for"])
        self.glossary.setRootIsDecorated(False)
        # The three columns share the panel's width instead of scrolling sideways in it.
        self.glossary.header().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.glossary.header().setMinimumSectionSize(40)
        self.glossary.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.rules = _RuleList()
        self.add_button = QPushButton("Add…")
        self.remove_button = QPushButton("Remove")
        self.share_button = QPushButton("Keep for all projects")
        self.remove_rule_button = QPushButton("Remove rule")
        self.preview_button = QPushButton("Show the prompt for this passage…")
        self.glossary.itemSelectionChanged.connect(self._update_buttons)
        self.rules.itemSelectionChanged.connect(self._update_buttons)
        self.add_button.clicked.connect(lambda: self.add_entry())
        self.remove_button.clicked.connect(self.remove_entry)
        self.share_button.clicked.connect(self.share_entry)
        self.remove_rule_button.clicked.connect(self.remove_rule)
        self.preview_button.clicked.connect(self.show_preview)
        # Rows short enough for the narrow column of docks (about 290 pixels on a 1440-pixel
        # screen): three buttons in a row and the one-line titles were cut off there.
        row = QHBoxLayout()
        for b in (self.add_button, self.remove_button):
            row.addWidget(b)
        row.addStretch()
        share_row = QHBoxLayout()
        share_row.addWidget(self.share_button)
        share_row.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addWidget(_title("Glossary: names and terms, fixed everywhere"))
        layout.addWidget(self.glossary, 2)
        layout.addLayout(row)
        layout.addLayout(share_row)
        layout.addWidget(_title("Rules learned from what you rejected"))
        layout.addWidget(self.rules, 1)
        rule_row = QHBoxLayout()
        rule_row.addWidget(self.remove_rule_button)
        rule_row.addStretch()
        layout.addLayout(rule_row)
        layout.addWidget(self.preview_button)
        self._update_buttons()

    def _update_buttons(self) -> None:
        """Each button only where it has something to act on."""
        chosen = self._selected()
        self.add_button.setEnabled(self.project is not None)
        self.remove_button.setEnabled(chosen is not None)
        self.share_button.setEnabled(chosen is not None and chosen[2] == "this project")
        self.remove_rule_button.setEnabled(bool(self.rules.selectedItems()))
        self.preview_button.setEnabled(self.project is not None)

    def set_session(self, session: Session | None) -> None:
        if self.session is not None:
            self.session.remove_listener(self._on_change)
        self.session = session
        self.project = session.project if session is not None else None
        if session is not None:
            session.add_listener(self._on_change)
        self.refresh()

    def _on_change(self, change: ChangeSet) -> None:
        if change.memory:  # a decision taught something, or its undo took it back
            self.refresh()

    def _execute(self, command: Command) -> None:
        if self.session is None:
            return
        try:
            self.session.execute(command)
        except TranscriptError as exc:
            QMessageBox.warning(self, "Memory", str(exc))

    def set_passage(self, passage_id: int | None) -> None:
        self.passage_id = passage_id

    def refresh(self) -> None:
        self.glossary.clear()
        self.rules.clear()
        if self.project is None:
            self._update_buttons()
            return
        project_entries = memory.project_glossary(self.project)
        for wrong, right in sorted(memory.user_glossary().items()):
            if wrong not in project_entries:
                self.glossary.addTopLevelItem(QTreeWidgetItem([wrong, right, "all projects"]))
        for wrong, right in sorted(project_entries.items()):
            self.glossary.addTopLevelItem(QTreeWidgetItem([wrong, right, "this project"]))
        for rule in memory.rules(self.project):
            item = QListWidgetItem(rule["text"])
            item.setData(Qt.ItemDataRole.UserRole, rule["pattern"])
            self.rules.addItem(item)
        self._update_buttons()

    def _selected(self) -> tuple[str, str, str] | None:
        items = self.glossary.selectedItems()
        return (items[0].text(0), items[0].text(1), items[0].text(2)) if items else None

    def add_entry(self, wrong: str | None = None, right: str | None = None) -> None:
        if self.project is None:
            return
        if wrong is None:
            wrong, ok = QInputDialog.getText(self, "Glossary", "Heard as (e.g. Andrei):")
            if not ok or not wrong.strip():
                return
        if right is None:
            right, ok = QInputDialog.getText(self, "Glossary", f"Write “{wrong}” as:")
            if not ok or not right.strip():
                return
        if right.strip() == wrong.strip():  # "Andrej → Andrej" would do nothing
            QMessageBox.information(self, "Glossary", f"“{wrong}” is already written that way.")
            return
        project = self.project
        from assist.learning import SetGlossary

        self._execute(SetGlossary(project.memory, project.suggestions, wrong, right))

    def remove_entry(self) -> None:
        chosen = self._selected()
        if chosen is None or self.project is None:
            return
        wrong, right, scope = chosen
        if scope == "all projects":
            # The user-wide file is outside any project's history: no undo brings it back.
            sure = QMessageBox.question(
                self,
                "Glossary",
                f"Remove “{wrong} → {right}” from the glossary of all projects? "
                "Other projects stop using it too, and Undo cannot bring it back.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if sure != QMessageBox.StandardButton.Yes:
                return
            entries = memory.user_glossary()
            entries.pop(wrong, None)
            if not self._save_user_glossary(entries):
                return
        else:
            from assist.learning import Forget

            self._execute(Forget(self.project.memory, GLOSSARY, wrong))
        self.refresh()

    def share_entry(self) -> None:
        """Move the entry to the user-wide glossary. It was only copied there: the project's
        own entry stayed, so the row still said "this project" and nothing seemed to happen."""
        chosen = self._selected()
        if chosen is None or self.project is None:
            return
        wrong, right, _ = chosen
        entries = memory.user_glossary()
        before = entries.get(wrong)
        entries[wrong] = right
        if not self._save_user_glossary(entries):
            return  # the project keeps its entry
        from assist.learning import ShareEntry

        # Undo brings the entry back here and takes it out of the user-wide file again.
        self._execute(ShareEntry(self.project.memory, wrong, right, before))
        self.refresh()
        found = self.glossary.findItems(wrong, Qt.MatchFlag.MatchExactly, 0)
        if found:
            self.glossary.setCurrentItem(found[0])  # the row it became, still chosen

    def _save_user_glossary(self, entries: dict[str, str]) -> bool:
        """Write the user-wide glossary; on a failure (a full disk, a read-only data folder)
        say why, and change nothing."""
        try:
            memory.save_user_glossary(entries)
        except OSError as exc:
            from editor.errors import os_failure

            where = str(memory.user_glossary_path())
            QMessageBox.warning(self, "Glossary", str(os_failure(exc, where)))
            return False
        return True

    def remove_rule(self) -> None:
        items = self.rules.selectedItems()
        if items and self.project is not None:
            pattern = str(items[0].data(Qt.ItemDataRole.UserRole))
            from assist.learning import Forget

            self._execute(Forget(self.project.memory, RULE, pattern))

    def prompt_text(self) -> str:
        """Exactly what a run would send for the current passage with the AI assist panel's
        model, level and instructions (``run_settings``): system prompt, then data."""
        if self.project is None or self.passage_id is None:
            return ""
        from assist.service import preview

        model_id, level, custom = self.run_settings()
        try:
            request = preview(
                self.project, self.passage_id, model_id=model_id, level=level, custom=custom
            )
        except TranscriptError as exc:  # no key for the model chosen, instructions refused
            return f"No prompt: {exc}"
        return f"{request.system}\n----- prompt -----\n{request.prompt}"

    def show_preview(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle("Prompt preview")
        dialog.resize(760, 620)
        view = QPlainTextEdit(self.prompt_text() or "Select a passage first.")
        view.setReadOnly(True)
        QVBoxLayout(dialog).addWidget(view)
        dialog.exec()
