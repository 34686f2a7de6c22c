"""Splitting while listening takes the new passage's start from the word's measured time or
the playhead; the player's typing settings live in the Play menu and are kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from tests.media_fixtures import whisperx_json, write_tones
from tests.test_gui_main import start_editing
from tests.test_gui_user import make_window
from widgets.main_window import MainWindow
from widgets.recent import settings

RECORDING_S = 8.0


@pytest.fixture(autouse=True)
def clean_settings() -> Iterator[None]:
    # QSettings' file is fixed for the whole test process: leave nothing to other tests.
    settings().remove("player")
    yield
    settings().remove("player")


def _window(qtbot, tmp_path: Path, *, words: bool) -> MainWindow:  # type: ignore[no-untyped-def]
    win = make_window(qtbot)
    src = whisperx_json(tmp_path / f"talk{int(words)}.json", with_words=words)
    assert win.open_file(str(src), str(tmp_path / f"talk{int(words)}.tedit"))
    return win


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def _cursor_before(qtbot, win: MainWindow, row: int, word: str) -> None:  # type: ignore[no-untyped-def]
    editor = start_editing(qtbot, win, row)
    cursor = editor.textCursor()
    cursor.setPosition(editor.toPlainText().index(word))
    editor.setTextCursor(cursor)


def _listening(qtbot, tmp_path: Path, *, words: bool):  # type: ignore[no-untyped-def]
    """(window, its player) with a recording attached, Follow off, the caret in passage 1
    before "welcome"."""
    win = _window(qtbot, tmp_path, words=words)
    assert win.project is not None
    c = win.media
    assert c.attach(write_tones(tmp_path / "talk.wav", RECORDING_S))
    qtbot.waitUntil(lambda: c.player.duration > 0, timeout=5000)
    c.bar.follow.setChecked(False)
    _cursor_before(qtbot, win, 0, "welcome")
    return win, c


def _split(qtbot, win: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Edit → Split passage at cursor, as the menu does it (the cursor stays in the editor)."""
    action = next(a for a in win.findChildren(QAction) if "Split passage" in a.text())
    count = len(win.project.doc.passages)  # type: ignore[union-attr]
    action.trigger()
    qtbot.waitUntil(lambda: len(win.project.doc.passages) == count + 1, timeout=2000)  # type: ignore[union-attr]


def test_split_takes_the_measured_time_of_the_word(qtbot, tmp_path: Path) -> None:
    win = _window(qtbot, tmp_path, words=True)
    assert win.project is not None
    # "Hello there, welcome to the show." from 0.0 to 2.4 s: six words of 0.4 s each.
    _cursor_before(qtbot, win, 0, "welcome")
    _split(qtbot, win)
    first, second = win.project.doc.passages[:2]
    assert second.text.startswith("welcome")
    assert second.start == pytest.approx(0.8)  # by characters it would be ~0.95
    assert first.end == pytest.approx(0.8)
    win.undo()
    assert len(win.project.doc.passages) == 3


def test_split_at_a_retyped_word_takes_its_place_between_the_measured_ones(
    qtbot, tmp_path: Path
) -> None:
    # The word at the cursor, retyped, had no measured time: the split took the playhead,
    # where typing had paused it, seconds from where the word was said.
    win, c = _listening(qtbot, tmp_path, words=True)
    editor = win.view.current_editor()
    assert editor is not None
    c.player.play_from(1.9)
    qtbot.waitUntil(lambda: c.player.position > 2.0, timeout=4000)
    cursor = editor.textCursor()
    cursor.setPosition(cursor.position() + len("welcome"), cursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, "greetings")  # typing pauses playback at ~2 s
    qtbot.waitUntil(lambda: not c.player.playing, timeout=2000)
    cursor = editor.textCursor()
    cursor.setPosition(editor.toPlainText().index("greetings"))
    editor.setTextCursor(cursor)
    _split(qtbot, win)
    second = win.project.doc.passages[1]
    assert second.text.startswith("greetings")
    assert second.start == pytest.approx(0.8, abs=0.05)  # where "welcome" was said


def test_split_while_playing_takes_the_playhead(qtbot, tmp_path: Path) -> None:
    win, c = _listening(qtbot, tmp_path, words=False)  # no word times: only the player knows
    c.player.play_from(1.5)
    qtbot.waitUntil(lambda: c.player.position > 1.7, timeout=4000)
    _split(qtbot, win)
    heard = c.player.position
    c.player.pause()
    second = win.project.doc.passages[1]
    assert second.text.startswith("welcome")
    assert second.start is not None and 1.7 <= second.start <= heard  # by characters: ~0.95


def test_split_without_playing_or_word_times_shares_by_characters(qtbot, tmp_path: Path) -> None:
    win = _window(qtbot, tmp_path, words=False)
    assert win.project is not None
    _cursor_before(qtbot, win, 0, "welcome")
    _split(qtbot, win)
    second = win.project.doc.passages[1]
    text = "Hello there, welcome to the show."
    assert second.start == pytest.approx(2.4 * text.index("welcome") / len(text), abs=0.05)


def test_typing_settings_from_the_play_menu_are_kept(qtbot, tmp_path: Path) -> None:
    win = _window(qtbot, tmp_path, words=True)
    c = win.media
    assert (c.typing_mode, c.rewind_s) == ("pause", 2.0)
    c.typing_actions["slow"].trigger()  # type: ignore[attr-defined]
    c.rewind_actions[5.0].trigger()  # type: ignore[attr-defined]
    assert (c.typing_mode, c.rewind_s) == ("slow", 5.0)
    # A new window (the next session) starts with them, its menu ticked to match.
    (tmp_path / "again").mkdir()
    again = _window(qtbot, tmp_path / "again", words=True)
    c2 = again.media
    assert (c2.typing_mode, c2.rewind_s) == ("slow", 5.0)
    assert c2.typing_actions["slow"].isChecked()  # type: ignore[attr-defined]
    assert c2.rewind_actions[5.0].isChecked()  # type: ignore[attr-defined]
    assert not c2.rewind_actions[2.0].isChecked()  # type: ignore[attr-defined]


def test_slow_mode_slows_instead_of_pausing_and_resume_rewinds_as_set(
    qtbot, tmp_path: Path
) -> None:
    win = _window(qtbot, tmp_path, words=True)
    c = win.media
    assert c.attach(write_tones(tmp_path / "talk.wav", RECORDING_S))
    qtbot.waitUntil(lambda: c.player.duration > 0, timeout=5000)
    c.bar.follow.setChecked(False)
    c.typing_actions["slow"].trigger()  # type: ignore[attr-defined]
    _cursor_before(qtbot, win, 0, "welcome")
    editor = win.view.current_editor()
    assert editor is not None
    c.player.play_from(1.0)
    qtbot.waitUntil(lambda: c.player.position > 1.2, timeout=4000)
    qtbot.keyClicks(editor, "x")
    assert c.player.playing and c.player.rate == pytest.approx(0.5)
    # The speed box still shows the chosen speed: the status line says what plays.
    assert win.statusBar().currentMessage().startswith("Playing at half speed while you type")
    qtbot.keyClick(editor, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)  # pause
    qtbot.waitUntil(lambda: not c.player.playing, timeout=2000)
    assert c.player.rate == pytest.approx(1.0)  # the speed before typing is back
    # Pause mode with no rewind: resuming continues where typing paused it.
    c.typing_actions["pause"].trigger()  # type: ignore[attr-defined]
    c.rewind_actions[0.0].trigger()  # type: ignore[attr-defined]
    qtbot.keyClick(editor, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: c.player.playing, timeout=2000)
    qtbot.keyClicks(editor, "y")
    qtbot.waitUntil(lambda: not c.player.playing, timeout=2000)
    paused_at = c.player.position
    qtbot.keyClick(editor, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: c.player.playing, timeout=2000)
    assert c.player.position >= paused_at - 0.2
    c.player.pause()
