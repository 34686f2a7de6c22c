"""Clicks and keys as an editor's user expects them: the caret lands where a passage was
clicked, no key typed is lost or given to another passage, the keys come back to the text
after a split, a merge or Esc in Find, F2 renames a speaker, a missing speaker key says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from tests.test_gui_user import TWO_SPEAKERS, make_window, select_row, settings_dir  # noqa: F401
from widgets.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def win(qtbot, settings_dir: Path, tmp_path: Path) -> MainWindow:  # noqa: F811
    source = tmp_path / "two.txt"
    source.write_text(TWO_SPEAKERS, encoding="utf-8")
    window = make_window(qtbot)
    assert window.open_file(str(source), str(tmp_path / "two.tedit"))
    window.activateWindow()  # the window's shortcuts (Ctrl+F) need it active
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def first_word(win: MainWindow, row: int) -> QPoint:
    """A point on the first word of the passage's edited text, as the row draws it."""
    index = win.model.index(row)
    win.view.scrollTo(index)
    passage = win.model.passage(row)
    assert passage is not None
    _, _, edit, _ = win.view.delegate.columns(win.view.visualRect(index), passage)
    return QPoint(edit.left() + 3, edit.top() + 10)


def text(win: MainWindow, row: int) -> str:
    assert win.project is not None
    return win.project.doc.passages[row].text


def test_a_click_on_the_current_passage_edits_where_it_was_clicked(qtbot, win: MainWindow) -> None:
    select_row(qtbot, win, 1)  # selected, not yet editing
    assert win.view.current_editor() is None
    qtbot.mouseClick(win.view.viewport(), LEFT, pos=first_word(win, 1))
    # At once: typing straight after the click went to the list's search, which made
    # another passage current (and the caret used to go to the end of the text).
    editor = win.view.current_editor()
    assert editor is not None and editor.textCursor().position() == 0
    qtbot.keyClicks(QApplication.focusWidget(), "Well, ")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert win.view.currentIndex().row() == 1
    assert text(win, 1).startswith("Well, Thanks for having me.")


def test_a_double_click_selects_the_word_to_type_over(qtbot, win: MainWindow) -> None:
    qtbot.mouseDClick(win.view.viewport(), LEFT, pos=first_word(win, 2))
    editor = win.view.current_editor()
    assert editor is not None and editor.textCursor().selectedText() == "What"
    qtbot.keyClicks(editor, "So what")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert text(win, 2).startswith("So what got you started?")


def test_a_letter_typed_on_a_read_only_list_never_jumps_to_another_passage(
    qtbot, win: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Read-only, no editor opens: the letter went to the list's search instead, and "M" made
    # the passage starting with it ("My grandfather...") current.
    path = win.project.path if win.project else None
    assert path is not None
    monkeypatch.setattr("editor.store.writable", lambda path: False)
    assert win.open_file(str(path)) and win.project is not None and win.project.read_only
    select_row(qtbot, win, 0)
    qtbot.keyClick(win.view, Qt.Key.Key_M)
    assert win.view.currentIndex().row() == 0 and win.view.current_editor() is None


def test_find_keeps_its_keys_after_a_click_on_the_current_passage(qtbot, win: MainWindow) -> None:
    select_row(qtbot, win, 0)
    select_row(qtbot, win, 0)  # the current passage, clicked again (on its name)
    qtbot.keyClick(win.view, Qt.Key.Key_F, CTRL)
    field = win.find_panel.find_edit
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClicks(field, "boats")
    # Qt's own click-to-edit opened the editor a double-click interval after the click,
    # took the focus from the field and typed the rest of the search into the passage.
    qtbot.wait(QApplication.doubleClickInterval() + 200)
    assert field.text() == "boats" and field.hasFocus()
    assert win.view.current_editor() is None
    assert text(win, 0).startswith("Hello and welcome to the show.")


def editor_at(qtbot, win: MainWindow, position: int):  # type: ignore[no-untyped-def]
    """The first passage's editor (F2), its caret at ``position``."""
    select_row(qtbot, win, 0)
    qtbot.keyClick(win.view, Qt.Key.Key_F2)
    editor = win.view.current_editor()
    assert editor is not None
    cursor = editor.textCursor()
    cursor.setPosition(position)
    editor.setTextCursor(cursor)
    return editor


@pytest.mark.parametrize(
    "keys",
    [
        ((Qt.Key.Key_Return, CTRL),),  # split
        ((Qt.Key.Key_Return, CTRL | Qt.KeyboardModifier.AltModifier),),  # split, other speaker
        ((Qt.Key.Key_M, CTRL | SHIFT),),  # merge with the next
    ],
)
def test_after_a_split_or_merge_in_the_editor_the_list_takes_the_keys(
    qtbot, win: MainWindow, keys
) -> None:
    editor = editor_at(qtbot, win, len("Hello and welcome to the show. "))
    rows = win.model.rowCount()
    for k, mod in keys:
        qtbot.keyClick(editor, k, mod)
    qtbot.waitUntil(lambda: win.model.rowCount() != rows)
    # The editor closed with the reset; its focus went nowhere and Down did nothing.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.view)
    row = win.view.currentIndex().row()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert win.view.currentIndex().row() == row + 1


@pytest.mark.parametrize("merge", [(Qt.Key.Key_M, CTRL | SHIFT), (Qt.Key.Key_Return, CTRL)])
def test_a_split_or_merge_straight_after_typing_keeps_the_typing(
    qtbot, win: MainWindow, merge
) -> None:
    # Ctrl+Shift+M before the pause in typing crashed the app (the list laid out a row the
    # merge had already taken away, mid-reset).
    editor = editor_at(qtbot, win, len("Hello and welcome to the show."))
    qtbot.keyClicks(editor, " Typed")
    rows = win.model.rowCount()
    qtbot.keyClick(editor, *merge)
    qtbot.waitUntil(lambda: win.model.rowCount() != rows)
    assert win.project is not None
    assert "show. Typed" in " ".join(p.text for p in win.project.doc.passages)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.view)


@pytest.mark.parametrize("modifier", [Qt.KeyboardModifier.NoModifier, SHIFT])
def test_tab_leaves_the_editor_for_the_list(qtbot, win: MainWindow, modifier) -> None:
    # Tab went along the focus chain into the panels' scroll areas, some behind tabs: the
    # keys went nowhere to be seen, and Down did nothing.
    select_row(qtbot, win, 0)
    qtbot.keyClick(win.view, Qt.Key.Key_F2)
    editor = win.view.current_editor()
    assert editor is not None
    qtbot.keyClicks(editor, " Typed")
    key = Qt.Key.Key_Backtab if modifier == SHIFT else Qt.Key.Key_Tab
    qtbot.keyClick(editor, key, modifier)
    qtbot.waitUntil(lambda: win.view.current_editor() is None)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.view)
    assert text(win, 0).endswith(" Typed")
    qtbot.keyClick(win.view, Qt.Key.Key_Down)
    assert win.view.currentIndex().row() == 1


def test_tab_from_the_list_goes_to_controls_only(qtbot, win: MainWindow) -> None:
    # The panels' scroll areas took the keys, with no mark of where they went.
    select_row(qtbot, win, 0)
    reached = []
    for _ in range(8):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        reached.append(type(focused).__name__)
        assert focused is not None and focused.isVisible()
    assert "QScrollArea" not in reached


def test_esc_in_find_hands_the_keys_back_to_the_list(qtbot, win: MainWindow) -> None:
    select_row(qtbot, win, 1)
    qtbot.keyClick(win.view, Qt.Key.Key_F, CTRL)
    field = win.find_panel.find_edit
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClicks(field, "boats")
    qtbot.keyClick(field, Qt.Key.Key_Escape)  # it did nothing: the keys stayed in the field
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.view)
    qtbot.keyClick(win.view, Qt.Key.Key_Down)
    assert win.view.currentIndex().row() == 2
    assert win.find_dock.isVisible() and field.text() == "boats"  # still there for F3


def test_f2_in_the_speakers_list_renames_and_ctrl_9_says_there_is_no_ninth(
    qtbot, win: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    from tests.test_gui_user import click_speaker

    assert win.project is not None
    click_speaker(qtbot, win, "Bob")
    tree = win.speakers_panel.tree
    tree.setFocus()
    qtbot.waitUntil(tree.hasFocus)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Robert", True))
    qtbot.keyClick(tree, Qt.Key.Key_F2)  # the window's "Edit passage" took it
    assert [s.name for s in win.project.doc.speakers] == ["Alice", "Robert"]
    select_row(qtbot, win, 0)
    before = win.project.doc.passages[0].speaker_id
    qtbot.keyClick(win.view, Qt.Key.Key_9, CTRL)
    assert win.project.doc.passages[0].speaker_id == before
    assert win.statusBar().currentMessage().startswith("There is no speaker 9: 2 speakers")


def test_the_speakers_list_keeps_its_keyboard_place_through_a_rename(
    qtbot, win: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    # After F2 the list's place went back to "All speakers" (the renamed one still shown
    # chosen): Down chose the speaker just renamed again, Up did nothing.
    from PySide6.QtWidgets import QInputDialog

    tree = win.speakers_panel.tree
    tree.setFocus()
    qtbot.waitUntil(tree.hasFocus)
    qtbot.keyClick(tree, Qt.Key.Key_Down)  # Alice
    assert tree.currentItem().text(0) == "Alice"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Alicia", True))
    qtbot.keyClick(tree, Qt.Key.Key_F2)
    assert tree.currentItem().text(0) == "Alicia"
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert tree.currentItem().text(0) == "Bob" and win.speakers_panel.selected_id() is not None
    qtbot.keyClick(tree, Qt.Key.Key_Up)
    assert tree.currentItem().text(0) == "Alicia"


def test_return_in_find_goes_from_match_to_match_and_types_nothing(qtbot, win: MainWindow) -> None:
    # The first Return opened the match's editor with the keys; the next typed a line break
    # over the match, and the counter stayed at "1 of 3".
    select_row(qtbot, win, 0)
    before = [text(win, r) for r in range(4)]
    qtbot.keyClick(win.view, Qt.Key.Key_F, CTRL)
    field = win.find_panel.find_edit
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClicks(field, "boat")
    counts = []
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        counts.append(win.find_panel.status.text())
        assert QApplication.focusWidget() is field
    assert counts == ["1 of 3", "2 of 3", "3 of 3"]
    assert [text(win, r) for r in range(4)] == before
    pid, start, end = win.view.delegate.current_match  # drawn apart from the other matches
    assert win.project is not None and win.project.passage(pid).text[start:end] == "boat"


def test_replace_pressed_twice_from_the_keyboard_replaces_the_match(qtbot, win: MainWindow) -> None:
    # The first press showed the match in its editor with the keys; the second (Space on
    # the focused button) typed over it: "the   of agents", nothing replaced.
    select_row(qtbot, win, 0)
    qtbot.keyClick(win.view, Qt.Key.Key_H, CTRL)
    panel = win.find_panel
    qtbot.waitUntil(panel.find_edit.hasFocus)
    qtbot.keyClicks(panel.find_edit, "show")
    panel.replace_edit.setFocus()
    qtbot.keyClicks(panel.replace_edit, "programme")
    panel.replace_button.setFocus()
    qtbot.keyClick(panel.replace_button, Qt.Key.Key_Space)  # finds
    assert QApplication.focusWidget() is panel.replace_button
    qtbot.keyClick(panel.replace_button, Qt.Key.Key_Space)  # replaces
    assert (
        text(win, 0)
        == "Hello and welcome to the programme. Today we talk about boats and the people who mend them."
    )


def test_enter_edits_the_current_passage_and_tab_leaves_it(qtbot, win: MainWindow) -> None:
    # Enter did nothing (Qt leaves it to macOS); Tab typed a tab character into the text.
    select_row(qtbot, win, 1)
    qtbot.keyClick(win.view, Qt.Key.Key_Return)
    editor = win.view.current_editor()
    assert editor is not None and editor.passage_id == win.model.passage(1).id  # type: ignore[union-attr]
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: win.view.current_editor() is None)
    assert "\t" not in text(win, 1)


def test_page_down_and_up_go_a_screenful(qtbot, settings_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    # Qt's page step, reckoned for rows of one height, stayed on the first passage (or on
    # the third) with the scroll bar at the top.
    speakers = ("Dwarkesh Patel", "Andrej Karpathy")
    blocks = [
        f"{speakers[i % 2]} 00:{i:02d}:00\n\n"
        + f"Sentence {i} goes on for a while. " * (10 + 9 * (i % 4))
        for i in range(30)
    ]
    source = tmp_path / "blocks.txt"
    source.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    window = make_window(qtbot, size=(1400, 850))
    assert window.open_file(str(source), str(tmp_path / "blocks.tedit"))
    qtbot.waitUntil(lambda: window.view.rows_measured, timeout=10000)
    window.view.setFocus()
    bar = window.view.verticalScrollBar()
    rows, tops = [], []
    for _ in range(3):
        qtbot.keyClick(window.view, Qt.Key.Key_PageDown)
        rows.append(window.view.currentIndex().row())
        tops.append(bar.value())
    # A screenful each press; the passage at the top becomes current (one taller than the
    # view stays current while the view goes through it).
    assert 0 < tops[0] < tops[1] < tops[2] and 0 < rows[0] <= rows[1] <= rows[2] and rows[2] > 1
    qtbot.keyClick(window.view, Qt.Key.Key_PageUp)
    assert bar.value() < tops[2] and window.view.currentIndex().row() <= rows[2]


def test_page_down_through_a_passage_taller_than_the_view_skips_none_of_it(
    qtbot,
    settings_dir: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    # Page Down went to the next passage's top: the rest of a tall passage, 6 to 16 lines a
    # press, was never shown.
    tall = "Sentence goes on for a while and then some more. " * 160
    source = tmp_path / "tall.txt"
    source.write_text(
        f"Ann 00:00:01\n\n{tall}\n\nBob 00:05:00\n\nShort.\n\nAnn 00:06:00\n\n{tall}\n",
        encoding="utf-8",
    )
    window = make_window(qtbot, size=(1200, 700))
    assert window.open_file(str(source), str(tmp_path / "tall.tedit"))
    qtbot.waitUntil(lambda: window.view.rows_measured, timeout=10000)
    view, bar = window.view, window.view.verticalScrollBar()
    rows = window.model.rowCount()
    heights = [view.visualRect(window.model.index(r)).height() for r in range(rows)]
    assert max(heights) > view.viewport().height()
    view.setFocus()
    tops = [bar.value()]
    while bar.value() < bar.maximum() and len(tops) < 60:
        qtbot.keyClick(view, Qt.Key.Key_PageDown)
        tops.append(bar.value())
    steps = [b - a for a, b in zip(tops, tops[1:], strict=False)]
    assert bar.value() == bar.maximum() and all(0 <= s <= view.viewport().height() for s in steps)
    for _ in range(rows):  # at the end of the list, a press goes on a passage
        qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert view.currentIndex().row() == rows - 1 and bar.value() == bar.maximum()


def test_a_filter_without_the_current_passage_makes_its_nearest_current(
    qtbot, win: MainWindow
) -> None:
    # There was no current passage: typed keys and F2 did nothing, and the status line still
    # named the passage left out. Back to all passages, the one chosen comes back.
    select_row(qtbot, win, 1)
    qtbot.keyClick(win.view, Qt.Key.Key_F2)
    editor = win.view.current_editor()
    assert editor is not None
    qtbot.keyClicks(editor, " Indeed.")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.keyClick(win.view, Qt.Key.Key_3, CTRL | Qt.KeyboardModifier.AltModifier)  # Unchanged
    # (passage 2 is changed now: left out)
    assert win.model.row_of(win.project.doc.passages[1].id) is None  # type: ignore[union-attr]
    current = win.view.current_passage()
    assert current is not None and current.id == win.project.doc.passages[2].id  # type: ignore[union-attr]
    assert "Passage 3 of 4" in win.status_position.text()
    qtbot.keyClick(win.view, Qt.Key.Key_1, CTRL | Qt.KeyboardModifier.AltModifier)  # All
    assert win.view.current_passage().id == win.project.doc.passages[1].id  # type: ignore[union-attr]


def test_a_click_on_another_passage_while_editing_makes_it_current(
    qtbot,
    settings_dir: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    # In a list measured in batches (any real transcript), the click only closed the editor:
    # the rows were being measured again under it, the old passage stayed current, and what
    # was typed next went into it, scrolled out of sight.
    blocks = []
    for i in range(80):
        words = " ".join(f"word{k}" for k in range(8 + (i * 37) % 90))
        blocks.append(f"{'Ann' if i % 2 else 'Bob'} 00:{i // 60:02d}:{i % 60:02d}\n\n{words}.\n")
    source = tmp_path / "long.txt"
    source.write_text("\n".join(blocks), encoding="utf-8")
    win = make_window(qtbot)
    assert win.open_file(str(source), str(tmp_path / "long.tedit"))
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    qtbot.waitUntil(lambda: win.view._rows_measured, timeout=20000)
    select_row(qtbot, win, 3)
    qtbot.keyClick(win.view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: win.view.current_editor() is not None)
    qtbot.keyClicks(win.view.current_editor(), "Typed ")
    target = win.model.index(6)
    win.view.scrollTo(target)
    passage = win.model.passage(6)
    assert passage is not None
    _, _, edit, _ = win.view.delegate.columns(win.view.visualRect(target), passage)
    qtbot.mouseClick(win.view.viewport(), LEFT, pos=QPoint(edit.left() + 30, edit.top() + 12))
    assert win.view.currentIndex().row() == 6
    for key in "QQ":  # to whatever has the keys, as a keyboard types
        qtbot.keyClick(QApplication.focusWidget(), key)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert "Typed" in text(win, 3) and "QQ" not in text(win, 3)
    assert "QQ" in text(win, 6)


@pytest.mark.parametrize("undo", ["split", "redo merge"])
def test_undo_or_redo_that_takes_a_passage_away_with_the_last_row_current(
    qtbot, win: MainWindow, undo: str
) -> None:
    # The app crashed (a segmentation fault): the list asked for its current row's passage
    # while being reset, by a row number the document no longer had.
    assert win.project is not None
    last = win.model.rowCount() - 1
    if undo == "split":
        select_row(qtbot, win, last)
        qtbot.keyClick(win.view, Qt.Key.Key_F2)
        editor = win.view.current_editor()
        assert editor is not None
        qtbot.keyClick(editor, Qt.Key.Key_End, CTRL)
        for _ in range(3):
            qtbot.keyClick(editor, Qt.Key.Key_Left, CTRL)
        qtbot.keyClick(editor, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda: win.model.rowCount() == last + 2)
        select_row(qtbot, win, last + 1)
        qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)
    else:
        select_row(qtbot, win, last - 1)
        qtbot.keyClick(win.view, Qt.Key.Key_M, CTRL | SHIFT)
        qtbot.waitUntil(lambda: win.model.rowCount() == last)
        qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)
        qtbot.waitUntil(lambda: win.model.rowCount() == last + 1)
        select_row(qtbot, win, last)
        qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL | SHIFT)
    qtbot.waitUntil(lambda: win.model.rowCount() == last + 1 - (undo != "split"))
    # The passage the reader was on is current still, or the one it became part of.
    assert win.view.currentIndex().row() == win.model.rowCount() - 1
    assert win.project.doc.passages[-1].text.endswith("he said I could keep it.")


def test_find_keys_shift_return_goes_back_and_return_in_replace_replaces(
    qtbot, win: MainWindow
) -> None:
    # Shift+Return went forward, Return in the replace field did nothing, and a Replace all
    # that found nothing said it made "one undo step".
    select_row(qtbot, win, 0)
    qtbot.keyClick(win.view, Qt.Key.Key_F, CTRL)
    panel = win.find_panel
    qtbot.waitUntil(panel.find_edit.hasFocus)
    qtbot.keyClicks(panel.find_edit, "boat")
    for _ in range(3):
        qtbot.keyClick(panel.find_edit, Qt.Key.Key_Return)
    assert panel.status.text() == "3 of 3"
    qtbot.keyClick(panel.find_edit, Qt.Key.Key_Return, SHIFT)
    assert panel.status.text() == "2 of 3"
    qtbot.keyClick(panel.find_edit, Qt.Key.Key_Tab)  # to the replace field
    assert QApplication.focusWidget() is panel.replace_edit
    qtbot.keyClicks(panel.replace_edit, "ship")
    qtbot.keyClick(panel.replace_edit, Qt.Key.Key_Return)
    assert win.project is not None
    assert "ships" in text(win, 1) and "boats" not in text(win, 1)  # the second match
    assert QApplication.focusWidget() is panel.replace_edit
    steps = len(win.project.history())
    panel.find_edit.setText("zzz")
    qtbot.mouseClick(panel.replace_all_button, LEFT)
    assert panel.status.text() == "No matches: nothing replaced"
    assert len(win.project.history()) == steps
