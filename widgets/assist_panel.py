"""The AI assist panel: model, kinds, level, instructions; run with progress, cancel, resume.

Model calls and their database writes run on a worker thread (its own event
loop and its own connection); results arrive on the GUI thread as signals.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QVBoxLayout,
    QWidget,
)

from assist.review_state import review_progress
from editor.errors import TranscriptError
from editor.history import ChangeSet
from editor.session import Session
from editor.store import Project, SuggestionWriter

if TYPE_CHECKING:
    from assist.service import Plan, Summary

# The built-in engine's id, known without importing llm (that waits until it is needed,
# so the window paints first).
OFFLINE_ID = "transcript-editor-offline"


class AssistThread(QThread):
    sig_stored = Signal(object, object)  # new rows, superseded ids
    sig_progress = Signal(object, int)  # Summary, total
    sig_done = Signal(object)  # Summary, or an Exception

    def __init__(self, work: Plan, path: Path, concurrency: int, timeout: float) -> None:
        from assist.runner import CancelToken

        super().__init__()
        self.work, self.path, self.concurrency = work, path, concurrency
        self.timeout = timeout
        self.cancel = CancelToken()

    def run(self) -> None:
        import asyncio  # 0.06 s: when a run starts, not with the window

        from assist.runner import RetryPolicy
        from assist.service import execute

        writer = SuggestionWriter(self.path, on_stored=self.sig_stored.emit)
        try:
            summary = asyncio.run(
                execute(
                    self.work,
                    writer,
                    concurrency=self.concurrency,
                    cancel=self.cancel,
                    retry=RetryPolicy(timeout=self.timeout),
                    on_progress=self.sig_progress.emit,
                )
            )
            self.sig_done.emit(summary)
        except Exception as exc:  # shown in the panel, never a crash
            self.sig_done.emit(exc)
        finally:
            writer.close()


CANCELLED = "Cancelled. Suggest edits again to resume where it stopped."
NO_SUGGESTIONS = (
    "No suggestions yet: pick a model and press Suggest edits. Review them with F7, Alt+A, Alt+R."
)


class WholeCombo(QComboBox):
    """Elided to fit the panel's narrow column, but whole where it is read: the list opens
    as wide as its longest item, and the tooltip holds the chosen one."""

    def __init__(self) -> None:
        super().__init__()
        self.currentTextChanged.connect(self.setToolTip)

    def paintEvent(self, event: QPaintEvent) -> None:
        # Qt cuts a long text at the frame ("transcript-editor-offline (bui"): end it in "…".
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        option.currentText = self.fontMetrics().elidedText(
            option.currentText, Qt.TextElideMode.ElideRight, field.width()
        )
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)
        painter.end()

    def showPopup(self) -> None:
        view = self.view()
        view.setMinimumWidth(
            view.sizeHintForColumn(0) + view.verticalScrollBar().sizeHint().width()
        )
        super().showPopup()


class ModelCombo(WholeCombo):
    """Lists llm's models when first opened: loading their plugins must not delay start-up."""

    def __init__(self, fill: Any) -> None:
        super().__init__()
        self._fill = fill

    def showPopup(self) -> None:
        self._fill()
        super().showPopup()


class AssistPanel(QWidget):
    sig_finished = Signal(object)  # Summary
    sig_file_gone = Signal()  # the run found the project's file moved, deleted or replaced

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.session: Session | None = None
        self.worker_thread: AssistThread | None = None
        self._started = 0.0
        self.model = ModelCombo(lambda: self._fill_models())
        self.speakers = QCheckBox("Speaker names")
        self.readability = QCheckBox("Readability")
        self.readability.setChecked(True)
        self.speakers.setChecked(True)
        self.level = WholeCombo()
        # Long item texts must not make the dock wider than the screen allows: they elide.
        for combo in (self.model, self.level):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(14)
        for level, label in (
            ("light", "Light: verbal artifacts only"),
            ("standard", "Standard: also punctuation, run-ons"),
            ("print", "Print: reads like a written interview"),
        ):
            self.level.addItem(label, level)
        self.level.setCurrentIndex(1)
        # The level is kept across sessions (recent.settings: the app's QSettings).
        from widgets.recent import settings

        saved = self.level.findData(settings().value("assist/level", "standard"))
        self.level.setCurrentIndex(saved if saved >= 0 else 1)
        self.level.currentIndexChanged.connect(
            lambda i: settings().setValue("assist/level", self.level.itemData(i))
        )
        self.custom = QLineEdit()
        self.custom.setPlaceholderText("Extra instructions (optional)")
        self.concurrency = QSpinBox()
        self.concurrency.setRange(1, 32)
        self.concurrency.setValue(4)
        self.timeout = QSpinBox()
        self.timeout.setRange(5, 600)
        self.timeout.setValue(60)
        self.timeout.setSuffix(" s")
        self.timeout.setToolTip("How long to wait for one answer before trying again")
        self.run_button = QPushButton("Suggest edits")
        self.cancel_button = QPushButton("Cancel")
        self.key_button = QPushButton("API key…")
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.hide()  # shown from a run's start: before it, a bar at 0% says nothing
        self.status = QLabel(NO_SUGGESTIONS)
        self.status.setWordWrap(True)
        # One column of controls: the panel shares the narrow column of docks (about 290
        # pixels on a 1440-pixel screen), where the kinds side by side and the key button
        # beside Suggest edits and Cancel were cut off behind a horizontal scroll bar.
        kinds = QVBoxLayout()
        kinds.addWidget(self.speakers)
        kinds.addWidget(self.readability)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_button)
        key_row.addStretch()
        form = QFormLayout()
        form.addRow("Model", self.model)
        form.addRow("", key_row)
        form.addRow("Suggest", kinds)
        form.addRow("Level", self.level)
        form.addRow("", self.custom)
        form.addRow("In flight", self.concurrency)
        form.addRow("Timeout", self.timeout)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addStretch()
        self.run_button.clicked.connect(lambda: self.start())
        self.cancel_button.clicked.connect(self.cancel)
        self.key_button.clicked.connect(self.ask_key)
        self.model.currentIndexChanged.connect(self._model_changed)
        self._models: list[dict[str, Any]] = []
        self.model.addItem(OFFLINE_ID + "  (built-in, offline)", OFFLINE_ID)
        self._update_buttons()

    def _fill_models(self, force: bool = False) -> None:
        """List llm's models (loading its plugins takes a moment: only when first needed)."""
        if self._models and not force:
            return
        from assist.models import available_models

        current = self.model_id()
        self._models = available_models()
        self.model.blockSignals(True)
        self.model.clear()
        for row in self._models:
            label = row["id"] + ("  (built-in, offline)" if row["default"] else "")
            self.model.addItem(label, row["id"])
        self.model.setCurrentIndex(max(0, self.model.findData(current)))
        self.model.blockSignals(False)

    def _model_changed(self) -> None:
        self._update_buttons()

    def model_id(self) -> str:
        return str(self.model.currentData())

    def set_model_id(self, model_id: str) -> None:
        """Choose a model by id without listing llm's models (that loads every plugin): an
        id not listed yet gets its own entry, which the full list keeps chosen later."""
        index = self.model.findData(model_id)
        if index < 0:
            self.model.addItem(model_id, model_id)
            index = self.model.count() - 1
        self.model.setCurrentIndex(index)

    def needs_key(self) -> str | None:
        row = next((r for r in self._models if r["id"] == self.model_id()), None)
        return row["needs_key"] if row else None

    def set_session(self, session: Session | None) -> None:
        self.session = session
        project = session.project if session is not None else None
        self.cancel()
        if self.project is not None:
            self.project.remove_listener(self._on_change)
        self.project = project
        if project is not None:
            project.add_listener(self._on_change)
        self.progress.hide()  # the last project's run
        self._show_counts()
        self._update_buttons()

    def _on_change(self, change: ChangeSet) -> None:
        if change.suggestion_ids and not self.running():
            self._show_counts()

    def running(self) -> bool:
        return self.worker_thread is not None and self.worker_thread.isRunning()

    def _update_buttons(self) -> None:
        self.run_button.setEnabled(self.project is not None and not self.running())
        self.cancel_button.setEnabled(self.running())
        self.key_button.setEnabled(self.needs_key() is not None)

    def _show_counts(self, after_run: bool = False) -> None:
        if self.project is None:
            self.status.setText("Open a transcript to get suggestions.")
            return
        counts = self.project.suggestion_counts()
        if not any(counts.values()):  # a row of zeros says less than what to do
            self.status.setText(
                "No suggestions: nothing to change." if after_run else NO_SUGGESTIONS
            )
            return
        progress = review_progress(self.project)
        self.status.setText(
            f"{counts['pending']} pending{' · ' + progress if progress else ''}\n"
            f"{counts['accepted']} accepted · {counts['rejected']} rejected · "
            f"{counts['failed']} failed · {counts['stale']} stale"
        )

    def kinds(self) -> tuple[str, ...]:
        out = []
        if self.speakers.isChecked():
            out.append("speakers")
        if self.readability.isChecked():
            out.append("readability")
        return tuple(out)

    def start(self, passages: str | None = None) -> bool:
        from assist.service import plan

        if self.project is None or self.running():
            return False
        self._fill_models()
        try:
            work = plan(
                self.project,
                model_id=self.model_id(),
                kinds=self.kinds(),
                level=str(self.level.currentData()),
                passages=passages,
                custom=self.custom.text(),
            )
        except TranscriptError as exc:
            self.status.setText(str(exc))
            return False
        if not work.items:
            notes = " ".join(work.notes)
            self.status.setText(
                notes or f"Nothing to ask: {work.skipped} passages already have suggestions."
            )
            return False
        self.worker_thread = AssistThread(
            work, self.project.path, self.concurrency.value(), float(self.timeout.value())
        )
        project = self.project
        self.worker_thread.sig_stored.connect(
            lambda new, gone: (
                project.adopt_suggestions(new, gone) if self.project is project else None
            )
        )
        self.worker_thread.sig_progress.connect(self._progress)
        self.worker_thread.sig_done.connect(self._done)
        self.progress.setRange(0, work.items)
        self.progress.setValue(0)
        self.progress.show()
        self._started = time.perf_counter()
        self.project.run_started()  # review progress counts this run's suggestions
        self.status.setText(f"Asking {self.model_id()} about {work.items} items…")
        self.worker_thread.start()
        self._update_buttons()
        return True

    def _progress(self, summary: Summary, total: int) -> None:
        done = summary.asked + summary.cached
        self.progress.setValue(done)
        elapsed = time.perf_counter() - self._started
        eta = ""
        if 0 < done < total and elapsed / done * (total - done) >= 1:  # never "0:00 left"
            left = elapsed / done * (total - done)
            eta = f" · about {int(left) // 60}:{int(left) % 60:02d} left"
        self.status.setText(
            f"{done} / {total} done · {summary.suggested} suggested · {summary.failed} failed · "
            f"{summary.input_tokens + summary.output_tokens:,} tokens{eta}"
        )

    def _done(self, result: object) -> None:
        from assist.service import Summary

        if isinstance(result, Exception):
            self.status.setText(f"Stopped: {result}")
            from editor.errors import FileGone

            if isinstance(result, FileGone):  # the window keeps what it has, and says how
                self.sig_file_gone.emit()
        elif isinstance(result, Summary):
            cancelled = self.worker_thread is not None and self.worker_thread.cancel.cancelled
            if self.project is not None and not cancelled:
                self.project.run_finished()  # the next run is a new one, not a resume
            # Cancelled, nothing was found to need no change: it was not all asked.
            self._show_counts(after_run=not cancelled)
            notes = "".join(f"\nNote: {note}" for note in result.notes)
            errors = "".join(f"\nFailed: {error}" for error in result.errors[:3])
            # A cancelled run's last results arrive after the cancel: it must still read as
            # cancelled, not as a run that finished (and its bar no longer looks busy).
            head = f"{CANCELLED}\n" if cancelled else ""
            last = "This run" if cancelled else "Last run"
            if cancelled:
                self.progress.hide()
            self.status.setText(
                f"{head}{self.status.text()}\n{last}: {result.line()}{notes}{errors}"
            )
            self.sig_finished.emit(result)
        self._update_buttons()

    def cancel(self) -> None:
        if self.worker_thread is not None and self.worker_thread.isRunning():
            self.worker_thread.cancel.cancel()
            self.worker_thread.wait(10000)
            self.status.setText(CANCELLED)
        self._update_buttons()

    def ask_key(self) -> None:
        key = self.needs_key()
        if key is None:
            return
        value, ok = QInputDialog.getText(
            self,
            "API key",
            f"Key for {key} (kept in llm's key store, never in a project):",
            QLineEdit.EchoMode.Password,
        )
        if ok and value.strip():
            from assist.keys import set_key

            try:
                set_key(key, value)
            except OSError as exc:
                QMessageBox.warning(self, "API key", f"Could not save the key: {exc}")
                return
            self.status.setText(f"Saved the key for {key}.")
