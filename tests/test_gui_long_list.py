"""Long lists in the window.

- A long transcript reaches the screen after one screenful of rows is measured (issue 13,
  start-up), and the rest is measured right after that first paint: the end of the list is
  reachable from the keyboard.
- A change from another process (the command line, the assist worker) rebuilds the rows; the
  reader stays on the passage they were reading, to the pixel (issue 11, item 8: the list
  jumped away, and once showed nothing, while an assist run stored its suggestions).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication

from widgets import theme
from widgets.main_window import MainWindow
from widgets.passage_view import BATCH

WORDS = "we talked about the boat and the harbour and what the tide does in winter".split()


def long_talk(path: Path, turns: int) -> Path:
    """Speaker blocks, one passage each, of varied length (so rows differ in height)."""
    lines = []
    for i in range(turns):
        text = " ".join(WORDS[(i + k) % len(WORDS)] for k in range(8 + i % 40)).capitalize()
        seconds = i * 20
        lines += [
            f"{('Alice', 'Bob')[i % 2]} {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}",
            text + ".",
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def open_talk(win: MainWindow, tmp_path: Path, turns: int, name: str = "long") -> None:
    """Open ``long_talk``'s transcript of ``turns`` turns as the project ``name``.tedit."""
    source = long_talk(tmp_path / f"{name}.txt", turns)
    assert win.open_file(str(source), str(tmp_path / f"{name}.tedit"))


def window(qtbot, tmp_path: Path, monkeypatch) -> MainWindow:
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "s"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    win = MainWindow(theme.LIGHT, interactive=False)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    return win


def test_a_long_list_is_drawn_before_every_row_is_measured(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    win = window(qtbot, tmp_path, monkeypatch)
    # As `open FILE` does: the project first, then the window.
    open_talk(win, tmp_path, 400)
    rows = win.model.rowCount()
    assert rows > 200
    measured: list[int] = []
    filled: list[bool] = []

    drew: list[int] = []
    under: list[int] = []

    def first_paint() -> None:
        view = win.view
        measured.append(len(view.delegate._heights))
        # Rows drawn, and found under the mouse, before the last is measured: QListView
        # itself draws none until then (the first paint was blank, 7 s of it at 100 h).
        drew.append(getattr(view.delegate, "rows_drawn", 0))
        under.append(view.indexAt(QPoint(40, 20)).row())
        laid_out = [view.visualRect(win.model.index(r)) for r in range(rows)]
        bottom = max(rect.bottom() for rect in laid_out if rect.isValid())
        filled.append(bottom >= view.viewport().height())

    win.view.sig_first_paint.connect(first_paint)
    with qtbot.waitSignal(win.view.sig_first_paint, timeout=10000):
        win.show()
    # Before: three batches of 120 rows were measured before anything was drawn; then 32.
    # Now a screenful of the shortest rows, and the rows drawn first fill the list's view.
    assert 0 < measured[0] < BATCH < rows
    assert filled == [True]
    assert drew[0] > 0 and under == [0]
    # After the paint the rest follows by itself, and the end is reachable from the keyboard.
    last = win.model.index(rows - 1)
    qtbot.waitUntil(lambda: win.view.visualRect(last).isValid(), timeout=20000)
    win.view.setFocus()
    qtbot.keyClick(win.view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert win.view.currentIndex().row() == rows - 1
    qtbot.waitUntil(lambda: win.view.viewport().rect().intersects(win.view.visualRect(last)))


def shown_and_measured(qtbot, tmp_path: Path, monkeypatch) -> MainWindow:  # type: ignore[no-untyped-def]
    """The window on 400 turns, shown, every row measured."""
    win = window(qtbot, tmp_path, monkeypatch)
    open_talk(win, tmp_path, 400)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.view.visualRect(win.model.index(399)).isValid(), timeout=20000)
    return win


def test_another_process_changing_the_text_leaves_the_reader_where_they_were(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    from editor.commands import EditText
    from editor.session import Session
    from editor.store import Project

    win = shown_and_measured(qtbot, tmp_path, monkeypatch)
    view, bar = win.view, win.view.verticalScrollBar()
    # Scrolled to the middle, nothing selected: reading passage ~200.
    bar.setValue(bar.maximum() // 2)
    reading = view.indexAt(QPoint(1, 1))
    top = view.visualRect(reading).top()
    assert reading.row() > 100

    # The command line edits passage 6 of the same project.
    other = Project.open(tmp_path / "long.tedit")
    passage = other.doc.passages[5]
    Session(other).execute(EditText(passage.id, passage.text + " And one more thing."))
    other.close()
    qtbot.waitUntil(lambda: "one more thing" in win.project.doc.passages[5].text, timeout=5000)

    # Rows are laid out again; the place follows once its row is.
    qtbot.waitUntil(
        lambda: view.visualRect(win.model.index(reading.row())).top() == top, timeout=10000
    )
    assert view.indexAt(QPoint(1, 1)).row() == reading.row()


def test_a_reopened_project_goes_to_its_place_without_measuring_rows_twice(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    """The remembered passage of a long project is restored once the window is drawn: before,
    the rows up to it were measured at the width of a window not yet shown, then again."""
    win = window(qtbot, tmp_path, monkeypatch)
    open_talk(win, tmp_path, 400)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.view.visualRect(win.model.index(399)).isValid(), timeout=20000)
    target = win.model.passage(250)
    assert target is not None
    win.view.scroll_to_passage(target.id)
    win.close()  # remembers the place

    again = window(qtbot, tmp_path, monkeypatch)
    widths: list[set[int]] = []
    again.view.sig_first_paint.connect(
        lambda: widths.append({key[1] for key in again.view.delegate._heights})
    )
    assert again.open_file(str(tmp_path / "long.tedit"))
    with qtbot.waitSignal(again.view.sig_first_paint, timeout=10000):
        again.show()
    assert widths == [{again.view.viewport().width()}]  # one width: nothing measured twice
    assert again.current_passage() is not None and again.current_passage().id == target.id
    qtbot.waitUntil(
        lambda: again.view.indexAt(QPoint(1, 1)).row() == again.model.row_of(target.id),
        timeout=20000,
    )


def test_going_to_a_passage_not_yet_measured_gets_there(qtbot, tmp_path: Path, monkeypatch) -> None:
    """Find, F8 and Go to time, used while the rows are still being measured after opening,
    reach their passage as soon as it is measured (before, nothing moved)."""
    win = window(qtbot, tmp_path, monkeypatch)
    open_talk(win, tmp_path, 400)
    target = win.model.passage(300)
    assert target is not None
    asked: list[bool] = []

    def go() -> None:
        assert not win.view.visualRect(win.model.index(300)).isValid()  # not measured yet
        asked.append(win.view.scroll_to_passage(target.id))

    win.view.sig_first_paint.connect(go)
    win.show()
    qtbot.waitUntil(lambda: bool(asked), timeout=10000)
    qtbot.waitUntil(lambda: win.view.indexAt(QPoint(1, 1)).row() == 300, timeout=20000)
    assert win.current_passage() is not None and win.current_passage().id == target.id


def test_find_opens_a_passage_the_list_has_not_measured_yet(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    # Rows are measured in batches after the first paint; a match in a row not measured yet
    # once moved the selection there and forgot to open its editor.
    source = long_talk(tmp_path / "long.txt", 400)
    source.write_text(
        source.read_text(encoding="utf-8") + "\nAlice 03:00:00\nThe lighthouse keeper said so.\n",
        encoding="utf-8",
    )
    win = window(qtbot, tmp_path, monkeypatch)
    assert win.open_file(str(source), str(tmp_path / "long.tedit"))
    rows = win.model.rowCount()
    with qtbot.waitSignal(win.view.sig_first_paint, timeout=10000):
        win.show()
    last = win.model.index(rows - 1)
    assert not win.view.visualRect(last).isValid()  # not measured yet
    win.activateWindow()  # where the keys go is part of what is checked
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    qtbot.keyClick(win.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(win.find_panel.find_edit, "lighthouse")
    qtbot.keyClick(win.find_panel.find_edit, Qt.Key.Key_Return)
    # There, once its row is measured, with the match it is on marked; the keys stay in Find
    # (Return goes on to the next match) .
    qtbot.waitUntil(lambda: win.view.currentIndex().row() == rows - 1, timeout=20000)
    qtbot.waitUntil(lambda: win.view.visualRect(last).isValid(), timeout=20000)
    qtbot.waitUntil(lambda: win.view.viewport().rect().intersects(win.view.visualRect(last)))
    pid, start, end = win.view.delegate.current_match
    assert win.project is not None and win.project.passage(pid).text[start:end] == "lighthouse"
    qtbot.waitUntil(win.find_panel.find_edit.hasFocus)


def test_the_open_project_is_left_out_of_full_collections(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    # At 100 hours Python's full collections walked every object of the project: a 40 ms
    # stall now and then while rows were measured, scrolled or typed in.
    import gc

    win = window(qtbot, tmp_path, monkeypatch)
    open_talk(win, tmp_path, 60, "a")
    win.show()
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0)
    first = win.project.doc.passages[0]  # type: ignore[union-attr]
    assert all(obj is not first for obj in gc.get_objects())  # not walked any more
    # Another project: the first one's objects are collectable again, the new one's are not.
    open_talk(win, tmp_path, 20, "b")
    assert any(obj is first for obj in gc.get_objects())
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0)
    second = win.project.doc.passages[0]  # type: ignore[union-attr]
    assert all(obj is not second for obj in gc.get_objects())
    win.close()
    assert gc.get_freeze_count() == 0


def test_measuring_rows_again_spell_checks_only_the_rows_drawn(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    """Show changes, a new width or text size measure every row again. With the dictionary
    loaded, each row measured off screen was spell-checked too (spelling never changes a
    height): batches took 70-90 ms on 100 hours instead of ~40. Only drawn rows are now."""
    win = window(qtbot, tmp_path, monkeypatch)
    open_talk(win, tmp_path, 400)
    rows = win.model.rowCount()
    with qtbot.waitSignal(win.view.sig_rows_measured, timeout=20000):
        win.show()
    checked: list[str] = []

    class Speller:  # counts what it is asked; finds nothing
        def misspelled(self, text: str) -> list[tuple[int, int]]:
            checked.append(text)
            return []

    delegate = win.view.delegate
    # The window's own dictionary first (it loads once the rows are measured), then ours.
    qtbot.waitUntil(lambda: delegate.speller is not None, timeout=20000)
    delegate.set_speller(Speller())  # type: ignore[arg-type]
    win.activateWindow()  # the shortcut is the window's: it must be the active one
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    win.view.setFocus()
    qtbot.keyClick(win.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # Show changes

    def shown() -> int:  # rows measured with their changes shown (part of a height's key)
        return sum(1 for key in delegate._heights if key[2])

    assert delegate.show_changes and shown() < rows  # measured again from none
    qtbot.waitUntil(lambda: shown() >= rows and checked != [], timeout=20000)
    assert len(checked) < rows // 4, len(checked)  # the rows drawn, not all 400


def test_a_change_deep_in_a_long_list_leaves_the_reader_where_they_were(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    # The rows were measured again in batches after any change (typing, a decision, a
    # suggestion), and the scroll range, short until they all were, pulled the list back to
    # about 20 minutes in, the current passage off the screen.
    from editor.commands import EditText

    win = shown_and_measured(qtbot, tmp_path, monkeypatch)
    view = win.view
    target = win.model.index(350)
    view.setCurrentIndex(target)
    view.scrollTo(target, view.ScrollHint.PositionAtTop)
    qtbot.waitUntil(lambda: view.indexAt(QPoint(1, 1)).row() == 350)
    view.viewport().repaint()  # drawn there
    passage = win.current_passage()
    assert passage is not None
    win.execute(EditText(passage.id, passage.text + " And one more thing."))
    qtbot.waitUntil(lambda: view.visualRect(win.model.index(399)).isValid(), timeout=20000)
    qtbot.waitUntil(lambda: view.indexAt(QPoint(1, 1)).row() == 350, timeout=10000)
    assert view.viewport().rect().intersects(view.visualRect(view.currentIndex()))


def test_an_edit_far_down_a_long_list_keeps_the_place_and_the_rows(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    # Closing the editor measured every row again, in batches: meanwhile the list drew
    # nothing and clicks found nothing, and at the end it showed passages from the top.
    win = window(qtbot, tmp_path, monkeypatch)
    open_talk(win, tmp_path, 1500)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    qtbot.waitUntil(lambda: win.view.rows_measured, timeout=30000)
    view = win.view
    target = win.model.passage(1200)
    assert target is not None
    view.scroll_to_passage(target.id)
    qtbot.waitUntil(lambda: view.indexAt(QPoint(40, 20)).row() == 1200)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: view.current_editor() is not None)
    qtbot.keyClicks(view.current_editor(), " And more words here, enough for a line.")
    qtbot.keyClick(view.current_editor(), Qt.Key.Key_Escape)
    qtbot.wait(50)
    assert view.indexAt(QPoint(40, 20)).row() == 1200  # at once: a click finds it
    qtbot.wait(1000)
    assert view.indexAt(QPoint(40, 20)).row() == 1200  # and afterwards, where it was


def test_undo_and_redo_of_an_edit_far_away_show_its_passage(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    """Undo made the passage it changed current but left the list where it was (the place
    the change held was put back after the move to it): the next key typed went into a
    passage off the screen."""
    from tests.test_gui_user import key, open_editor

    win = shown_and_measured(qtbot, tmp_path, monkeypatch)
    far = 60
    editor = open_editor(qtbot, win, far)
    qtbot.keyClicks(editor, " Typed far down.")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    target = win.model.passage(far)
    assert target is not None and target.text.endswith("Typed far down.")
    key(qtbot, win, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: win.view.verticalScrollBar().value() == 0)

    def on_screen() -> bool:
        rect = win.view.visualRect(win.model.index(far))
        return win.view.currentIndex().row() == far and rect.intersects(win.view.viewport().rect())

    for mods in (Qt.KeyboardModifier.ControlModifier, CTRL_SHIFT):
        key(qtbot, win, Qt.Key.Key_Z, mods)
        qtbot.waitUntil(on_screen)
        for _ in range(3):  # and it stays there once the deferred turns have run
            QApplication.processEvents()
            assert on_screen()
        key(qtbot, win, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: win.view.verticalScrollBar().value() == 0)


CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
