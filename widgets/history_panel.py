"""History: every version of the current passage (restore any), and recent changes."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from editor.commands import EditText
from editor.errors import TranscriptError
from editor.history import ChangeSet, Version
from editor.session import Session
from editor.store import Project
from widgets.diff_html import diff_to_html
from widgets.theme import LIGHT, Theme

RECENT = 200


def _when(t: float | None, now: dt.datetime | None = None) -> str:
    """When a change was made, as short as a narrow panel needs: the time alone today, the
    day and minute this year, the day before that."""
    if t is None:
        return "imported"
    at = dt.datetime.fromtimestamp(t)
    now = now or dt.datetime.now()
    if at.date() == now.date():
        return at.strftime("%H:%M:%S")
    return at.strftime("%d %b %H:%M" if at.year == now.year else "%d %b %Y")


DIFF_LABEL = "Difference to the current text:"


class HistoryPanel(QWidget):
    sig_jump_to_passage = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.session: Session | None = None
        self.theme: Theme = LIGHT
        self.passage_id: int | None = None
        self.versions: list[Version] = []
        self._shown_for: int | None = None  # the passage the versions listed are of
        self.tabs = QTabWidget()
        # This passage
        page = QWidget()
        self.version_list = QListWidget()
        self.version_list.currentRowChanged.connect(self._show_version)
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        self.restore_button = QPushButton("Restore this version")
        self.restore_button.clicked.connect(self.restore_selected)
        self.hint = QLabel("Select a passage to see its versions.")
        self.hint.setWordWrap(True)
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 6, 0, 0)
        v.addWidget(self.hint)
        v.addWidget(self.version_list, 2)
        self.diff_label = QLabel(DIFF_LABEL)
        v.addWidget(self.diff_label)
        v.addWidget(self.preview, 3)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.restore_button)
        v.addLayout(row)
        self.tabs.addTab(page, "This passage")
        # Recent changes
        self.recent_list = QListWidget()
        self.recent_list.setWordWrap(True)  # a description reads whole in the narrow column
        self.recent_list.setSpacing(2)  # wrapped entries kept apart
        self.recent_list.itemActivated.connect(self._jump)
        self.recent_list.itemDoubleClicked.connect(self._jump)
        self.tabs.addTab(self.recent_list, "Recent changes")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addWidget(self.tabs)
        self.restore_button.setEnabled(False)

    def set_session(self, session: Session | None) -> None:
        self.session = session
        project = session.project if session is not None else None
        if self.project is not None:
            self.project.remove_listener(self._on_change)
        self.project = project
        if project is not None:
            project.add_listener(self._on_change)
        self.passage_id = None
        self.refresh()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._show_version(self.version_list.currentRow())

    def set_passage(self, passage_id: int | None) -> None:
        self.passage_id = passage_id
        self.refresh_versions()

    def _on_change(self, change: ChangeSet) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.refresh_versions()
        self.refresh_recent()

    def refresh_versions(self) -> None:
        # An older version chosen in this passage stays chosen (a click on it that closed
        # an editor committed its typing, and the list made anew chose the newest: the
        # click was lost and Restore did nothing).
        row = self.version_list.currentRow()
        chosen = None
        if self.passage_id == self._shown_for and 0 <= row < len(self.versions) - 1:
            chosen = self.versions[row]
        self._shown_for = self.passage_id
        self.version_list.blockSignals(True)
        self.version_list.clear()
        self.versions = []
        valid = self.project is not None and self.passage_id is not None
        if valid:
            assert self.project is not None and self.passage_id is not None
            try:
                self.versions = self.project.passage_versions(self.passage_id)
            except TranscriptError:
                self.versions = []
        for version in self.versions:
            words = len(version.text.split())
            self.version_list.addItem(f"{_when(version.time)} · {version.source} · {words} words")
        self.version_list.blockSignals(False)
        self.hint.setVisible(not self.versions)
        self.diff_label.setVisible(bool(self.versions))  # no label over an empty preview
        if self.versions:
            keep = self.versions.index(chosen) if chosen in self.versions else None
            self.version_list.setCurrentRow(len(self.versions) - 1 if keep is None else keep)
        else:
            self.preview.clear()
            self.restore_button.setEnabled(False)

    def refresh_recent(self) -> None:
        self.recent_list.clear()
        if self.project is None:
            return
        for entry in reversed(self.project.history(RECENT)):
            item = QListWidgetItem(f"{_when(entry.time)}  {entry.description}")
            item.setData(
                Qt.ItemDataRole.UserRole, entry.passage_ids[0] if entry.passage_ids else -1
            )
            when = dt.datetime.fromtimestamp(entry.time).strftime("%d %b %Y %H:%M:%S")
            item.setToolTip(f"{entry.description}\n{when} · {entry.kind} · {entry.source}")
            self.recent_list.addItem(item)

    def _current_text(self) -> str | None:
        if self.project is None or self.passage_id is None:
            return None
        try:
            return self.project.passage(self.passage_id).text
        except TranscriptError:
            return None

    def _show_version(self, row: int) -> None:
        current = self._current_text()
        if not 0 <= row < len(self.versions) or current is None:
            self.preview.clear()
            self.restore_button.setEnabled(False)
            return
        text = self.versions[row].text
        self.preview.setHtml(diff_to_html(current, text, self.theme))
        self.restore_button.setEnabled(text != current)
        # A version that is the current text has no difference to show: say so, rather than
        # a plain text under "Difference" that looks as if nothing was compared.
        self.diff_label.setText(DIFF_LABEL if text != current else "The current text, as it is:")

    def restore_selected(self) -> None:
        row = self.version_list.currentRow()
        if self.project is None or self.passage_id is None or not 0 <= row < len(self.versions):
            return
        assert self.session is not None
        self.session.execute(EditText(self.passage_id, self.versions[row].text, source="restore"))

    def _jump(self, item: QListWidgetItem) -> None:
        pid = item.data(Qt.ItemDataRole.UserRole)
        if pid is not None and pid >= 0:
            self.sig_jump_to_passage.emit(int(pid))
