"""The export dialog's subtitle part: the limits as spin boxes and the QC report as a list.

Shown for SRT and WebVTT only. Each QC item names a limit and how many cues break it; its
children are the cues, and double-clicking one says which passage (and time) to show with
``sig_jump``, so the window behind the dialog can select it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.errors import TranscriptError
from editor.exporters.subtitle_cues import SubtitleCue
from editor.exporters.subtitle_options import MAX_CHARS, MAX_LINES, SubtitleOptions
from editor.exporters.subtitle_qc import QcReport
from editor.timecode import format_clock

CueRole = Qt.ItemDataRole.UserRole  # (passage id, start seconds) on a cue's item
SHOWN_CUES = 200  # a check lists at most this many cues: enough to work through


def _spin(low: int, high: int, value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    return box


def _seconds(low: float, high: float, value: float, step: float, suffix: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(2)
    box.setSingleStep(step)
    box.setValue(value)
    box.setSuffix(suffix)
    return box


class SubtitlePanel(QWidget):
    sig_changed = Signal()
    sig_jump = Signal(int, float)  # passage id, the cue's start in seconds

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        d = SubtitleOptions()
        self.max_chars = _spin(10, MAX_CHARS, d.max_chars)  # what the options take
        self.max_lines = _spin(1, MAX_LINES, d.max_lines)
        self.target_cps = _seconds(1, 60, d.target_cps, 1, " cps")
        self.max_cps = _seconds(1, 60, d.max_cps, 1, " cps")
        self.min_duration = _seconds(0.1, 30, d.min_duration, 0.1, " s")
        self.max_duration = _seconds(0.5, 60, d.max_duration, 0.5, " s")
        self.min_gap = _seconds(0, 2, d.min_gap, 0.02, " s")
        self.speakers = QCheckBox("Show the speaker where it changes")
        self.speakers.setChecked(d.speakers)
        self.srt_style = QComboBox()
        self.srt_style.addItem("[Name] before the line", "bracket")
        self.srt_style.addItem("A leading dash", "dash")
        grid = QGridLayout()
        self._cells: list[tuple[str, QSpinBox | QDoubleSpinBox]] = [
            ("Characters a line", self.max_chars),
            ("Lines a cue", self.max_lines),
            ("Reading speed aimed at", self.target_cps),
            ("Reading speed at most", self.max_cps),
            ("Shortest cue", self.min_duration),
            ("Longest cue", self.max_duration),
            ("Gap between cues", self.min_gap),
        ]
        for k, (text, box) in enumerate(self._cells):
            grid.addWidget(QLabel(text), k // 2, (k % 2) * 2)
            grid.addWidget(box, k // 2, (k % 2) * 2 + 1)
            signal = box.valueChanged  # type: ignore[attr-defined]
            signal.connect(self.sig_changed)
            # A number typed out of range shows, but the box keeps its last good value (and
            # puts it back as the focus leaves): told at once, and Export waits until it is
            # typed again (it wrote the file with the value the box went back to).
            box.lineEdit().textEdited.connect(lambda _text, b=box: self._edited(b))
            box.installEventFilter(self)
        speakers = QFormLayout()
        speakers.addRow(self.speakers)
        speakers.addRow("SRT speaker", self.srt_style)
        self.speakers.toggled.connect(self.sig_changed)
        self.srt_style.currentIndexChanged.connect(self.sig_changed)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.report = QTreeWidget()
        self.report.setHeaderHidden(True)
        self.report.setToolTip("Double-click a cue (or press Enter on it) to show its passage")
        self.report.itemDoubleClicked.connect(self._jump)
        # Enter on a cue shows it too: the dialog's Export button took Enter and exported.
        self.report.installEventFilter(self)
        self._refused: dict[QAbstractSpinBox, str] = {}  # put back as typed: box -> the text
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        layout.addLayout(speakers)
        layout.addWidget(QLabel("Check report"))
        layout.addWidget(self.summary)
        layout.addWidget(self.report, 1)

    def options(self) -> SubtitleOptions | None:
        """The limits as set, or None (with the reason shown) when they contradict or one
        is typed out of its range."""
        for text, box in self._cells:
            typed = self._refused.get(box)
            if typed is None and not box.hasAcceptableInput():
                typed = box.cleanText()
            if typed is not None:
                low, high = box.minimum(), box.maximum()
                self.summary.setText(
                    f"These limits cannot work: {text.lower()} takes {low:g} to {high:g}"
                    f"{box.suffix()} ({typed or 'nothing'} was typed)"
                )
                self.report.clear()
                return None
        try:
            options = SubtitleOptions(
                max_chars=self.max_chars.value(),
                max_lines=self.max_lines.value(),
                target_cps=self.target_cps.value(),
                max_cps=self.max_cps.value(),
                min_duration=self.min_duration.value(),
                max_duration=self.max_duration.value(),
                min_gap=self.min_gap.value(),
                speakers=self.speakers.isChecked(),
                srt_speaker_style=self.srt_style.currentData(),
            )
        except TranscriptError as exc:
            self.summary.setText(f"These limits cannot work: {exc}")
            self.report.clear()
            return None
        return options

    def show_report(self, report: QcReport, cues: list[SubtitleCue]) -> None:
        self.report.clear()
        failing = [c for c in report.checks if c.count]
        self.summary.setText(
            f"{report.total} cues"
            + ("; every cue within the limits" if not failing else "")
            + (f"; {report.estimated} on estimated times" if report.estimated else "")
        )
        for check in failing:
            head = QTreeWidgetItem([f"{check.label}: {check.count} of {report.total} cues"])
            head.setData(0, Qt.ItemDataRole.UserRole + 1, check.key)
            for k in check.cues[:SHOWN_CUES]:
                cue = cues[k]
                text = " / ".join(cue.lines)
                item = QTreeWidgetItem([f"#{k + 1}  {format_clock(cue.start)}  {text}"])
                item.setData(0, CueRole, (cue.passage_id, cue.start))
                head.addChild(item)
            self.report.addTopLevelItem(head)

    def _edited(self, box: QAbstractSpinBox) -> None:
        self._refused.pop(box, None)  # typed again: judged as it reads now
        self.sig_changed.emit()

    def eventFilter(self, obj: QObject, e: QEvent) -> bool:
        if (
            e.type() == QEvent.Type.FocusOut
            and isinstance(obj, QAbstractSpinBox)
            and not obj.hasAcceptableInput()
        ):
            self._refused[obj] = obj.lineEdit().text().strip()  # before the box puts it back
            self.sig_changed.emit()
        item = self.report.currentItem() if obj is self.report else None
        if (
            item is not None
            and isinstance(e, QKeyEvent)
            and e.type() == QEvent.Type.KeyPress
            and e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._jump(item, 0)
            return True
        return super().eventFilter(obj, e)

    def _jump(self, item: QTreeWidgetItem, _column: int) -> None:
        target = item.data(0, CueRole)
        first = item.child(0) if item.childCount() else None
        if target is None and first is not None:  # a check: its first cue
            target = first.data(0, CueRole)
        if target is not None:
            self.sig_jump.emit(int(target[0]), float(target[1]))
