"""Make the README's screenshots from the real window (offscreen): python docs/shots.py

The demo (with its recording, as ``transcript-editor demo`` opens it) in both themes at
1280x800 and 1920x1080, spell check, a review in progress (offline engine suggestions, some
decided), and suggestions with their verdicts. Each PNG is written into docs/.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    tmp = Path(tempfile.mkdtemp())
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    os.environ["XDG_DATA_HOME"] = str(tmp / "data")
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    from widgets import theme
    from widgets.main_window import MainWindow

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def window(th: theme.Theme, w: int, h: int) -> MainWindow:
        theme.apply(app, th)  # the app's palette and style sheet, as the app itself sets them
        win = MainWindow(th, interactive=False)
        win.resize(w, h)
        win.show()
        assert win.open_demo()  # a fresh copy each time: the data folder is a new one
        for _ in range(50):  # the dictionary and the waveform load in the background
            wait(100)
            if win.view.delegate.speller is not None:
                break
        wait(1500)
        return win

    for th in (theme.LIGHT, theme.DARK):
        for w, h in ((1280, 800), (1920, 1080)):
            win = window(th, w, h)
            win.grab().save(str(ROOT / "docs" / f"demo-{w}-{th.name}.png"))
            win.close()

    # Spell check: the editor open on a passage with a misspelling typed into it.
    win = window(theme.LIGHT, 1280, 800)
    index = win.model.index(3)
    win.view.setCurrentIndex(index)
    win.view.edit(index)
    wait(200)
    editor = win.view.current_editor()
    if editor is not None:
        editor.moveCursor(editor.textCursor().MoveOperation.End)
        editor.insertPlainText(" My grandfather allways said so.")
    wait(400)
    win.grab().save(str(ROOT / "docs" / "spell-check-light.png"))
    win.close()

    def suggest(win: MainWindow, level: str, speakers: bool) -> None:
        """Run the offline engine from the assist panel and wait for it to finish."""
        panel = win.assist_panel
        panel.level.setCurrentIndex(panel.level.findData(level))
        panel.speakers.setChecked(speakers)
        panel.start()
        for _ in range(100):
            wait(100)
            if not panel.running():
                break

    # A review in progress: offline suggestions at print level, a few decided.
    win = window(theme.DARK, 1440, 900)
    win.assist_dock.show()
    win.assist_dock.raise_()
    suggest(win, "print", speakers=False)
    for row in (0, 1, 2):
        win.view.setCurrentIndex(win.model.index(row))
        win.decide(True, whole=True)
    win.view.setCurrentIndex(win.model.index(3))
    wait(500)
    win.grab().save(str(ROOT / "docs" / "review-progress-dark.png"))
    win.close()

    # Speaker names and readability edits, each passage with its verdict.
    win = window(theme.LIGHT, 1440, 900)
    suggest(win, "standard", speakers=True)
    win.view.setCurrentIndex(win.model.index(0))
    wait(500)
    win.grab().save(str(ROOT / "docs" / "verdicts-light.png"))
    win.close()
    app.quit()


if __name__ == "__main__":
    main()
