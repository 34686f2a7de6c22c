"""The chapter list; activating a chapter jumps to its time."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from editor.session import Session
from editor.timecode import format_clock


class ChaptersPanel(QWidget):
    sig_jump_to_time = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: Session | None = None
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        self.empty = QLabel("This transcript has no chapters.")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addWidget(self.list)
        layout.addWidget(self.empty)
        self.set_session(None)  # the welcome screen's state: no list, no claim about chapters

    def set_session(self, session: Session | None) -> None:
        self.session = session
        project = session.project if session is not None else None
        self.list.clear()
        chapters = project.doc.chapters if project else []
        for chapter in chapters:
            label = chapter.title
            if chapter.start is not None:
                label = f"{format_clock(chapter.start)}   {chapter.title}"
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, chapter.start)
            self.list.addItem(item)
        self.list.setVisible(bool(chapters))
        self.empty.setVisible(not chapters)
        self.empty.setText(
            "This transcript has no chapters."
            if project
            else "Chapters show here when a transcript that has them is open."
        )

    def _activated(self, item: QListWidgetItem) -> None:
        start = item.data(Qt.ItemDataRole.UserRole)
        if start is not None:
            self.sig_jump_to_time.emit(float(start))
