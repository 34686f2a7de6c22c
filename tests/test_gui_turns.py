"""Speaker turns at a keystroke in the window: a 200-passage two-person conversation with no
speakers (as YouTube gives it) is put right with about one key per passage."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from editor.model import Passage, Speaker, Transcript
from editor.store import Project
from widgets import theme
from widgets.main_window import MainWindow

N = 200


def truth(i: int) -> str:
    return "Host" if i % 2 == 0 else "Guest"


@pytest.fixture
def win(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    texts = [
        f"Question {i} from the host?" if i % 2 == 0 else f"Answer {i} from the guest."
        for i in range(N)
    ]
    # One passage holds a question and its answer: a turn inside it.
    texts[10] = "Question 10 from the host? Answer 10b from the guest, all of it."
    doc = Transcript(
        speakers=[Speaker("Unknown", "Unknown")],
        passages=[Passage(0, t, t, start=i * 5.0, end=i * 5.0 + 4) for i, t in enumerate(texts)],
    )
    Project.create(tmp_path / "yt.tedit", doc).close()
    w = MainWindow(theme.LIGHT, interactive=False)
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    assert w.open_file(str(tmp_path / "yt.tedit"))
    return w


def test_a_conversation_without_speakers_is_fixed_by_keyboard(qtbot, win: MainWindow) -> None:
    project = win.project
    assert project is not None
    view = win.view
    view.setCurrentIndex(win.model.index(0))
    view.setFocus()
    keys = 0
    # The turn inside passage 11: click into it, put the cursor on the answer, one key.
    win.view.scroll_to_passage(project.doc.passages[10].id, edit=True)
    qtbot.waitUntil(lambda: view.current_editor() is not None)
    editor = view.current_editor()
    assert editor is not None
    cursor = editor.textCursor()
    cursor.setPosition(editor.toPlainText().index("Answer 10b"))
    editor.setTextCursor(cursor)
    qtbot.keyClick(
        editor,
        Qt.Key.Key_Return,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
    )
    keys += 1
    assert len(project.doc.passages) == N + 1
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    view.setCurrentIndex(win.model.index(0))
    for row in range(len(project.doc.passages)):
        passage = project.doc.passages[row]
        want = "Guest" if "guest" in passage.text else "Host"
        have = project.doc.speaker_by_id(passage.speaker_id).name
        if (want == "Guest") != (have in ("Speaker 2", "Guest")):
            qtbot.keyClick(view, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
            keys += 1
        qtbot.keyClick(view, Qt.Key.Key_Down)
        keys += 1
    host, guest = (s.id for s in project.doc.speakers)
    got = ["Guest" if p.speaker_id == guest else "Host" for p in project.doc.passages]
    want_all = ["Guest" if "guest" in p.text else "Host" for p in project.doc.passages]
    assert got == want_all and host != guest
    assert keys <= 1.6 * len(project.doc.passages)  # moving down, and one key where wrong
    # Every step undoes: the last assignment first.
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.can_redo()
