"""The waveform strip: the whole recording's loudness, passage boundaries and the playhead.

Peaks are decoded in a worker thread (QAudioDecoder, asked for 8 kHz mono 16-bit so the
FFmpeg backend resamples while decoding) and reduced there to ``PEAKS_PER_S`` bytes a
second; the GUI thread only receives the finished bytes and progress, so the window never
stutters while a 3-hour recording is read. The result is cached in the project
(editor.media.cached_peaks): a reopened project draws at once. Clicking seeks.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QThread, QUrl, Signal, Slot
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtMultimedia import QAudioDecoder, QAudioFormat
from PySide6.QtWidgets import QSizePolicy, QWidget

PEAKS_PER_S = 20.0
DECODE_RATE = 8000


class PeakWorker(QObject):
    """Lives in its own thread: decodes one recording and reduces it to peaks."""

    sig_progress = Signal(float)  # seconds decoded
    sig_done = Signal(str, float, bytes)  # key, peaks per second, peaks (0..255)
    sig_failed = Signal(str, str)  # key, why

    def __init__(self) -> None:
        super().__init__()
        self.decoder: QAudioDecoder | None = None
        self.key = ""
        self._peaks: list[np.ndarray] = []
        self._carry = np.zeros(0, dtype=np.int16)
        self._bin = int(DECODE_RATE / PEAKS_PER_S)
        self._last_told = 0.0

    @Slot(str, str)
    def start(self, key: str, path: str) -> None:
        self.key = key
        self._peaks, self._carry, self._last_told = [], np.zeros(0, dtype=np.int16), 0.0
        fmt = QAudioFormat()
        fmt.setSampleRate(DECODE_RATE)
        fmt.setChannelCount(1)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        self.decoder = QAudioDecoder(self)
        self.decoder.setAudioFormat(fmt)
        self.decoder.bufferReady.connect(self._buffer)
        self.decoder.finished.connect(self._finished)
        self.decoder.error.connect(self._error)
        self.decoder.setSource(QUrl.fromLocalFile(path))
        self.decoder.start()

    def _buffer(self) -> None:
        assert self.decoder is not None
        buf = self.decoder.read()
        if not buf.isValid():
            return
        fmt = buf.format()
        data = np.frombuffer(bytes(buf.constData()), dtype=np.int16)
        channels = max(1, fmt.channelCount())
        if channels > 1:  # a backend that would not downmix: take the loudest channel
            data = np.abs(data[: len(data) // channels * channels].reshape(-1, channels)).max(1)
        self._bin = max(1, int(fmt.sampleRate() / PEAKS_PER_S))
        samples = np.concatenate([self._carry, data]) if len(self._carry) else data
        whole = len(samples) // self._bin * self._bin
        if whole:
            blocks = np.abs(samples[:whole].astype(np.int32)).reshape(-1, self._bin).max(1)
            self._peaks.append(blocks)
        self._carry = samples[whole:]
        seconds = buf.startTime() / 1e6
        if seconds - self._last_told >= 60:  # a minute at a time: a few signals, not thousands
            self._last_told = seconds
            self.sig_progress.emit(seconds)

    def _finished(self) -> None:
        if self.decoder is None:
            return
        if len(self._carry):
            self._peaks.append(np.array([np.abs(self._carry.astype(np.int32)).max()]))
        peaks = np.concatenate(self._peaks) if self._peaks else np.zeros(0, dtype=np.int32)
        # Square root: quiet speech stays visible beside loud laughter.
        scaled = np.sqrt(np.clip(peaks, 0, 32767) / 32767.0) * 255
        self.sig_done.emit(self.key, PEAKS_PER_S, scaled.astype(np.uint8).tobytes())
        self._stop()

    def _error(self, _error: QAudioDecoder.Error) -> None:
        why = self.decoder.errorString() if self.decoder is not None else "cannot be decoded"
        self.sig_failed.emit(self.key, why or "cannot be decoded")
        self._stop()

    def _stop(self) -> None:
        decoder, self.decoder = self.decoder, None  # stop() may say "finished" again
        if decoder is not None:
            decoder.stop()
            decoder.deleteLater()


class PeakBuilder(QObject):
    """Owns the worker thread; ``build`` is asynchronous and answers with ``sig_done``."""

    sig_request = Signal(str, str)
    sig_done = Signal(str, float, bytes)
    sig_failed = Signal(str, str)
    sig_progress = Signal(float)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker_thread = QThread()
        self.worker_thread.setObjectName("waveform")
        self.worker = PeakWorker()
        self.worker.moveToThread(self.worker_thread)
        self.sig_request.connect(self.worker.start)
        self.worker.sig_done.connect(self.sig_done)
        self.worker.sig_failed.connect(self.sig_failed)
        self.worker.sig_progress.connect(self.sig_progress)
        # The thread runs only while a recording is being read.
        self.sig_done.connect(lambda *_: self.worker_thread.quit())
        self.sig_failed.connect(lambda *_: self.worker_thread.quit())

    def build(self, key: str, path: Path) -> None:
        if not self.worker_thread.isRunning():
            self.worker_thread.wait(2000)  # a quit still finishing
            self.worker_thread.start()
        self.sig_request.emit(key, str(path))

    def shutdown(self) -> None:
        self.worker_thread.quit()
        self.worker_thread.wait(5000)


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
            n = len(self.peaks)
            per_px = self.duration * self.rate / max(1, w)  # peaks under one pixel
            arr = np.frombuffer(self.peaks, dtype=np.uint8)
            x0, x1 = max(0, clip.left()), min(w, clip.right() + 1)
            lines = []
            for x in range(x0, x1):
                a = int(x * per_px)
                b = max(a + 1, int((x + 1) * per_px))
                if a >= n:
                    break
                amp = int(arr[a:b].max()) / 255 * (mid - 2)
                lines.append((QPointF(x, mid - amp), QPointF(x, mid + amp)))
            for a_pt, b_pt in lines:
                p.drawLine(a_pt, b_pt)
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
