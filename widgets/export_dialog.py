"""Export: format, options, destination, a preview of the first lines, and progress."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.errors import os_failure
from editor.exporters import (
    REGISTRY,
    ExportOptions,
    export_text,
    export_transcript,
    format_for,
)
from editor.exporters.subtitle_options import SubtitleOptions
from editor.model import Transcript
from editor.store import Project
from editor.wordtimes import doc_with_words
from widgets.subtitle_panel import SubtitlePanel
from widgets.workers import Worker

PREVIEW_LINES = 30


def document_text(data: bytes) -> str:
    """The text of an exported DOCX, read back from the document itself, paragraph by
    paragraph, so the preview shows what a word processor will."""
    import io

    from docx import Document

    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def export_folder(project_path: Path) -> Path:
    """Beside the project, as imports are beside their source; but a project the app keeps
    in its own data folder (the demo, imports made with nobody to ask) exports to the
    user's documents folder rather than a hidden one."""
    from widgets.demo import data_dir

    here = project_path.resolve().parent
    if here.is_relative_to(data_dir().resolve()):
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        folder = Path(docs) if docs and Path(docs).is_dir() else Path.home()
        return folder
    return here


class ExportDialog(QDialog):
    sig_jump = Signal(int, float)  # a QC cue double-clicked: passage id, cue start (s)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        # Subtitles are timed from the measured words, or without them the source's cues.
        self.timed = doc_with_words(project)
        self.subtitles = SubtitlePanel()
        self.subtitles.sig_jump.connect(self.sig_jump)
        self.setWindowTitle("Export transcript")
        # The preview and the check list show more than four lines; within the screen (on one
        # 600 pixels high the buttons were below its edge).
        screen = self.screen()
        area = screen.availableGeometry() if screen is not None else None
        width = min(760, area.width() - 40) if area is not None else 760
        height = min(680, area.height() - 60) if area is not None else 680
        self.resize(width, height)
        self.format = QComboBox()
        for name, exporter in REGISTRY.items():
            self.format.addItem(f"{exporter.label} (.{name})", name)
        self.timestamps = QCheckBox("Include timestamps")
        self.timestamps.setChecked(True)
        self.original = QCheckBox("Export the original text instead of the edited text")
        self.path = QLineEdit()
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path)
        where.addWidget(browse)
        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("", self.timestamps)
        form.addRow("", self.original)
        form.addRow("Save as", where)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.hide()  # shown while an export runs: a bar at 0% before it said nothing
        self.status = QLabel("")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Export")
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.subtitles, 1)
        layout.addWidget(QLabel("Preview"))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.worker = Worker(self)
        self.preview_worker = Worker(self)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.path.editingFinished.connect(self._path_edited)
        self.timestamps.toggled.connect(self._changed)
        self.original.toggled.connect(self._changed)
        self.subtitles.sig_changed.connect(self._changed)
        self.path.setText(self._default_path())
        self._changed()

    def fmt(self) -> str:
        return str(self.format.currentData())

    def options(self) -> ExportOptions:
        return ExportOptions(
            timestamps=self.timestamps.isChecked(),
            original=self.original.isChecked(),
            subtitles=self.subtitles.options() or SubtitleOptions(),
        )

    def subtitled(self) -> bool:
        return hasattr(REGISTRY[self.fmt()], "report")  # SRT and WebVTT

    def document(self) -> Transcript:
        """What is exported: the project's text, with its word times for subtitles."""
        doc, timed = self.project.doc, self.timed
        if doc.words or doc.cue_times or not (timed.words or timed.cue_times):
            return doc
        return replace(doc, words=timed.words, cue_times=timed.cue_times)

    def _default_path(self) -> str:
        ext = REGISTRY[self.fmt()].extension
        return str(export_folder(self.project.path) / self.project.path.with_suffix(ext).name)

    def _format_changed(self) -> None:
        """Another format: the file keeps its folder and name, with the format's extension."""
        current = self.path.text().strip()
        if not current:
            self.path.setText(self._default_path())
        elif format_for(current) not in (None, self.fmt()):  # "talk.md" -> "talk.docx"
            self.path.setText(str(Path(current).with_suffix(REGISTRY[self.fmt()].extension)))
        self._changed()

    def _path_edited(self) -> None:
        """A name typed with another format's extension ("talk.srt") chooses that format."""
        named = format_for(self.path.text().strip())
        if named is not None and named != self.fmt():
            self.format.setCurrentIndex(self.format.findData(named))

    def _changed(self) -> None:
        self.status.setText("")  # what the last try said ("Set subtitle limits …") is past
        self.subtitles.setVisible(self.subtitled())
        # WebVTT names a voice with its own tag: SubRip's choice of label means nothing there.
        self.subtitles.srt_style.setEnabled(self.fmt() == "srt")
        # A subtitle cue is its times: the choice means nothing there.
        self.timestamps.setEnabled(not self.subtitled())
        if self.subtitled() and self.subtitles.options() is None:
            return  # limits that contradict: the panel says why; no preview of them
        fmt, options, doc = self.fmt(), self.options(), self.document()
        subtitled = self.subtitled()
        if subtitled and self.subtitles.summary.text().startswith("These limits cannot work"):
            # Put right: said at once. The message stayed until this layout was done, seconds
            # on a long transcript, while Export already worked.
            self.subtitles.summary.setText("Checking the cues against these limits…")

        def make() -> tuple[str, Any]:
            qc = None
            if subtitled:  # the cues built once, for the preview and for the QC list
                exporter: Any = REGISTRY[fmt]
                cues = exporter.cues(doc, options)
                data: str | bytes = exporter.render_cues(doc, cues)
                qc = (exporter.report_cues(cues, options), cues)
            else:
                data = export_text(doc, fmt, options)
            text = document_text(data) if isinstance(data, bytes) else data
            return "\n".join(text.splitlines()[:PREVIEW_LINES]), qc

        self.preview_worker.run(make, self._preview_ready, self._preview_failed)

    def _preview_ready(self, result: tuple[str, Any]) -> None:
        text, qc = result
        self.preview.setPlainText(text)
        if qc is not None:
            self.subtitles.show_report(*qc)

    def _preview_failed(self, exc: Exception) -> None:
        # Said where the preview goes (it kept the last format's, as if this one were fine).
        self.preview.setPlainText(f"Nothing to preview: {exc}")

    def _browse(self) -> None:
        ext = REGISTRY[self.fmt()].extension
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path.text(), f"*{ext}")
        if path:
            self.path.setText(path)

    def export(self) -> None:
        if self.subtitled() and self.subtitles.options() is None:
            self.status.setText("Set subtitle limits that can work together first")
            return
        target = self._target()
        if target is None:
            return
        fmt, options, doc = self.fmt(), self.options(), self.document()
        self.progress.setRange(0, 0)  # busy until the worker reports
        self.progress.show()
        self.buttons.setEnabled(False)
        self.status.setText("Exporting…")
        self.worker.run(
            lambda: export_transcript(doc, fmt, target, options), self._done, self._failed
        )

    def _target(self) -> Path | None:
        """The file to write, or None after saying why not (or the user kept a file). A bare
        name goes in the export folder (not wherever the app was started), gets the format's
        extension when it has none, and is shown whole; another extension is refused, as
        on the command line (Markdown went into "talk.pdf")."""
        typed = self.path.text().strip()
        if not typed:
            self.status.setText("Name the file to export to")
            return None
        target = Path(typed).expanduser()
        if not target.is_absolute():
            target = export_folder(self.project.path) / target
        ext = REGISTRY[self.fmt()].extension
        try:
            folder = target.is_dir()
        except OSError as exc:  # a name too long for the disk: a traceback, "Saved" still shown
            self.status.setText(str(os_failure(exc, str(target))))
            return None
        if folder:  # a folder: the usual name inside it (it wrote "folder.vtt" beside)
            target = target / self.project.path.with_suffix(ext).name
        if not target.suffix:
            target = target.with_name(target.name + ext)
        elif target.suffix.lower() != ext and format_for(str(target)) != self.fmt():
            self.status.setText(
                f"{target.name} is not named as a {REGISTRY[self.fmt()].label} file: "
                f"end it with {ext}, or choose the format it names"
            )
            return None
        self.path.setText(str(target))
        try:
            exists = target.is_file()
        except OSError as exc:
            self.status.setText(str(os_failure(exc, str(target))))
            return None
        if exists:
            answer = QMessageBox.question(
                self,
                "Export",
                f"{target.name} already exists in {target.parent}. Replace it?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.status.setText("Not exported: the file is kept")
                return None
        return target

    def _done(self, _: object) -> None:
        self.progress.setRange(0, 1)
        self.progress.hide()  # "Saved …" says it; a bar left at 100% said nothing more
        self.buttons.setEnabled(True)
        self.status.setText(f"Saved {self.path.text()}")

    def _failed(self, exc: Exception) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.hide()
        self.buttons.setEnabled(True)
        self.status.setText(f"Export failed: {exc}")
