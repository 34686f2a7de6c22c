"""The welcome screen: open, import, demo, and recent projects."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from widgets.recent import recent_projects


class WelcomeScreen(QWidget):
    sig_open = Signal()
    sig_import = Signal()
    sig_demo = Signal()
    sig_open_path = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("Transcript Editor")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setWeight(QFont.Weight.DemiBold)
        title.setFont(font)
        lead = QLabel(
            "Open a transcript (YouTube, SRT, VTT, speaker blocks, Whisper or AssemblyAI JSON, "
            "plain text) to edit it side by side with the original. Every change is kept; "
            "you can drop a file on this window."
        )
        lead.setWordWrap(True)
        buttons = QHBoxLayout()
        self.buttons: list[QPushButton] = []
        for text, sig in (
            ("Import transcript…", self.sig_import),
            ("Open project…", self.sig_open),
            ("Try the demo", self.sig_demo),
        ):
            b = QPushButton(text)
            self.buttons.append(b)
            b.setMinimumHeight(34)
            b.clicked.connect(sig.emit)
            buttons.addWidget(b)
        buttons.addStretch()
        self.recent = QListWidget()
        self.recent.itemActivated.connect(self._open_recent)
        self.recent.itemDoubleClicked.connect(self._open_recent)
        self.recent_label = QLabel("Recent projects")
        box = QVBoxLayout()
        box.addWidget(title)
        box.addSpacing(6)
        box.addWidget(lead)
        box.addSpacing(18)
        box.addLayout(buttons)
        box.addSpacing(24)
        box.addWidget(self.recent_label)
        box.addWidget(self.recent, 4)
        # Without recent projects (their list hidden), the space left goes below the buttons,
        # not between the title, the text and the buttons.
        box.addStretch(1)
        page = QWidget()
        outer = QHBoxLayout(page)
        inner = QWidget()
        inner.setLayout(box)
        inner.setMaximumWidth(720)
        outer.addStretch()
        outer.addWidget(inner, 3)
        outer.addStretch()
        outer.setContentsMargins(40, 60, 40, 40)
        # Scrolls rather than setting the window's minimum size: on an 800-pixel screen the
        # buttons' row and the margins would otherwise push the window off the screen.
        scroll = QScrollArea()
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        full = QVBoxLayout(self)
        full.setContentsMargins(0, 0, 0, 0)
        full.addWidget(scroll)
        self.refresh()

    def refresh(self) -> None:
        self.recent.clear()
        items = recent_projects()
        for path in items:
            item = QListWidgetItem(f"{Path(path).name}    {Path(path).parent}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            self.recent.addItem(item)
        self.recent.setVisible(bool(items))
        self.recent_label.setVisible(bool(items))

    def take_focus(self) -> None:
        """The most recent project when there is one (Enter opens it), else Import."""
        if self.recent.count():
            self.recent.setCurrentRow(0)
            self.recent.setFocus()
        else:
            self.buttons[0].setFocus()

    def _open_recent(self, item: QListWidgetItem) -> None:
        self.sig_open_path.emit(str(item.data(Qt.ItemDataRole.UserRole)))
