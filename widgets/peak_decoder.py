"""Reading a recording's loudness, in a process of its own.

    python3 -m widgets.peak_decoder FILE

QAudioDecoder hands over a few hundred samples at a time: a 3-hour recording is some 170,000
buffers, each a call into Python. Done in a thread of the window's process, those calls hold
the GIL for ~10 s in all, and every time the GUI thread lets go of the GIL (each Qt call that
releases it while laying out the passage list or painting) it waits up to the interpreter's
5 ms switch interval to get it back: frames stalled 370-480 ms while a 3-hour waveform was
read. In a child process the GUI shares nothing with the decoder; it reads a few lines.

The child writes lines to stdout: ``progress SECONDS`` about once a minute of recording,
then ``done PEAKS_PER_S BASE64`` (peaks 0..255, square-root scaled) or ``failed WHY``.
"""

from __future__ import annotations

import base64
import os
import sys

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QTimer, QUrl, Signal
from PySide6.QtMultimedia import QAudioDecoder, QAudioFormat

from widgets.peak_lines import PEAKS_PER_S, parse_line

__all__ = ["PEAKS_PER_S", "main", "parse_line"]

DECODE_RATE = 8000  # asked of the decoder: the FFmpeg backend resamples while decoding


class PeakWorker(QObject):
    """Decodes one recording and reduces it to ``PEAKS_PER_S`` peaks a second."""

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
        if seconds - self._last_told >= 60:  # a minute at a time: a few lines, not thousands
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


def _say(line: str) -> None:
    """One line to the window; if the window is gone (a closed pipe), stop at once."""
    try:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    except OSError:
        os._exit(1)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        _say("failed usage: python3 -m widgets.peak_decoder FILE")
        return 2
    app = QCoreApplication([sys.argv[0]])
    worker = PeakWorker()
    result = [1]
    parent = os.getppid()

    def done(_key: str, rate: float, peaks: bytes) -> None:
        _say(f"done {rate:g} {base64.b64encode(peaks).decode('ascii')}")
        result[0] = 0
        app.quit()

    def failed(_key: str, why: str) -> None:
        _say("failed " + " ".join(why.split()))
        app.quit()

    def orphaned() -> None:  # the window died without stopping us: nobody wants the peaks
        if os.getppid() != parent:
            os._exit(1)

    worker.sig_progress.connect(lambda s: _say(f"progress {s:.1f}"))
    worker.sig_done.connect(done)
    worker.sig_failed.connect(failed)
    watch = QTimer()
    watch.timeout.connect(orphaned)
    watch.start(1000)
    QTimer.singleShot(0, lambda: worker.start("", args[0]))
    app.exec()
    return result[0]


if __name__ == "__main__":
    raise SystemExit(main())
