"""Spell check in the window: misspelled words underlined in the edited column and in the
editor, suggestions and "Add to dictionary" from the editor's menu, names known, language per
project."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import QMenu

import editor.spelling
from tests.test_gui_assist import open_window
from widgets.main_window import MainWindow
from widgets.spell import add_spelling_actions

TALK = """\
Nell Hartigan 00:00:01

Welcome back. Today I'm talking with Tomas Brandvold about teh boats.

Tomas Brandvold 00:00:09

Thanks, Nell. We restored a færing in Florø last sommer.
"""


@pytest.fixture
def win(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    src = tmp_path / "talk.txt"
    src.write_text(TALK, "utf-8")
    w = open_window(qtbot, tmp_path, monkeypatch, src)
    qtbot.waitUntil(lambda: w.view.delegate.speller is not None, timeout=10000)
    return w


def underlined(win: MainWindow, row: int) -> list[str]:
    passage = win.project.doc.passages[row]  # type: ignore[union-attr]
    layout, _ = win.view.delegate._text_layout(passage, "edited", 500)
    spell = QTextCharFormat.UnderlineStyle.SpellCheckUnderline
    return [
        passage.text[r.start : r.start + r.length]
        for r in layout.formats()
        if r.format.underlineStyle() == spell
    ]


def test_misspelled_words_are_underlined_and_names_are_known(qtbot, win: MainWindow) -> None:
    assert underlined(win, 0) == ["teh"]  # Nell, Tomas Brandvold: speakers' names are known
    assert underlined(win, 1) == ["færing", "Florø", "sommer"]


def test_suggestions_and_add_to_dictionary_from_the_editor(qtbot, win: MainWindow) -> None:
    index = win.model.index(0)
    win.view.setCurrentIndex(index)
    win.view.edit(index)
    qtbot.waitUntil(lambda: win.view.current_editor() is not None)
    editor = win.view.current_editor()
    assert editor is not None and editor.speller is not None
    at = editor.toPlainText().index("teh") + 1
    menu = add_spelling_actions(QMenu(), editor, editor.speller, at, editor._learned)
    labels = [a.text() for a in menu.actions()]
    assert "the" in labels and "Add “teh” to dictionary" in labels
    next(a for a in menu.actions() if a.text() == "the").trigger()
    assert "about the boats" in editor.toPlainText()
    win.commit_typing()
    assert "about the boats" in win.project.doc.passages[0].text  # type: ignore[union-attr]
    # Add a word: it is known here and in every project from now on.
    second = win.model.index(1)
    win.view.setCurrentIndex(second)
    win.view.edit(second)
    qtbot.waitUntil(lambda: win.view.current_editor() is not None)
    editor = win.view.current_editor()
    assert editor is not None and editor.speller is not None
    at = editor.toPlainText().index("færing") + 1
    menu = add_spelling_actions(QMenu(), editor, editor.speller, at, editor._learned)
    next(a for a in menu.actions() if a.text().startswith("Add")).trigger()
    assert underlined(win, 1) == ["Florø", "sommer"]


def test_the_spelling_language_is_kept_per_project(qtbot, win: MainWindow) -> None:
    win.language_actions["de"].trigger()
    qtbot.waitUntil(lambda: win.view.delegate.speller.language == "de", timeout=10000)  # type: ignore[union-attr]
    assert win.project.get_meta("language") == "de"  # type: ignore[union-attr]
    assert "Welcome" in underlined(win, 0)  # English words are foreign to German
    assert "sommer" not in underlined(win, 1)  # and "Sommer" is German
    win.spell_action.trigger()  # spell check off
    assert win.view.delegate.speller is None and underlined(win, 0) == []


def _unshown(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[MainWindow, Path]:
    from widgets import theme

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    src = tmp_path / "talk.txt"
    src.write_text(TALK, "utf-8")
    win = MainWindow(theme.LIGHT, interactive=False)
    qtbot.addWidget(win)
    win.resize(1300, 850)
    return win, src


def test_the_dictionary_loads_once_the_list_is_drawn_and_measured(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Building it holds Python's lock for 0.1 s at a time: beside the first paint, it made
    # opening a transcript slower; beside the rows' measuring, it froze the window. The app
    # opens the file, then shows the window.
    import widgets.spell

    win, src = _unshown(qtbot, tmp_path, monkeypatch)
    drawn_when_asked: list[bool] = []
    real = widgets.spell.fetch_word_list

    def spy(language: str) -> object:
        drawn_when_asked.append(win.view.painted and win.view.rows_measured)
        return real(language)

    monkeypatch.setattr(widgets.spell, "fetch_word_list", spy)
    # Taken in a chunk per turn of the event loop, not in one long step: a timer that ticks
    # once a turn is read at every chunk, and must have ticked between any two of them.
    turns = [0]
    seen: list[int] = []
    real_steps = widgets.spell.load_steps

    def steps(language: str, word_list: object) -> object:
        for step in real_steps(language, word_list):  # type: ignore[arg-type]
            seen.append(turns[0])
            yield step

    monkeypatch.setattr(widgets.spell, "load_steps", steps)
    editor.spelling.forget_dictionaries()
    assert win.open_file(str(src), str(tmp_path / "talk.tedit"))
    win.show()
    ticker = QTimer(win)
    ticker.timeout.connect(lambda: turns.__setitem__(0, turns[0] + 1))
    ticker.start(0)
    # A child process reads the list: give it time on a machine busy with other tests.
    qtbot.waitUntil(lambda: win.view.delegate.speller is not None, timeout=30000)
    ticker.stop()
    # (What each saw is in the message: this failed once in a full run, and not since.)
    assert drawn_when_asked == [True], drawn_when_asked
    assert len(seen) >= 40, seen  # 160,000 words in chunks of 4,000
    assert all(a < b for a, b in zip(seen, seen[1:], strict=False)), seen  # a chunk a turn
    assert underlined(win, 0) == ["teh"]


def test_a_window_never_shown_still_gets_its_dictionary(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    win, src = _unshown(qtbot, tmp_path, monkeypatch)
    assert win.open_file(str(src), str(tmp_path / "talk.tedit"))
    qtbot.waitUntil(lambda: win.view.delegate.speller is not None, timeout=10000)
    assert not win.view.painted


def test_a_second_window_takes_the_dictionary_already_loaded(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Loaded once in the app: another window (or this one reopening a project) needs no
    # second child process and no second taking-in.
    import widgets.spell

    first, src = _unshown(qtbot, tmp_path, monkeypatch)
    assert first.open_file(str(src), str(tmp_path / "talk.tedit"))
    first.show()
    qtbot.waitUntil(lambda: first.view.delegate.speller is not None, timeout=30000)
    fetched: list[str] = []
    monkeypatch.setattr(widgets.spell, "fetch_word_list", lambda lang: fetched.append(lang))
    second = MainWindow(first.theme, interactive=False)
    qtbot.addWidget(second)
    assert second.open_file(str(tmp_path / "talk.tedit"))
    second.show()
    qtbot.waitUntil(lambda: second.view.delegate.speller is not None, timeout=10000)
    assert fetched == []
    assert underlined(second, 0) == ["teh"]
