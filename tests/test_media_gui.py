"""The player in the real window, offscreen, with generated recordings (Qt's FFmpeg backend
plays with no audio device and its position advances in real time)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication

from editor import media
from tests.media_fixtures import cut_mp3, whisperx_json, write_tones
from tests.test_gui_user import drawn, make_window
from widgets.main_window import MainWindow
from widgets.media_controller import MediaController

RECORDING_S = 8.0


def controller(win: MainWindow) -> MediaController:
    return win.media


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    src = whisperx_json(tmp_path / "talk.json")
    write_tones(tmp_path / "talk.wav", RECORDING_S)
    win = make_window(qtbot)
    assert win.open_file(str(src), str(tmp_path / "talk.tedit"))
    return win


@pytest.fixture
def playing(qtbot, window: MainWindow, tmp_path: Path) -> MediaController:
    c = controller(window)
    assert c.attach(tmp_path / "talk.wav")
    qtbot.waitUntil(lambda: c.player.duration > 0, timeout=5000)
    return c


def test_attach_play_and_position_advances(qtbot, playing: MediaController) -> None:
    c = playing
    assert c.status is not None and c.status.present
    c.toggle()
    qtbot.waitUntil(lambda: c.player.playing, timeout=3000)
    qtbot.waitUntil(lambda: c.player.position > 1.1, timeout=4000)
    qtbot.waitUntil(lambda: c.bar.time.text().startswith("0:01 / 0:08"), timeout=2000)
    c.toggle()
    qtbot.waitUntil(lambda: not c.player.playing, timeout=3000)


def test_follow_highlights_the_passage_being_played(qtbot, playing: MediaController) -> None:
    c = playing
    win = c.window
    assert win.project is not None
    third = win.project.doc.passages[2]
    c.player.play_from(5.5)
    qtbot.waitUntil(lambda: c.followed == third.id, timeout=4000)
    assert win.current_passage() is third
    qtbot.waitUntil(lambda: c.current_word is not None, timeout=3000)
    assert c.current_word is not None and c.current_word.measured
    assert c.highlight.rect_f is not None  # the word is marked in the edited column
    c.player.pause()


def test_follow_off_leaves_the_place(qtbot, playing: MediaController) -> None:
    c = playing
    win = c.window
    win.view.setCurrentIndex(win.model.index(0))
    c.bar.follow.setChecked(False)
    c.player.play_from(5.5)
    qtbot.waitUntil(lambda: c.player.position > 5.8, timeout=4000)
    assert win.view.currentIndex().row() == 0
    c.player.pause()


def test_waveform_click_seeks(qtbot, playing: MediaController) -> None:
    c = playing
    strip = c.strip
    qtbot.waitUntil(lambda: len(strip.peaks) > 0, timeout=10000)  # decoded in the background
    assert len(strip.peaks) == pytest.approx(RECORDING_S * strip.rate, abs=2)
    x = int(strip.width() * 0.75)
    qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=QPoint(x, strip.height() // 2))
    qtbot.waitUntil(lambda: abs(c.player.position - 6.0) < 0.3, timeout=3000)
    # Cached in the project: the next open draws without decoding.
    assert c.project is not None and c.status is not None
    assert media.cached_peaks(c.project, c.status.key) is not None


def test_click_a_passage_time_plays_from_it(qtbot, playing: MediaController) -> None:
    c = playing
    win = c.window
    index = win.model.index(1)
    rect = win.view.visualRect(index)
    passage = win.project.doc.passages[1]  # type: ignore[union-attr]
    meta, _, _, _ = win.view.delegate.columns(rect, passage)
    qtbot.mouseClick(
        win.view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(meta.left() + 10, meta.top() + 24),
    )
    qtbot.waitUntil(lambda: c.player.playing, timeout=3000)
    assert c.player.position == pytest.approx(2.6, abs=0.4)
    c.player.pause()


def test_play_starts_at_the_passage_moved_to(qtbot, playing: MediaController) -> None:
    # Ctrl+Space after Down played from the old playhead (0:00), and Follow then took the
    # list back to the first passage.
    c = playing
    win = c.window
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    win.view.setCurrentIndex(win.model.index(0))
    win.view.setFocus()
    qtbot.keyClick(win.view, Qt.Key.Key_Down)
    second = win.project.doc.passages[1]  # type: ignore[union-attr]
    assert win.current_passage() is second
    qtbot.keyClick(win.view, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: c.player.playing, timeout=3000)
    assert c.player.position == pytest.approx(second.start, abs=0.4)
    qtbot.wait(300)
    assert win.current_passage() is second  # Follow stays there
    qtbot.keyClick(win.view, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)  # pause
    qtbot.waitUntil(lambda: not c.player.playing, timeout=3000)
    paused = c.player.position
    qtbot.keyClick(win.view, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: c.player.playing, timeout=3000)
    assert c.player.position >= paused - 0.05  # within the passage: resumed where it was
    c.player.pause()


def ctrl_click_plays(qtbot, c: MediaController, passage, word) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+click on ``word`` where it is drawn: the player plays from it."""
    rect = c.word_rect(passage, word)
    assert rect is not None
    qtbot.mouseClick(
        c.window.view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        rect.center().toPoint(),
    )
    qtbot.waitUntil(lambda: c.player.playing, timeout=3000)
    assert c.player.position >= word.start - 0.1
    c.player.pause()


def test_ctrl_click_on_a_word_plays_from_there(qtbot, playing: MediaController) -> None:
    """Paused too: it only moved the playhead (the README says "play from there")."""
    c = playing
    win = c.window
    assert win.project is not None and c.clock is not None and not c.player.playing
    passage = win.project.doc.passages[2]
    word = next(w for w in c.clock.words(passage) if w.text == "wooden")
    ctrl_click_plays(qtbot, c, passage, word)


def test_ctrl_click_in_the_editor_right_after_typing_plays_that_word(
    qtbot, playing: MediaController
) -> None:
    """Within the pause in typing the stored text lacks what was just typed: the click was
    looked up there, and played a word as many characters on as were typed before it."""
    c = playing
    win = c.window
    assert win.project is not None and c.clock is not None
    passage = win.project.doc.passages[2]
    word = next(w for w in c.clock.words(passage) if w.text == "wooden")
    nxt = next(w for w in c.clock.words(passage) if w.start > word.start + 0.2)
    editor = editor_by_key(qtbot, win, 2)
    qtbot.keyClick(editor, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "Well now, honestly, ")
    assert win.project.passage(passage.id).text == passage.text  # not committed yet
    cursor = editor.textCursor()
    cursor.setPosition(editor.toPlainText().index("wooden") + 2)
    spot = editor.cursorRect(cursor).center()
    qtbot.mouseClick(
        editor.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, spot
    )
    qtbot.waitUntil(lambda: c.player.playing, timeout=3000)
    assert word.start - 0.1 <= c.player.position < nxt.start
    c.player.pause()


def test_the_spoken_word_is_found_in_a_row_drawn_with_its_changes(
    qtbot, playing: MediaController
) -> None:
    # With Show changes on, a changed passage had no mark on the word being played, and a
    # Ctrl+click on a word there did nothing.
    from editor.commands import EditText

    c = playing
    win = c.window
    assert win.project is not None and c.clock is not None
    passage = win.project.doc.passages[2]
    win.execute(EditText(passage.id, passage.text.replace("Let us talk", "Now we talk")))
    win.view.setFocus()
    qtbot.keyClick(win.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # Show changes
    assert win.view.delegate.show_changes
    passage = win.project.doc.passages[2]
    word = next(w for w in c.clock.words(passage) if w.text == "wooden")
    ctrl_click_plays(qtbot, c, passage, word)


def editor_by_key(qtbot, win: MainWindow, row: int):  # type: ignore[no-untyped-def]
    """The row's editor, opened from the list with F2."""
    win.view.setCurrentIndex(win.model.index(row))
    win.view.setFocus()
    qtbot.keyClick(win.view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: win.view.current_editor() is not None)
    editor = win.view.current_editor()
    assert editor is not None
    return editor


def paused_by_typing(qtbot, c: MediaController):  # type: ignore[no-untyped-def]
    """The first passage's editor (F2), after playing a second and typing, which pauses."""
    editor = editor_by_key(qtbot, c.window, 0)
    c.toggle()
    qtbot.waitUntil(lambda: c.player.position > 1.0, timeout=4000)
    qtbot.keyClicks(editor, "x")
    qtbot.waitUntil(lambda: not c.player.playing, timeout=2000)
    return editor


@pytest.mark.parametrize("how", ["key", "button"])
def test_typing_pauses_and_resuming_rewinds(qtbot, playing: MediaController, how: str) -> None:
    c = playing
    editor = paused_by_typing(qtbot, c)
    paused_at = c.player.position
    # The play key works while typing: Ctrl+Space in the editor resumes, a little earlier.
    # The bar's Play button does the same (it resumed where typing paused, without the
    # rewind, and played the old place after a move).
    if how == "key":
        qtbot.keyClick(editor, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    else:
        qtbot.mouseClick(c.bar.play, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: c.player.playing, timeout=2000)
    assert c.player.position < paused_at - 1.0
    c.player.pause()


@pytest.mark.parametrize("mode", ["pause", "slow"])
def test_opening_an_editor_while_playing_is_not_typing(
    qtbot, playing: MediaController, mode: str
) -> None:
    """The passage's own text put into the editor as it opened counted as typing: F2 paused
    playback (or halved its speed), and the next Ctrl+Space rewound as if after typing."""
    c = playing
    c.typing_mode = mode
    win = c.window
    c.toggle()
    qtbot.waitUntil(lambda: c.player.position > 0.5, timeout=4000)
    editor = editor_by_key(qtbot, win, 1)
    for _ in range(3):
        QApplication.processEvents()
    assert c.player.playing and c.player.rate == 1.0
    qtbot.keyClicks(editor, "x")  # typing still does
    if mode == "pause":
        qtbot.waitUntil(lambda: not c.player.playing, timeout=2000)
    else:
        qtbot.waitUntil(lambda: c.player.rate < 1.0, timeout=2000)
    c.player.pause()


def test_paused_by_typing_then_moved_on_plays_the_passage_moved_to(
    qtbot, playing: MediaController
) -> None:
    # It played the old place, minus the rewind, while the list stayed on the passage moved
    # to (and Follow did not take it back).
    c = playing
    win = c.window
    editor = paused_by_typing(qtbot, c)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.view)
    for _ in range(2):
        qtbot.keyClick(win.view, Qt.Key.Key_Down)
    assert win.view.currentIndex().row() == 2  # starts at 5.2 s
    qtbot.keyClick(win.view, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: c.player.playing, timeout=2000)
    assert c.player.position >= 5.1
    c.player.pause()


def test_slowed_for_typing_the_speed_comes_back(qtbot, playing: MediaController) -> None:
    # Half speed stayed after typing stopped, until a pause.
    c = playing
    c._typing_over.setInterval(300)  # the pause that ends typing, shortened
    c.typing_actions["slow"].trigger()  # type: ignore[attr-defined]
    win = c.window
    win.view.setCurrentIndex(win.model.index(0))
    win.view.edit(win.model.index(0))
    qtbot.waitUntil(lambda: win.view.current_editor() is not None)
    editor = win.view.current_editor()
    assert editor is not None
    c.toggle()
    qtbot.waitUntil(lambda: c.player.playing, timeout=4000)
    qtbot.keyClicks(editor, "x")
    assert c.player.rate == 0.5 and c.player.playing
    qtbot.waitUntil(lambda: c.player.rate == 1.0, timeout=2000)  # typing stopped
    assert c.player.playing
    qtbot.keyClicks(editor, "y")
    assert c.player.rate == 0.5
    # Faster, chosen while slowed: still slow while typing, that speed once it stops (it
    # ended the slow-down, then the speed from before came back, the box saying 1.25×).
    qtbot.keyClick(
        editor, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    assert c.bar.speed.currentText() == "1.25×" and c.player.rate == 0.5
    qtbot.waitUntil(lambda: c.player.rate == 1.25, timeout=2000)  # typing stopped
    qtbot.keyClicks(editor, "z")
    assert c.player.rate == 0.5
    qtbot.keyClick(editor, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)  # pause
    qtbot.waitUntil(lambda: not c.player.playing, timeout=2000)
    assert c.player.rate == 1.25


def test_the_spoken_word_in_the_editor_stays_on_it_while_typing(
    qtbot, playing: MediaController
) -> None:
    # Slowed for typing, the mark kept the stored text's offsets in the typed text: it
    # marked "YeThan", then "Yes.Th", while "Thanks" was said.
    c = playing
    c.typing_actions["slow"].trigger()  # type: ignore[attr-defined]
    win = c.window
    assert win.project is not None and c.clock is not None
    passage = win.project.doc.passages[1]  # "Thanks for having me here today."
    win.view.setCurrentIndex(win.model.index(1))
    win.view.edit(win.model.index(1))
    qtbot.waitUntil(lambda: win.view.current_editor() is not None)
    editor = win.view.current_editor()
    assert editor is not None
    editor.moveCursor(editor.textCursor().MoveOperation.Start)
    thanks = next(w for w in c.clock.words(passage) if w.text == "Thanks")
    c.player.play_from(thanks.start + 0.02)
    qtbot.keyClicks(editor, "Yes. ")  # typing before the word being said
    assert c.player.playing
    qtbot.wait(200)  # the mark follows the playhead every 40 ms
    assert editor._spoken is not None
    start, stop, _ = editor._spoken
    said = editor.toPlainText()[start:stop]
    c.player.pause()
    assert said in ("Thanks", "for", "having"), said  # a word of the passage, whole


def test_set_start_from_playhead_is_undoable(qtbot, playing: MediaController) -> None:
    c = playing
    win = c.window
    assert win.project is not None
    second = win.project.doc.passages[1]
    win.view.setCurrentIndex(win.model.index(1))
    c.player.seek(3.1)
    qtbot.waitUntil(lambda: abs(c.player.position - 3.1) < 0.05, timeout=3000)
    c.actions["set_start"].trigger()
    assert win.project.passage(second.id).start == pytest.approx(3.1, abs=0.05)
    win.undo()
    assert win.project.passage(second.id).start == 2.6


def test_play_current_passage_stops_at_its_end(qtbot, playing: MediaController) -> None:
    c = playing
    win = c.window
    win.view.setCurrentIndex(win.model.index(0))
    c.follow = False
    assert c.play_current()
    assert c.player.span_end is not None and c.player.span_end == pytest.approx(2.4)
    qtbot.waitUntil(lambda: not c.player.playing, timeout=5000)
    assert 2.3 <= c.player.position <= 2.9


def test_hear_before_accept_plays_the_focused_change(qtbot, playing: MediaController) -> None:
    c = playing
    win = c.window
    project = win.project
    assert project is not None
    third = project.doc.passages[2]
    new = third.text.replace("wooden boats", "old wooden boats")
    project.add_suggestions(
        [
            {
                "passage_id": third.id,
                "kind": "readability",
                "base_text": third.text,
                "proposed": new,
                "status": "pending",
                "created": None,
                "flags": "[]",
            }
        ]
    )
    win.view.setCurrentIndex(win.model.index(2))
    win.goto_suggestion(1)
    assert win.view.focus_hunk(third.id) == 0
    assert c.play_current()
    start = c.player.position
    end = c.player.span_end
    assert c.clock is not None
    wooden = next(w for w in c.clock.words(third) if w.text == "wooden")
    # A second of context either side of where the change falls, not the whole passage.
    assert start == pytest.approx(max(0, wooden.start - 1.0), abs=0.5)
    assert end is not None and end < 7.8 + 1.0 and end - start < 4.0
    c.player.pause()


def test_relink_moved_media_when_reopened(qtbot, window: MainWindow, tmp_path: Path) -> None:
    c = controller(window)
    sub = tmp_path / "rec"
    sub.mkdir()
    shutil.copy(tmp_path / "talk.wav", sub / "talk.wav")
    (tmp_path / "talk.wav").unlink()
    assert c.attach(sub / "talk.wav")
    path = window.project.path  # type: ignore[union-attr]
    shutil.move(sub / "talk.wav", tmp_path / "talk.wav")  # moved beside the project
    assert window.open_file(str(path))
    assert c.status is not None and c.status.present  # found there: opening writes nothing
    assert c.status.file == (tmp_path / "talk.wav").resolve()


@pytest.mark.parametrize("case", ["missing", "corrupt", "unsupported", "shorter"])
def test_bad_media_gives_one_message_and_the_transcript_opens(
    qtbot, window: MainWindow, tmp_path: Path, case: str
) -> None:
    c = controller(window)
    messages: list[str] = []
    window.sig_error.connect(messages.append)
    path = window.project.path  # type: ignore[union-attr]
    if case == "missing":
        assert c.attach(tmp_path / "talk.wav")
        (tmp_path / "talk.wav").unlink()
        assert window.open_file(str(path))
    elif case == "corrupt":
        bad = tmp_path / "bad.mp3"
        bad.write_bytes(b"not audio\n" * 500)
        assert not c.attach(bad)
    elif case == "unsupported":
        bad = tmp_path / "talk.txt"
        bad.write_text("hello")
        assert not c.attach(bad)
    else:
        assert c.attach(write_tones(tmp_path / "short.wav", 2.0))
        assert "cannot be played" in window.statusBar().currentMessage()
        messages.append(window.statusBar().currentMessage())
    assert len(messages) == 1 and "\n" not in messages[0]
    # The transcript still opens and edits.
    assert window.project is not None and window.model.rowCount() == 3
    from editor.commands import EditText

    first = window.project.doc.passages[0]
    assert window.execute(EditText(first.id, "Edited without the recording."))


def test_damaged_recording_found_by_the_player(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """A file that passes the header check but will not decode: the player says so once."""
    c = controller(window)
    bad = tmp_path / "broken.webm"
    bad.write_bytes(b"\x1a\x45\xdf\xa3" + b"\x00garbage" * 200)
    messages: list[str] = []
    window.sig_error.connect(messages.append)
    c.attach(bad)
    qtbot.waitUntil(lambda: bool(messages), timeout=5000)
    assert len(messages) == 1 and "broken.webm" in messages[0]
    assert window.project is not None and window.model.rowCount() == 3


def test_dropping_a_recording_attaches_it(qtbot, window: MainWindow, tmp_path: Path) -> None:
    c = controller(window)
    # Without a recording the waveform strip is not shown (it was an empty band taking the
    # transcript's height); with one, it is.
    assert c.strip.isHidden()
    # Nor do the buttons and Detach look ready (they kept the last recording's state).
    assert not c.bar.play.isEnabled() and not c.detach_action.isEnabled()
    c.actions["toggle"].trigger()  # Ctrl+Space: said nothing
    assert window.statusBar().currentMessage().startswith("No recording to play")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "talk.wav"))])
    drop = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    assert c.status is not None and c.status.ref.path == "talk.wav"
    qtbot.waitUntil(c.strip.isVisible)
    assert window.project is not None and window.project.path.name == "talk.tedit"
    assert c.bar.play.isEnabled() and c.detach_action.isEnabled()
    c.detach_action.trigger()  # Play → Detach media
    assert not c.bar.play.isEnabled() and c.bar.time.text() == "–:–– / –:––"
    assert not c.detach_action.isEnabled()


def test_speed_and_volume_chosen_before_a_recording_apply_once_it_plays(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    # The player is made with the first recording (issue 13: a window without one starts
    # without QtMultimedia); what the user set on the bar before that must still hold.
    from PySide6.QtMultimediaWidgets import QVideoWidget

    from tests.test_gui_user import ALT, CTRL, key

    c = controller(window)
    key(qtbot, window, Qt.Key.Key_Up, CTRL | ALT)  # Play → Faster, twice: 1.5×
    key(qtbot, window, Qt.Key.Key_Up, CTRL | ALT)
    assert c.bar.speed.currentText() == "1.5×"
    c.bar.volume.setFocus()
    for _ in range(3):
        qtbot.keyClick(c.bar.volume, Qt.Key.Key_PageDown)  # a page is 10 of 100
    assert c.bar.volume.value() == 70
    assert c.video_dock.widget() is None and not c.video_dock.isVisible()
    assert c.attach(tmp_path / "talk.wav")
    qtbot.waitUntil(lambda: c.player.duration > 0, timeout=5000)
    assert c.player.media.playbackRate() == 1.5
    assert c.player.media.audioOutput().volume() == pytest.approx(0.7)
    assert isinstance(c.video_dock.widget(), QVideoWidget)
    assert not c.video_dock.isVisible()  # a recording without pictures shows no video pane


def test_missing_recording_message_at_opening_is_readable(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    """Opened before the window shows (as the command line opens a project), on a narrow
    window: the status bar's counts were drawn over the message, and the player's line
    stopped mid-word at the window's edge."""
    from PySide6.QtWidgets import QLabel

    c = controller(window)
    path = window.project.path  # type: ignore[union-attr]
    assert c.attach(tmp_path / "talk.wav")
    (tmp_path / "talk.wav").unlink()
    win = MainWindow(window.theme, interactive=False)
    qtbot.addWidget(win)
    win.resize(1100, 700)
    assert win.open_file(str(path))
    win.show()
    qtbot.waitExposed(win)
    message = win.statusBar().currentMessage()
    assert "moved or deleted" in message
    assert not win.status_counts.isVisible()  # hidden while the message shows
    label = win.media.bar.message
    assert label.text() == label.toolTip() and "moved or deleted" in label.text()
    width = label.contentsRect().width()
    assert 0 < width < label.fontMetrics().horizontalAdvance(label.text())
    # What is drawn is the line cut at a word's end with "…", as a label of that text draws it.
    shown = label.fontMetrics().elidedText(label.text(), Qt.TextElideMode.ElideRight, width)
    assert shown.endswith("…")
    plain = QLabel(shown)
    plain.setFont(label.font())
    plain.setPalette(label.palette())
    plain.setContentsMargins(label.contentsMargins())
    plain.resize(label.size())
    assert drawn(label) == drawn(plain)
    win.statusBar().clearMessage()
    assert win.status_counts.isVisible()


def test_playing_on_past_the_edited_passage_clears_its_word(
    qtbot, playing: MediaController
) -> None:
    """The editor kept the last word it had highlighted while the next passage's word was
    highlighted too: two words marked at once, and still after pausing."""
    c = playing
    win = c.window
    index = win.model.index(0)
    win.view.setCurrentIndex(index)
    qtbot.keyClick(win.view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: win.view.current_editor() is not None)
    editor = win.view.current_editor()
    assert editor is not None

    def marked() -> list[str]:
        return [s.cursor.selectedText() for s in editor.extraSelections()]

    c.player.play_from(1.0)
    qtbot.waitUntil(lambda: marked() != [], timeout=4000)  # a word of the edited passage
    qtbot.waitUntil(lambda: c.player.position > 3.2, timeout=5000)  # on into the next one
    qtbot.waitUntil(lambda: marked() == [], timeout=2000)
    c.player.pause()
    assert marked() == []


@pytest.mark.parametrize(
    "keys",
    [Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,  # this passage
     Qt.KeyboardModifier.ControlModifier],  # play, from the passage moved to
)  # fmt: skip
def test_playing_a_passage_after_the_recording_ends_says_so(
    qtbot, window: MainWindow, tmp_path: Path, keys: Qt.KeyboardModifier
) -> None:
    """It showed "playing" at the end for ever, and Follow pulled the list back."""
    from PySide6.QtWidgets import QApplication

    c = controller(window)
    assert c.attach(write_tones(tmp_path / "short.wav", 2.0))
    qtbot.waitUntil(lambda: c.player.duration > 0, timeout=5000)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.view.setCurrentIndex(window.model.index(2))  # starts at 5.2 s
    qtbot.keyClick(window.view, Qt.Key.Key_Space, keys)
    assert "after the end of the recording (0:02)" in window.statusBar().currentMessage()
    assert not c.player.playing  # play() was never called: it says so at once
    assert window.view.currentIndex().row() == 2


def test_the_mark_on_the_spoken_word_stays_on_it_through_scrolls_edits_and_detach(
    qtbot, playing: MediaController
) -> None:
    # The mark, a layer over the rows, moved with every scroll while its place was worked
    # out as if the rows had not moved: 60 pixels off after a turn of the wheel, on another
    # passage after Follow's own scrolling. Paused, it stayed where an edit had moved the
    # word from, and after Detach it stayed for good.
    from editor.commands import ReplaceAll

    c = playing
    win = c.window
    win.resize(900, 420)  # the three passages do not fit: the list scrolls
    qtbot.waitUntil(lambda: win.view.verticalScrollBar().maximum() > 60, timeout=3000)

    def drawn_on_word() -> bool:
        if c.highlight.rect_f is None or c.current_word is None or c.clock is None:
            return False
        passage = c.clock.passage_at(c.player.position)
        assert passage is not None
        word = c.word_rect(passage, c.current_word)
        shown = c.highlight.rect_f.translated(c.highlight.pos().x(), c.highlight.pos().y())
        return word is not None and abs(shown.top() - word.top()) < 2

    c.player.play_from(5.6)  # passage 3
    qtbot.waitUntil(lambda: c.current_word is not None and c.player.position > 5.8, timeout=4000)
    c.player.pause()
    qtbot.waitUntil(lambda: not c.player.playing, timeout=3000)
    qtbot.waitUntil(drawn_on_word, timeout=2000)
    bar = win.view.verticalScrollBar()
    bar.setValue(bar.value() - 60 if bar.value() >= 60 else bar.value() + 60)
    qtbot.waitUntil(drawn_on_word, timeout=2000)
    assert c.highlight.pos().y() == 0
    said = c.current_word
    assert said is not None
    win.execute(ReplaceAll("Let us", "Now then, let us all"))  # the words move on
    qtbot.waitUntil(lambda: c.current_word is not None and c.current_word != said, timeout=2000)
    qtbot.waitUntil(drawn_on_word, timeout=2000)
    win.media.detach()
    assert c.highlight.rect_f is None and c.current_word is None


def test_follow_reaches_a_far_passage_played_right_after_opening(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Played at once after opening (rows far down not yet measured), the passage became
    # current but the list stayed at the top for the whole of it.
    import wave

    from tests.test_gui_long_list import long_talk

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    source = long_talk(tmp_path / "long.txt", 300)  # a turn every 20 s
    silence = tmp_path / "long.wav"
    with wave.open(str(silence), "wb") as out:  # 100 minutes of 8-bit silence, 12 MB
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(2000)
        out.writeframes(b"\x80" * 2000 * 6000)
    win = make_window(qtbot)
    assert win.open_file(str(source), str(tmp_path / "long.tedit"))
    c = controller(win)
    assert c.attach(silence)
    qtbot.waitUntil(lambda: c.player.duration > 0, timeout=10000)
    c.player.play_from(250 * 20 + 1.0)  # turn 250, far below the first screen
    qtbot.waitUntil(lambda: win.view.currentIndex().row() == 250, timeout=5000)

    def shown() -> bool:
        rect = win.view.visualRect(win.view.currentIndex())
        return win.view.viewport().rect().intersects(rect)

    qtbot.waitUntil(shown, timeout=8000)
    c.player.pause()


def test_save_a_copy_while_listening_keeps_the_place(
    qtbot, playing: MediaController, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Playback stopped, the playhead went to 0:00 and the first passage became current.
    from PySide6.QtWidgets import QFileDialog

    c = playing
    win = c.window
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    win.view.setCurrentIndex(win.model.index(2))  # starts at 5.2 s
    win.view.setFocus()
    qtbot.keyClick(win.view, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: c.player.playing and c.player.position > 5.4, timeout=4000)
    (tmp_path / "other").mkdir()
    copy = tmp_path / "other" / "copy.tedit"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(copy), ""))
    mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(win.view, Qt.Key.Key_S, mods)
    assert win.project is not None and win.project.path == copy
    assert win.view.currentIndex().row() == 2
    qtbot.waitUntil(lambda: c.player.playing and c.player.position > 5.4, timeout=5000)
    c.player.pause()


def test_a_recording_replaced_by_a_shorter_file_shows_its_own_length(
    qtbot, playing: MediaController, tmp_path: Path
) -> None:
    # The bar kept the stored 0:08 and said nothing of passages it could not play.
    win = playing.window
    path = win.project.path  # type: ignore[union-attr]
    assert win.open_file(str(tmp_path / "talk.json"), str(tmp_path / "other.tedit"))
    write_tones(tmp_path / "talk.wav", 2.0)  # the same name, another file
    assert win.open_file(str(path))
    c = controller(win)
    qtbot.waitUntil(lambda: 0 < c.player.duration < 3, timeout=5000)
    qtbot.waitUntil(lambda: "cannot be played" in c.bar.message.text(), timeout=3000)
    assert c.status is not None and c.status.ref.duration_s == pytest.approx(2.0, abs=0.1)


class _NoPulse:
    """QtMultimedia on a desktop without PulseAudio's client library: every name fails to
    load as the real module does there."""

    def __getattr__(self, name: str) -> object:
        raise ImportError(
            "libpulse.so.0: cannot open shared object file: No such file or directory"
        )


def test_a_system_without_the_players_library_says_what_to_install(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Attaching a recording where QtMultimedia cannot load crashed the slot; now one message
    names the missing library and its package, and the transcript edits as before."""
    import sys

    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", _NoPulse())
    c = controller(window)
    messages: list[str] = []
    window.sig_error.connect(messages.append)
    c.attach(tmp_path / "talk.wav")
    qtbot.waitUntil(lambda: bool(messages), timeout=3000)
    assert len(messages) == 1 and "\n" not in messages[0]
    assert "libpulse.so.0" in messages[0] and "apt install libpulse0" in messages[0]
    assert "libpulse.so.0" in c.bar.message.text()
    win = window
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    c.bar.play.click()  # nothing to play: no second message, no crash
    assert len(messages) == 1
    assert win.project is not None and win.model.rowCount() == 3
    assert not c.builder.running  # no waveform child started for it


def test_a_recording_whose_header_gives_no_length_is_told_once_it_plays(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WebM and Matroska headers give no length: the bar said "· video · ?" all session, and
    a recording shorter than the transcript was warned about only after reopening."""
    real = media.probe

    def like_webm(path):  # type: ignore[no-untyped-def]
        real(path)  # checked as ever
        return media.Probe(None, True)  # what probe says of any .webm

    monkeypatch.setattr(media, "probe", like_webm)
    c = controller(window)
    assert c.attach(write_tones(tmp_path / "short.wav", 2.0))
    assert c.bar.message.text().endswith("· video · ?")
    qtbot.waitUntil(lambda: "cannot be played" in c.bar.message.text(), timeout=5000)
    assert "00:00:02 long" in c.bar.message.text()
    assert c.status is not None and not c.status.ref.has_video
    assert "· audio · 00:00:02" in media.describe(c.status)


def test_a_recording_cut_short_says_where_its_sound_ends(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    """An MP3 whose copy stopped halfway keeps the length its header states: played, the
    sound ran out, the playhead jumped to that length, Follow took the list to the last
    passage and marked its last word, and nothing was said; every later passage the same."""
    c = controller(window)
    assert c.attach(cut_mp3(tmp_path / "half.mp3", 8.5, 3.5))
    qtbot.waitUntil(lambda: c.player.duration > 7.0, timeout=5000)
    c.player.play_from(1.0)
    qtbot.waitUntil(lambda: "cut short" in c.bar.message.text(), timeout=6000)
    assert "ends at 00:00:03, before the 00:00:08 it states" in c.bar.message.text()
    assert c.player.position < 3.6 and c.player.duration < 3.6
    assert window.view.currentIndex().row() == 1  # the passage said at 3.5 s, not the last
    window.view.setCurrentIndex(window.model.index(2))  # starts at 5.2 s: past the sound
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "after the end of the recording" in window.statusBar().currentMessage())
    assert not c.player.playing
