"""The waveform is read in a child process (the GUI thread never shares the GIL with the
decoder), answers with the right peaks, says why a bad file fails, and dies with the window."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from tests.media_fixtures import write_wav
from widgets.peak_decoder import parse_line
from widgets.waveform import PeakBuilder, WaveformStrip

RATE = 8000


def _write(path: Path, parts: list[tuple[float, int]]) -> Path:
    """A recording of (seconds, loudness) parts: a 300 Hz square-ish wave at that level."""
    frames = bytearray()
    for seconds, level in parts:
        for i in range(int(seconds * RATE)):
            frames += struct.pack("<h", level if (i // 13) % 2 else -level)
    return write_wav(path, bytes(frames), RATE)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie not yet reaped still answers: read its state.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


def test_peaks_come_from_a_child_process(qtbot, tmp_path: Path) -> None:
    path = _write(tmp_path / "quiet-loud.wav", [(1.0, 0), (1.0, 20000)])
    builder = PeakBuilder()
    builder.build("key", path)
    assert builder.process is not None
    pid = builder.process.processId()
    assert pid > 0 and pid != os.getpid()
    with qtbot.waitSignal(builder.sig_done, timeout=20000) as done:
        pass
    key, rate, peaks = done.args
    assert key == "key" and rate == 20.0
    assert len(peaks) == pytest.approx(40, abs=1)
    assert max(peaks[:18]) < 10  # silence
    assert min(peaks[22:39]) > 180  # loud: square-root scaled towards 255


def test_a_file_that_is_not_audio_fails_with_a_reason(qtbot, tmp_path: Path) -> None:
    bad = tmp_path / "broken.wav"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk" + os.urandom(2000))
    builder = PeakBuilder()
    with qtbot.waitSignal(builder.sig_failed, timeout=20000) as failed:
        builder.build("bad", bad)
    key, why = failed.args
    assert key == "bad" and why.strip()
    qtbot.waitUntil(lambda: not builder.running, timeout=5000)  # and the child is gone


def test_shutdown_stops_the_child(qtbot, tmp_path: Path) -> None:
    path = _write(tmp_path / "long.wav", [(60.0, 9000)])
    builder = PeakBuilder()
    done: list[object] = []
    builder.sig_done.connect(done.append)
    builder.build("long", path)
    assert builder.process is not None
    pid = builder.process.processId()
    builder.shutdown()
    assert not builder.running and not _alive(pid)
    assert not done  # a stopped read never answers late


def test_strip_draws_the_loudest_peak_under_each_column(qtbot) -> None:
    strip = WaveformStrip()
    qtbot.addWidget(strip)
    strip.resize(10, 44)
    strip.set_duration(2.0)
    peaks = bytes([0, 10, 255, 0] + [0] * 36)  # 40 peaks at 20 a second: 4 under a column
    strip.set_peaks(20.0, peaks)
    mid = strip.height() / 2
    lines = strip._columns(0, 10, mid)
    heights = [round((ln.y2() - ln.y1()) / 2 / (mid - 2) * 255) for ln in lines]
    assert heights == [255] + [0] * 9
    assert len(strip._columns(3, 5, mid)) == 2  # only the columns asked for


def test_parse_line_refuses_garbage() -> None:
    assert parse_line("progress 60.0") == ("progress", 60.0, b"")
    assert parse_line("done 20 AAE=") == ("done", 20.0, b"\x00\x01")
    assert parse_line("done 20 not-base64!")[0] == "failed"
    assert parse_line("failed cannot open")[2] == "cannot open"
    assert parse_line("Input #0, wav")[0] == ""
