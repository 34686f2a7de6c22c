"""Media bench: a 3-hour recording in the real window, offscreen.

    QT_QPA_PLATFORM=offscreen python3 -m bench.bench_media [--hours 3]

Prints: waveform time for the whole recording (decoded in a child process) with the longest
gap between GUI frames while it ran (a 10 ms timer: a gap over 50 ms is a visible stutter),
seek latency (seek to the position reported), highlight lag (how far past a passage's
start the player is when following has highlighted it), and memory (RSS) before and after.
Everything is generated in a temporary folder: an 8 kHz mono WAV and a WhisperX JSON with
word times, one passage every 20 seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

from bench.common import machine

PASSAGE_S = 20.0
RATE = 8000


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def write_recording(path: Path, seconds: float) -> None:
    """Speech-like bursts: a tone that swells and fades every second, written a minute at once."""
    t = np.arange(RATE * 60) / RATE
    minute = (8000 * np.sin(2 * np.pi * 220 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * t))).astype(
        np.int16
    )
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        for _ in range(int(seconds // 60)):
            w.writeframes(minute.tobytes())


def write_transcript(path: Path, seconds: float) -> None:
    segments = []
    t = 0.0
    n = 0
    while t + PASSAGE_S <= seconds:
        words = [f"word{n}_{k}" for k in range(48)]
        step = (PASSAGE_S - 1) / len(words)
        segments.append(
            {
                "start": t,
                "end": t + PASSAGE_S - 1,
                "speaker": f"SPEAKER_0{n % 2}",
                "text": " ".join(words) + ".",
                "words": [
                    {"word": w, "start": t + k * step, "end": t + (k + 1) * step - 0.02}
                    for k, w in enumerate(words)
                ],
            }
        )
        t += PASSAGE_S
        n += 1
    path.write_text(json.dumps({"segments": segments}), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hours", type=float, default=3.0)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from widgets import theme
    from widgets.main_window import MainWindow

    _app = QApplication.instance() or QApplication([])  # kept alive for the run
    seconds = args.hours * 3600
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
        t0 = time.perf_counter()
        write_recording(folder / "long.wav", seconds)
        write_transcript(folder / "long.json", seconds)
        size = (folder / "long.wav").stat().st_size / 1e6
        print(f"generated {args.hours:g} h: {size:.0f} MB WAV in {time.perf_counter() - t0:.1f} s")
        win = MainWindow(theme.LIGHT, interactive=False)
        win.resize(1300, 850)
        win.show()
        assert win.open_file(str(folder / "long.json"), str(folder / "long.tedit"))
        c = win.media
        rss_before = rss_mb()

        def wait(cond, timeout: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
            """Run the event loop as the app does (no busy loop) until ``cond`` holds."""
            loop = QEventLoop()
            end = time.perf_counter() + timeout
            poll = QTimer()
            poll.setInterval(2)
            poll.timeout.connect(
                lambda: loop.quit() if cond() or time.perf_counter() > end else None
            )
            poll.start()
            if not cond():
                loop.exec()
            poll.stop()
            return bool(cond())

        # Waveform: attach starts the background decode; a 10 ms timer measures frame gaps.
        gaps: list[float] = []
        clock = QElapsedTimer()
        clock.start()
        last = [0]

        worst = [0, 0]  # the longest gap and when it ended (ms on the clock)

        def tick() -> None:
            now = clock.elapsed()
            gaps.append(now - last[0])
            if now - last[0] > worst[0]:
                worst[:] = [now - last[0], now]
            last[0] = now

        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(tick)
        # Let the window lay out and paint first: its first layout of every passage is the
        # window's cost (bench_gui measures it), not the waveform's. Measured apart here.
        last[0] = clock.elapsed()
        timer.start()
        settle_end = time.perf_counter() + 1.5
        wait(lambda: time.perf_counter() > settle_end, timeout=5)
        timer.stop()
        first_layout = max(gaps[1:] or [0])
        gaps.clear()
        done: list[float] = []
        c.builder.sig_done.connect(lambda *_: done.append(time.perf_counter()))
        t0 = time.perf_counter()
        assert c.attach(folder / "long.wav")
        attach_ms = (time.perf_counter() - t0) * 1000
        last[0] = clock.elapsed()
        worst[:] = [0, 0]
        began = clock.elapsed()
        timer.start()  # gaps while the waveform is read, after attach returned
        ok = wait(lambda: bool(done), timeout=900)
        drawn_end = time.perf_counter() + 0.5  # and while the result is stored and drawn
        wait(lambda: time.perf_counter() > drawn_end, timeout=5)
        timer.stop()
        wave_s = (done[0] - t0) if ok else float("nan")
        print(
            f"waveform: {wave_s:.1f} s for {args.hours:g} h ({len(c.strip.peaks):,} peaks), "
            f"longest frame gap while it ran and was drawn {max(gaps[1:] or [0]):.0f} ms "
            f"({(worst[1] - began) / 1000:.1f} s in) "
            f"(median {statistics.median(gaps[1:] or [0]):.0f} ms); attach itself took "
            f"{attach_ms:.0f} ms (probe, store, player load); the window's first layout "
            f"before it, apart: {first_layout:.0f} ms"
        )
        wait(lambda: c.player.duration > 0, timeout=30)

        # Seek latency: from asking to the player reporting the new position.
        rng = np.random.default_rng(1)
        latencies = []
        for target in rng.uniform(0, seconds - 60, 20):
            t0 = time.perf_counter()
            c.seek(float(target))
            wait(lambda target=target: abs(c.player.position - target) < 0.1, timeout=10)
            latencies.append((time.perf_counter() - t0) * 1000)
        print(
            f"seek latency: median {statistics.median(latencies):.1f} ms, "
            f"max {max(latencies):.1f} ms (20 random seeks)"
        )

        # Highlight lag: start half a second before a passage; how far into it is the
        # player when following has highlighted it?
        lags = []
        project = win.project
        assert project is not None
        for k in rng.integers(10, len(project.doc.passages) - 10, 8):
            passage = project.doc.passages[int(k)]
            assert passage.start is not None
            c.player.play_from(passage.start - 0.5)
            if wait(lambda pid=passage.id: c.followed == pid, timeout=5):
                lags.append((c.player.position - passage.start) * 1000)
            c.player.pause()
        print(
            f"highlight lag: median {statistics.median(lags):.0f} ms, max {max(lags):.0f} ms "
            f"past the passage start ({len(lags)} passages; tick {40} ms)"
            if lags
            else "highlight lag: not measured (no audio position?)"
        )
        print(
            f"memory: RSS {rss_before:.0f} MB with the {len(project.doc.passages):,}-passage "
            f"project open, {rss_mb():.0f} MB with the recording attached, waveform drawn "
            f"and played"
        )
        win.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
