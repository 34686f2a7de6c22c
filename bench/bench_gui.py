"""Window speed and memory figures (issue 3). Run: python bench/bench_gui.py

First complete paint from process start (the app's own --screenshot, in a child
process) for the Karpathy sample and a 25-hour transcript; then, in this
process, scrolling the 25-hour transcript top to bottom, jumping to random
passages, and typing into a passage, each as the slowest frame; peak memory.
"""

from __future__ import annotations

import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Child processes cache their bytecode, as an installed copy has it (this machine sets
# PYTHONDONTWRITEBYTECODE, which would recompile every module at every start).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import karpathy_or_demo, machine, write_25h_srt  # noqa: E402


def first_paint(path: Path, out: Path) -> float:
    cmd = [sys.executable, "-m", "entry.cli", "open", str(path), "--screenshot", str(out)]
    text = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    m = re.search(r"first paint: ([\d.]+) s", text)
    assert m, text
    return float(m.group(1))


def main() -> None:
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        os.environ["XDG_DATA_HOME"] = str(tmpdir / "data")
        os.environ["XDG_CONFIG_HOME"] = str(tmpdir / "config")
        srt = tmpdir / "25h.srt"
        write_25h_srt(srt)
        project = tmpdir / "25h.tedit"
        subprocess.run(
            [sys.executable, "-m", "entry.cli", "import", str(srt), "-o", str(project)],
            check=True,
            capture_output=True,
        )
        karpathy = karpathy_or_demo()
        fp_k = min(first_paint(karpathy, tmpdir / "k.png") for _ in range(3))
        fp_25 = min(first_paint(project, tmpdir / "p.png") for _ in range(3))
        print(f"first paint, {karpathy.name} (import + open): {fp_k:.2f} s (target <= 1.0 s)")
        print(f"first paint, 25-hour project: {fp_25:.2f} s (target <= 2.0 s)")
        interactive(project)


def _longest_turn(app: Any, done: Callable[[], bool], deadline: float) -> float:
    """Run the event loop until ``done()`` (or the deadline), then 50 more turns; the longest
    turn meanwhile, in seconds: the stall a user could feel."""
    stall = 0.0
    while time.perf_counter() < deadline and not done():
        t0 = time.perf_counter()
        app.processEvents()
        stall = max(stall, time.perf_counter() - t0)
    for _ in range(50):
        app.processEvents()
    return stall


def interactive(project_path: Path, label: str = "25-hour") -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from widgets import theme
    from widgets.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    theme.apply(app, theme.LIGHT)  # type: ignore[arg-type]
    win = MainWindow(theme.LIGHT, interactive=False)
    win.resize(1440, 900)
    win.show()
    win.open_file(str(project_path))
    app.processEvents()
    view = win.view
    n = win.model.rowCount()
    # Let the batched measuring of the rows finish, as it does while the user starts reading;
    # the longest turn of the event loop meanwhile is the stall a user could feel.
    last = win.model.index(n - 1)
    t_open = time.perf_counter()
    stall = _longest_turn(app, lambda: view.visualRect(last).isValid(), t_open + 60)
    print(
        f"rows measured in the background after opening: {time.perf_counter() - t_open:.1f} s, "
        f"longest event-loop turn meanwhile {stall * 1000:.1f} ms"
    )
    # Then the spelling dictionary loads (it waits for the rows): its one hitch, measured on
    # its own, before the scrolling below (which it would otherwise land in).
    stall = _longest_turn(app, lambda: view.delegate.speller is not None, t_open + 90)
    print(
        f"spelling dictionary ready {time.perf_counter() - t_open:.1f} s after opening, "
        f"longest event-loop turn while it loaded {stall * 1000:.1f} ms"
    )

    def frame(action) -> float:  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        action()
        app.processEvents()
        view.viewport().repaint()
        return time.perf_counter() - t0

    bar = view.verticalScrollBar()
    step = max(1, view.viewport().height() // 2)
    scroll_frames = []
    value = 0
    while value <= bar.maximum():
        scroll_frames.append(frame(lambda v=value: bar.setValue(v)))
        value += step
    rng = random.Random(7)
    targets = [rng.randrange(n) for _ in range(100)]
    jump_frames = [
        frame(lambda r=r: view.scroll_to_passage(win.model.passage(r).id))  # type: ignore[union-attr]
        for r in targets
    ]
    print(
        f"scroll {label} transcript top to bottom ({n} passages, {len(scroll_frames)} frames): "
        f"slowest frame {max(scroll_frames) * 1000:.1f} ms, median "
        f"{sorted(scroll_frames)[len(scroll_frames) // 2] * 1000:.1f} ms (target <= 33 ms)"
    )
    print(
        f"jump to 100 random passages: slowest frame {max(jump_frames) * 1000:.1f} ms (target <= 50 ms)"
    )
    index = win.model.index(n // 2)
    view.setCurrentIndex(index)
    view.edit(index)
    app.processEvents()
    editor = view.current_editor()
    assert editor is not None
    keys = []
    for ch in "the quick brown fox jumps over":
        t0 = time.perf_counter()
        QTest.keyClick(editor, ch)
        editor.viewport().repaint()
        keys.append(time.perf_counter() - t0)
    QTest.keyClick(editor, Qt.Key.Key_Escape)
    win.commit_typing()
    print(
        f"typing into a passage: slowest key-to-repaint {max(keys) * 1000:.1f} ms, median "
        f"{sorted(keys)[len(keys) // 2] * 1000:.1f} ms (target <= 16 ms)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak memory of this process (window on the {label} transcript): {peak:.0f} MB (target <= 400 MB)"
    )
    win.close()


if __name__ == "__main__":
    main()
