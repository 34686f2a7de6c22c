"""The waveform strip: the whole recording's loudness, passage boundaries and the playhead.

Peaks are decoded in a child process (widgets.peak_decoder: QAudioDecoder, asked for 8 kHz
mono 16-bit so the FFmpeg backend resamples while decoding) and reduced there to
``PEAKS_PER_S`` bytes a second; the GUI thread only reads a few lines of progress and the
finished bytes, so the window never stutters while a 3-hour recording is read. The result is cached in the project
(editor.media.cached_peaks): a reopened project draws at once. Clicking seeks.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import (
    QLineF,
    QObject,
    QPointF,
    QProcess,
    QProcessEnvironment,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets.peak_lines import PEAKS_PER_S, parse_line


class PeakBuilder(QObject):
    """Reads a recording's peaks in a child process (widgets.peak_decoder); ``build`` is
    asynchronous and answers with ``sig_done`` or ``sig_failed``.

    A process, not a thread: the decoder's many small Python calls would hold the GIL the
    GUI thread needs (see peak_decoder's docstring). The GUI thread only reads a few lines.
    """

    sig_done = Signal(str, float, bytes)  # key, peaks per second, peaks (0..255)
    sig_failed = Signal(str, str)  # key, why
    sig_progress = Signal(float)  # seconds read

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.process: QProcess | None = None
        self.key = ""
        self._out = b""
        self._answered = False

    @property
    def running(self) -> bool:
        return self.process is not None

    def build(self, key: str, path: Path) -> None:
        self.shutdown()  # a recording replaced while its waveform was read
        self.key, self._out, self._answered = key, b"", False
        process = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        # The child imports this package even when it is run from a checkout.
        root = str(Path(__file__).resolve().parent.parent)
        env.insert("PYTHONPATH", os.pathsep.join(filter(None, [root, env.value("PYTHONPATH")])))
        env.insert("QT_LOGGING_RULES", "qt.multimedia*=false")
        process.setProcessEnvironment(env)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
        process.setStandardErrorFile(QProcess.nullDevice())  # FFmpeg's chatter
        process.readyReadStandardOutput.connect(self._read)
        process.finished.connect(self._finished)
        process.errorOccurred.connect(self._error)
        self.process = process
        process.start(sys.executable, ["-m", "widgets.peak_decoder", str(path)])

    def _read(self) -> None:
        if self.process is None:
            return
        self._out += bytes(self.process.readAllStandardOutput().data())
        *lines, self._out = self._out.split(b"\n")
        for line in lines:
            self._line(line.decode("utf-8", "replace"))

    def _line(self, line: str) -> None:
        kind, number, payload = parse_line(line)
        if kind == "progress":
            self.sig_progress.emit(number)
        elif kind == "done" and isinstance(payload, bytes):
            self._answer()
            self.sig_done.emit(self.key, number, payload)
        elif kind == "failed":
            self._answer()
            self.sig_failed.emit(self.key, str(payload))

    def _answer(self) -> None:
        self._answered = True

    def _finished(self, *_args: object) -> None:
        self._read()
        if self._out:
            self._line(self._out.decode("utf-8", "replace"))
            self._out = b""
        if not self._answered:
            self._answered = True
            self.sig_failed.emit(self.key, "the waveform reader stopped")
        self._drop()

    def _error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and not self._answered:
            self._answered = True
            self.sig_failed.emit(self.key, "the waveform reader could not start")
            self._drop()

    def _drop(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            process.deleteLater()

    def shutdown(self) -> None:
        """Stop a read under way (another recording, or the window closing)."""
        process, self.process = self.process, None
        if process is None:
            return
        for signal in (process.readyReadStandardOutput, process.finished, process.errorOccurred):
            signal.disconnect()
        process.kill()
        process.waitForFinished(2000)
        process.deleteLater()


class WaveformStrip(QWidget):
    """The recording across the window's width; click to seek."""

    sig_seek = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(44)
        self.setMaximumHeight(60)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Click to play from there")
        self.peaks = b""
        self.rate = PEAKS_PER_S
        self.duration = 0.0
        self.position = 0.0
        self.boundaries: list[float] = []
        self.note = ""
        self.wave_color = QColor("#7b8794")
        self.head_color = QColor("#d64545")
        self.mark_color = QColor("#3b82f6")

    def set_peaks(self, rate: float, peaks: bytes) -> None:
        self.rate, self.peaks = rate, peaks
        if not self.duration and rate:
            self.duration = len(peaks) / rate
        self.note = ""
        self.update()

    def set_note(self, text: str) -> None:
        self.note = text
        self.update()

    def set_duration(self, seconds: float) -> None:
        self.duration = seconds
        self.update()

    def set_boundaries(self, starts: list[float]) -> None:
        self.boundaries = starts
        self.update()

    def set_position(self, seconds: float) -> None:
        old = self._x(self.position)
        self.position = seconds
        new = self._x(seconds)
        if int(old) != int(new):  # repaint only the two columns the playhead moved between
            self.update(int(min(old, new)) - 2, 0, int(abs(new - old)) + 5, self.height())

    def _x(self, seconds: float) -> float:
        return seconds / self.duration * self.width() if self.duration > 0 else 0.0

    def seconds_at(self, x: float) -> float:
        return max(0.0, min(self.duration, x / max(1, self.width()) * self.duration))

    def _columns(self, left: int, right: int, mid: float) -> list[QLineF]:
        """One vertical line per pixel column in [left, right): the loudest peak under it.
        numpy does the per-column maxima; Python only builds the lines."""
        import numpy as np  # 0.3 s to import: when a waveform is drawn, not at start-up

        arr = np.frombuffer(self.peaks, dtype=np.uint8)
        per_px = self.duration * self.rate / max(1, self.width())  # peaks under one pixel
        xs = np.arange(max(0, left), min(self.width(), right))
        starts = (xs * per_px).astype(np.int64)
        keep = starts < len(arr)
        xs, starts = xs[keep], starts[keep]
        if not len(xs):
            return []
        if per_px >= 1:  # starts rise strictly: each column's maximum is one reduceat segment
            end = max(int(starts[-1]) + 1, min(len(arr), int((xs[-1] + 1) * per_px)))
            amps = np.maximum.reduceat(arr[:end], starts)
        else:
            amps = arr[starts]
        heights = amps.astype(np.float64) / 255 * (mid - 2)
        return [
            QLineF(float(x), mid - a, float(x), mid + a) for x, a in zip(xs, heights, strict=True)
        ]

    def mousePressEvent(self, e: QMouseEvent) -> None:
        if e.button() == Qt.MouseButton.LeftButton and self.duration > 0:
            self.sig_seek.emit(self.seconds_at(e.position().x()))

    def paintEvent(self, e: QPaintEvent) -> None:
        p = QPainter(self)
        w, h = self.width(), self.height()
        mid = h / 2
        clip = e.rect()
        if self.peaks and self.duration > 0:
            p.setPen(QPen(self.wave_color, 1))
            p.drawLines(self._columns(clip.left(), clip.right() + 1, mid))
        elif self.note:
            p.setPen(self.wave_color)
            p.drawText(QRectF(0, 0, w, h), Qt.AlignmentFlag.AlignCenter, self.note)
        if self.duration > 0:
            p.setPen(QPen(self.mark_color, 1))
            marks = [QPointF(self._x(t), 0) for t in self.boundaries]
            for m in marks:
                if clip.left() - 1 <= m.x() <= clip.right() + 1:
                    p.drawLine(m, QPointF(m.x(), 6))
            p.setPen(QPen(self.head_color, 2))
            head = self._x(self.position)
            p.drawPolyline(QPolygonF([QPointF(head, 0), QPointF(head, h)]))
        p.end()
