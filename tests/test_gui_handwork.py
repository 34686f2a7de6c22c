"""What hand-editing needs (issue 11): review progress, a per-project memory of the view,
find highlighting every match as you type, context menus, and every shortcut pressed.

Driven as a user drives the window: clicks, key presses, menus triggered; on the bundled
demo or on small fixtures written here, so a fresh clone runs it all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests import test_gui_user as user
from tests.test_gui_user import (
    ALT,
    CTRL,
    SHIFT,
    TWO_SPEAKERS,
    first_reviewed,
    key,
    make_window,
    open_editor,
    run_offline,
    select_row,
)
from widgets.main_window import MainWindow

# The user tests' fixtures: settings in a temporary folder, the demo, a small transcript.
settings_dir = user.settings_dir
demo = user.demo
small = user.small
themed = user.themed

# -- review progress ------------------------------------------------------------------


def test_review_progress_follows_decisions_and_undo(qtbot, demo: MainWindow) -> None:
    project = demo.project
    assert project is not None
    run_offline(qtbot, demo)
    counts = project.suggestion_counts()
    total = counts["pending"]
    assert total > 2 and counts["accepted"] == counts["rejected"] == 0
    panel = demo.assist_panel.status
    assert f"0 of {total} reviewed in the last run" in panel.text()
    qtbot.waitUntil(lambda: f"0 of {total} reviewed" in demo.status_counts.text())
    select_row(qtbot, demo, 0)
    key(qtbot, demo, Qt.Key.Key_A, ALT)  # the speaker name suggestion
    assert f"1 of {total} reviewed in the last run" in panel.text()
    qtbot.waitUntil(lambda: f"1 of {total} reviewed" in demo.status_counts.text())
    key(qtbot, demo, Qt.Key.Key_F7)
    key(qtbot, demo, Qt.Key.Key_R, ALT)  # the passage's first text change, rejected
    decided = project.suggestion_counts()
    done = decided["accepted"] + decided["rejected"]
    assert done >= 1 and f"{done} of {total} reviewed" in panel.text()
    key(qtbot, demo, Qt.Key.Key_Z, CTRL)
    key(qtbot, demo, Qt.Key.Key_Z, CTRL)
    assert f"0 of {total} reviewed in the last run" in panel.text()
    qtbot.waitUntil(lambda: f"0 of {total} reviewed" in demo.status_counts.text())


# -- per-project memory of the view -----------------------------------------------------


def test_model_level_filter_and_place_are_kept_per_project(
    qtbot, settings_dir: Path, tmp_path: Path
) -> None:
    source = tmp_path / "two.txt"
    source.write_text(TWO_SPEAKERS, encoding="utf-8")
    path = str(tmp_path / "two.tedit")
    win = make_window(qtbot)
    assert win.open_file(str(source), path)
    project = win.project
    assert project is not None
    # An edit in the second passage, then "Unchanged" (Ctrl+Alt+3) and the last passage.
    select_row(qtbot, win, 1)
    qtbot.keyClicks(win.view, "Q")
    qtbot.waitUntil(lambda: project.history_count() == 1, timeout=3000)
    key(qtbot, win, Qt.Key.Key_3, CTRL | ALT)
    assert win.model.rowCount() == 3
    select_row(qtbot, win, 2)
    last = project.doc.passages[3].id
    assert win.current_passage().id == last  # type: ignore[union-attr]
    panel = win.assist_panel
    panel.set_model_id("some-remote-model")
    panel.level.setCurrentIndex(panel.level.findData("print"))
    win.close()

    again = make_window(qtbot)
    # Another project's session leaves the app-wide level at Light...
    again.assist_panel.level.setCurrentIndex(again.assist_panel.level.findData("light"))
    assert again.open_file(path)
    # ...but this project comes back as it was left.
    assert again.assist_panel.model_id() == "some-remote-model"
    assert again.assist_panel.level.currentData() == "print"
    assert again.model.filter == "unchanged"
    assert again.filter_combo.currentData() == "unchanged"
    assert again.filter_actions["unchanged"].isChecked()
    assert again.model.rowCount() == 3
    assert again.current_passage().id == last  # type: ignore[union-attr]
    assert again.project is not None and again.project.history_count() == 1  # not an edit


def click_dock_tab(qtbot, win: MainWindow, title: str) -> None:
    """Click the tab of a docked panel, as a user brings a panel behind another forward."""
    from PySide6.QtWidgets import QTabBar

    for bar in win.findChildren(QTabBar):
        for i in range(bar.count()):
            if bar.tabText(i) == title and bar.isVisible():
                qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(i).center())
                return
    raise AssertionError(f"no tab {title!r}")


def test_panels_behind_tabs_are_made_when_shown_and_keep_the_project_choice(
    qtbot, tmp_path: Path, settings_dir: Path
) -> None:
    """Find, AI assist and Memory are made when first shown, not with the window (50-70 ms of
    its first paint); made late, each still shows this project, and the assist model and level
    the project was left with come back whether or not the panel was opened in between."""
    source = tmp_path / "two.txt"
    source.write_text(TWO_SPEAKERS, encoding="utf-8")
    path = str(tmp_path / "two.tedit")
    win = make_window(qtbot)
    # Keys reach the window's shortcuts once it is the active window, as a user's would.
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    assert win.open_file(str(source), path)
    assert win.made_assist_panel() is None and win._memory_panel is None
    assert win._find_panel is None
    select_row(qtbot, win, 1)
    click_dock_tab(qtbot, win, "AI assist")
    panel = win.made_assist_panel()
    assert panel is not None and panel.isVisible()
    assert panel.project is win.project and panel.run_button.isEnabled()
    # No suggestions yet: what to do, not a row of zeros; no progress bar before a run.
    assert panel.status.text().startswith("No suggestions yet: pick a model and press")
    assert panel.progress.isHidden()
    panel.set_model_id("some-remote-model")
    panel.level.setCurrentIndex(panel.level.findData("print"))
    click_dock_tab(qtbot, win, "Memory")
    assert win._memory_panel is not None and win._memory_panel.isVisible()
    assert win._memory_panel.passage_id == win.current_passage().id  # type: ignore[union-attr]
    key(qtbot, win, Qt.Key.Key_F, CTRL)  # Edit → Find and replace
    assert win._find_panel is not None and win.find_dock.isVisible()
    win.close()

    again = make_window(qtbot)  # opened and closed without showing the AI assist panel
    assert again.open_file(path)
    assert again.made_assist_panel() is None
    again.close()

    third = make_window(qtbot)
    assert third.open_file(path)
    click_dock_tab(qtbot, third, "AI assist")
    assert third.assist_panel.model_id() == "some-remote-model"
    assert third.assist_panel.level.currentData() == "print"


def test_suggest_edits_on_the_toolbar_makes_the_assist_panel_and_runs(
    qtbot, small: MainWindow
) -> None:
    """The toolbar's Suggest edits, pressed before the AI assist panel was ever shown, makes
    it, brings it forward and runs the built-in engine on the project."""
    from PySide6.QtWidgets import QToolBar

    project = small.project
    assert project is not None and small.made_assist_panel() is None
    bar = small.findChild(QToolBar)
    assert bar is not None
    button = bar.widgetForAction(small.suggest_action)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    panel = small.made_assist_panel()
    assert panel is not None and not small.assist_dock.visibleRegion().isEmpty()
    assert panel.project is project
    # This short fixture is clean: the engine is asked about every passage and changes none.
    qtbot.waitUntil(
        lambda: not panel.running() and "Last run: asked 5" in panel.status.text(), timeout=20000
    )
    assert panel.status.text().startswith("No suggestions: nothing to change.\nLast run:")
    assert panel.progress.isVisible() and panel.progress.value() == panel.progress.maximum()


def test_a_panel_made_before_any_project_is_told_of_the_one_opened_later(
    qtbot, settings_dir: Path
) -> None:
    """The AI assist and Memory tabs clicked on the welcome screen make the panels with no
    project; opening one then tells them, as it tells the panels made with the window."""
    win = make_window(qtbot)
    # Nothing to suggest edits to yet: the toolbar's button waits, as Export does.
    from PySide6.QtWidgets import QToolBar

    bar = win.findChild(QToolBar)
    assert bar is not None
    suggest = bar.widgetForAction(win.suggest_action)
    assert not suggest.isEnabled() and not bar.widgetForAction(win.export_action).isEnabled()
    for title, dock in (("AI assist", win.assist_dock), ("Memory", win.memory_dock)):
        click_dock_tab(qtbot, win, title)
        qtbot.waitUntil(lambda d=dock: not d.visibleRegion().isEmpty())
    panel = win.made_assist_panel()
    assert panel is not None and panel.project is None
    assert "Open a transcript" in panel.status.text()
    assert win._memory_panel is not None and win._memory_panel.project is None
    assert win.open_demo()
    assert panel.project is win.project and win._memory_panel.project is win.project
    assert "No suggestions yet" in panel.status.text() and panel.run_button.isEnabled()
    assert suggest.isEnabled()


def test_the_view_menu_brings_a_panel_behind_a_tab_forward(qtbot, demo: MainWindow) -> None:
    """View → AI assist with the panel behind the History tab hid it (Qt's own toggle counts
    a panel behind a tab as shown), and choosing it again left it behind: from the menu it
    could never be seen. Now it comes forward; chosen again while in front, it closes."""
    view = next(a.menu() for a in demo.menuBar().actions() if a.text() == "&View")
    entry = next(a for a in view.actions() if a.text() == "AI assist")
    dock = demo.assist_dock
    assert entry.isChecked() and dock.visibleRegion().isEmpty()  # a tab behind History
    entry.trigger()
    qtbot.waitUntil(lambda: not dock.visibleRegion().isEmpty())
    assert entry.isChecked() and demo.made_assist_panel() is not None
    entry.trigger()
    qtbot.waitUntil(dock.isHidden)
    assert not entry.isChecked()
    entry.trigger()
    qtbot.waitUntil(lambda: not dock.visibleRegion().isEmpty())
    assert entry.isChecked()


def test_every_docked_panel_fits_its_column_without_scrolling_sideways(
    qtbot, demo: MainWindow
) -> None:
    """At a 1440-pixel window the docks' column is about 290 pixels: each panel, brought
    forward by its tab, shows whole (its buttons and choices were cut off behind a sideways
    scroll bar in AI assist and Memory)."""
    from PySide6.QtWidgets import QScrollArea

    demo.resize(1440, 900)
    for title, dock in (
        ("History", demo.history_dock),
        ("AI assist", demo.assist_dock),
        ("Memory", demo.memory_dock),
        ("Speakers", demo.speakers_dock),
    ):
        # A dock behind another tab is moved out of sight, not hidden: its region is empty.
        if dock.visibleRegion().isEmpty():
            click_dock_tab(qtbot, demo, title)
        qtbot.waitUntil(lambda d=dock: not d.visibleRegion().isEmpty())
        scroll = dock.widget()
        assert isinstance(scroll, QScrollArea)
        inner = scroll.widget()
        assert inner is not None, title  # made when its tab was clicked
        qtbot.waitUntil(lambda w=inner: w.width() > 0)
        assert inner.minimumSizeHint().width() <= scroll.viewport().width(), title
        assert not scroll.horizontalScrollBar().isVisible(), title


def test_speaker_names_show_whole_and_the_counts_give_way(
    qtbot, settings_dir: Path, tmp_path: Path, themed
) -> None:
    """In the ~275-pixel column, "Dwarkesh Patel" was cut to "Dwarkesh ..." beside two
    count columns. Now the Words column gives way when a name would be cut, then the
    Passages column, and they come back when the column is widened (resizeDocks, as dragging
    its edge does). Themed as the app is: the headers' padding is the style sheet's."""
    from widgets import theme

    themed(theme.LIGHT)
    win = make_window(qtbot, (1400, 850))
    tree = win.speakers_panel.tree

    def column(width: int) -> None:
        win.resizeDocks([win.speakers_dock], [width], Qt.Orientation.Horizontal)
        qtbot.waitUntil(lambda: abs(win.speakers_dock.width() - width) <= 20)

    def names_whole() -> bool:
        return 0 < tree.sizeHintForColumn(0) <= tree.columnWidth(0)

    def shown() -> tuple[bool, bool]:
        return not tree.isColumnHidden(1), not tree.isColumnHidden(2)

    column(275)
    # Short names: both counts fit beside them, as before.
    short = tmp_path / "short.txt"
    short.write_text(TWO_SPEAKERS, encoding="utf-8")
    assert win.open_file(str(short), str(tmp_path / "short.tedit"))
    qtbot.waitUntil(names_whole)
    assert shown() == (True, True)

    source = tmp_path / "two.txt"
    source.write_text(
        TWO_SPEAKERS.replace("Alice", "Dwarkesh Patel").replace("Bob", "Andrej Karpathy"),
        encoding="utf-8",
    )
    assert win.open_file(str(source), str(tmp_path / "two.tedit"))
    qtbot.waitUntil(names_whole)
    assert shown() == (True, False)
    tip = tree.topLevelItem(1).toolTip(0)  # the counts are still there
    assert "passages" in tip and "words" in tip
    # A little wider, still too narrow: it stays hidden (a hidden column's title measured
    # nothing, so the next resize brought the column back over the names).
    column(290)
    assert shown() == (True, False) and names_whole()
    column(180)  # narrower still: the passages give way too
    qtbot.waitUntil(lambda: shown() == (False, False))
    assert names_whole()
    column(480)
    qtbot.waitUntil(lambda: shown() == (True, True))
    assert names_whole()


def test_the_level_list_opens_whole_in_the_narrow_assist_panel(
    qtbot, demo: MainWindow, themed
) -> None:
    """In the ~290-pixel column the level reads "Print: reads like a written int"; opened,
    its list was as narrow as the box, every long item cut the same way. The list now opens
    as wide as its longest item, and the box's tooltip holds the whole choice."""
    from widgets import theme

    themed(theme.LIGHT)
    demo.resize(1440, 900)
    click_dock_tab(qtbot, demo, "AI assist")
    level = demo.assist_panel.level
    qtbot.waitUntil(lambda: level.isVisible() and level.width() > 0)
    qtbot.mouseClick(level, Qt.MouseButton.LeftButton)
    view = level.view()
    qtbot.waitUntil(lambda: view.isVisible())
    longest = max(view.fontMetrics().horizontalAdvance(level.itemText(i)) for i in range(3))
    assert view.viewport().width() >= longest > level.width() - 40
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not view.isVisible())
    assert level.toolTip() == level.currentText()
    level.setCurrentIndex(level.findData("print"))
    assert level.toolTip() == "Print: reads like a written interview"


def test_recent_changes_read_whole_in_the_narrow_column(qtbot, small: MainWindow) -> None:
    """Each entry began with the day and the second ("26 Nov 03:17:30"), and what was done
    was cut off at the column's edge. Today's entries now give the time alone, and the
    description wraps."""
    import datetime as dt
    import re

    from widgets.history_panel import _when

    project = small.project
    assert project is not None
    panel = small.find_panel  # a change with a long description: a replace-all
    qtbot.keyClick(small.view, Qt.Key.Key_H, CTRL)
    qtbot.keyClicks(panel.find_edit, "boat")
    qtbot.keyClicks(panel.replace_edit, "wooden ship of the western fjords")
    qtbot.mouseClick(panel.replace_all_button, Qt.MouseButton.LeftButton)
    assert len(project.history()) == 1
    small.find_dock.close()
    small.resizeDocks([small.history_dock], [275], Qt.Orientation.Horizontal)
    click_dock_tab(qtbot, small, "Recent changes")
    listed = small.history_panel.recent_list
    qtbot.waitUntil(lambda: listed.isVisible() and listed.count() == 1)
    item = listed.item(0)
    assert re.match(r"\d\d:\d\d:\d\d  \S", item.text()), item.text()
    assert project.history()[-1].description in item.text()
    rect = listed.visualItemRect(item)
    assert listed.wordWrap() and rect.right() <= listed.viewport().width()
    # Longer than the column is wide: wrapped onto more lines, not cut.
    assert listed.fontMetrics().horizontalAdvance(item.text()) > listed.viewport().width()
    assert rect.height() >= 2 * listed.fontMetrics().lineSpacing()
    # Older entries keep their day (and year).
    now = dt.datetime(2026, 11, 26, 12, 0)
    assert _when(dt.datetime(2026, 11, 26, 9, 5, 7).timestamp(), now) == "09:05:07"
    assert _when(dt.datetime(2026, 3, 2, 9, 5, 7).timestamp(), now) == "02 Mar 09:05"
    assert _when(dt.datetime(2025, 3, 2, 9, 5, 7).timestamp(), now) == "02 Mar 2025"


def test_memory_says_what_its_empty_lists_will_hold_and_acts_on_a_choice(
    qtbot, small: MainWindow, monkeypatch
) -> None:
    """The glossary and rules were blank boxes, and Remove, Keep for all projects and
    Remove rule looked ready with nothing chosen. Now an empty list says what will come
    into it, and each button waits for something to act on."""
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QInputDialog

    click_dock_tab(qtbot, small, "Memory")
    panel = small.memory_panel
    qtbot.waitUntil(lambda: panel.glossary.isVisible() and panel.glossary.width() > 0)

    def placeholder_pixels(view) -> int:  # type: ignore[no-untyped-def]
        """Pixels drawn in the list's blank area (its rows' area, nothing selected)."""
        view.clearSelection()
        view.viewport().repaint()
        image = view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        blank = image.pixel(image.width() - 2, image.height() - 2)
        return sum(
            image.pixel(x, y) != blank
            for y in range(0, image.height(), 2)
            for x in range(image.width())
        )

    assert placeholder_pixels(panel.glossary) > 20 and placeholder_pixels(panel.rules) > 20
    for button in (panel.remove_button, panel.share_button, panel.remove_rule_button):
        assert not button.isEnabled()
    answers = iter([("Alise", True), ("Alice", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.glossary.topLevelItemCount() == 1)
    assert not panel.remove_button.isEnabled()  # nothing chosen yet
    row = panel.glossary.visualItemRect(panel.glossary.topLevelItem(0)).center()
    qtbot.mouseClick(panel.glossary.viewport(), Qt.MouseButton.LeftButton, pos=row)
    assert panel.remove_button.isEnabled() and panel.share_button.isEnabled()
    # Keep for all projects moves it: it was only copied, the row still said "this project".
    qtbot.mouseClick(panel.share_button, Qt.MouseButton.LeftButton)
    item = panel.glossary.topLevelItem(0)
    assert panel.glossary.topLevelItemCount() == 1 and item is not None
    assert (item.text(0), item.text(2)) == ("Alise", "all projects") and item.isSelected()
    from assist.memory import project_glossary, user_glossary

    assert user_glossary() == {"Alise": "Alice"} and project_glossary(small.project) == {}  # type: ignore[arg-type]
    # An entry that changes nothing is not taken ("Alice → Alice").
    said: list[str] = []
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: said.append(text))
    answers = iter([("Alice", True), ("Alice", True)])
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert said and project_glossary(small.project) == {}  # type: ignore[arg-type]


def test_undo_of_keep_for_all_projects_takes_it_out_of_the_user_wide_glossary_too(
    qtbot, small: MainWindow, monkeypatch, tmp_path: Path, capsys
) -> None:
    # Undo brought the entry back into the project, but every other project kept using it.
    from PySide6.QtWidgets import QApplication, QInputDialog

    from assist.memory import project_glossary, user_glossary
    from entry.cli import main

    small.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is small)
    click_dock_tab(qtbot, small, "Memory")
    panel = small.memory_panel
    answers = iter([("Alise", True), ("Alice", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.glossary.topLevelItemCount() == 1)
    row = panel.glossary.visualItemRect(panel.glossary.topLevelItem(0)).center()
    qtbot.mouseClick(panel.glossary.viewport(), Qt.MouseButton.LeftButton, pos=row)
    qtbot.mouseClick(panel.share_button, Qt.MouseButton.LeftButton)
    assert user_glossary() == {"Alise": "Alice"}
    small.view.setFocus()
    qtbot.keyClick(small.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert user_glossary() == {} and project_glossary(small.project) == {"Alise": "Alice"}  # type: ignore[arg-type]
    item = panel.glossary.topLevelItem(0)
    assert item is not None and item.text(2) == "this project"
    qtbot.keyClick(
        small.view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert user_glossary() == {"Alise": "Alice"} and project_glossary(small.project) == {}  # type: ignore[arg-type]
    assert small.project is not None
    path = str(small.project.path)
    small.close()
    capsys.readouterr()
    assert main(["undo", path]) == 0  # the command line's undo does the same
    assert user_glossary() == {}


def test_all_projects_glossary_asks_before_removing_and_says_when_it_cannot_be_written(
    qtbot, small: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    """Removing an all-projects entry cannot be undone (the user-wide file is outside the
    project's history): it went at one click. A data folder that cannot be written raised
    inside the window and said nothing."""
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    from assist import memory

    click_dock_tab(qtbot, small, "Memory")
    panel = small.memory_panel
    qtbot.waitUntil(lambda: panel.glossary.isVisible() and panel.glossary.width() > 0)
    answers = iter([("Alise", True), ("Alice", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.glossary.topLevelItemCount() == 1)

    def choose() -> None:
        row = panel.glossary.visualItemRect(panel.glossary.topLevelItem(0)).center()
        qtbot.mouseClick(panel.glossary.viewport(), Qt.MouseButton.LeftButton, pos=row)

    # The data folder is a file: the user-wide glossary cannot be written there.
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder", encoding="utf-8")
    real_path = memory.user_glossary_path
    monkeypatch.setattr(memory, "user_glossary_path", lambda: blocked / "glossary.json")
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    choose()
    qtbot.mouseClick(panel.share_button, Qt.MouseButton.LeftButton)
    assert len(warned) == 1 and str(blocked) in warned[0]
    assert memory.project_glossary(small.project) == {"Alise": "Alice"}  # type: ignore[arg-type]
    assert panel.glossary.topLevelItem(0).text(2) == "this project"

    monkeypatch.setattr(memory, "user_glossary_path", real_path)
    choose()
    qtbot.mouseClick(panel.share_button, Qt.MouseButton.LeftButton)
    assert memory.user_glossary() == {"Alise": "Alice"}
    asked: list[str] = []
    reply = [QMessageBox.StandardButton.Cancel]

    def question(_p, _t, text, *a):  # type: ignore[no-untyped-def]
        asked.append(text)
        return reply[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    choose()
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and "all projects" in asked[0] and "Undo" in asked[0]
    assert memory.user_glossary() == {"Alise": "Alice"}  # cancelled: kept
    reply[0] = QMessageBox.StandardButton.Yes
    choose()
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert memory.user_glossary() == {} and panel.glossary.topLevelItemCount() == 0
    assert not list(real_path().parent.glob("*.tmp"))


def test_text_size_steps_with_the_keys_and_is_kept_for_the_next_session(
    qtbot, small: MainWindow, settings_dir: Path
) -> None:
    """Ctrl+= and Ctrl+- make the passages' text a point larger or smaller, rows measured
    again and an open editor with them; Ctrl+0 goes back; the size is kept, and a settings
    file with nonsense in it gives the usual size."""
    from widgets import theme
    from widgets.recent import settings

    win = small
    usual = theme.TEXT_POINTS
    select_row(qtbot, win, 0)

    def size() -> float:
        return win.view.delegate.font.pointSizeF()

    def height() -> int:
        return win.view.visualRect(win.model.index(0)).height()

    before = height()
    for _ in range(3):
        key(qtbot, win, Qt.Key.Key_Equal, CTRL)
    assert size() == usual + 3
    qtbot.waitUntil(lambda: height() > before)
    assert win.statusBar().currentMessage().startswith(f"Text size {usual + 3:g} pt")
    editor = open_editor(qtbot, win, 1)
    key(qtbot, win, Qt.Key.Key_Minus, CTRL)
    assert size() == usual + 2 and editor.font().pointSizeF() == usual + 2
    key(qtbot, win, Qt.Key.Key_Escape)
    for _ in range(40):  # down to the smallest, and no further
        key(qtbot, win, Qt.Key.Key_Minus, CTRL)
    assert size() == 8.0
    key(qtbot, win, Qt.Key.Key_Equal, CTRL)
    assert float(settings().value("view/text_size")) == 9.0
    again = make_window(qtbot)
    assert again.view.delegate.font.pointSizeF() == 9.0  # kept for the next session
    key(qtbot, win, Qt.Key.Key_0, CTRL)
    assert size() == usual
    qtbot.waitUntil(lambda: height() == before)
    # A hand-edited settings file: the usual size, never a crash or a 0-point text.
    for bad in ("huge", "nan", "-4", "1e300"):
        settings().setValue("view/text_size", bad)
        assert make_window(qtbot).view.delegate.font.pointSizeF() == usual, bad


def test_jump_to_time_starts_at_the_current_passage(qtbot, small: MainWindow) -> None:
    """Ctrl+G opened an empty field; it now holds the current passage's time, ready to be
    edited (a jump is often a few minutes on from here)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QInputDialog

    small.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is small)
    select_row(qtbot, small, 2)  # Alice at 00:00:20
    seen: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog.textValue())
        dialog.setTextValue("0:31")
        dialog.accept()

    QTimer.singleShot(0, answer)
    key(qtbot, small, Qt.Key.Key_G, CTRL)
    assert seen == ["00:00:20"]
    assert small.current_passage().start == 31.0  # type: ignore[union-attr]


def test_a_jump_to_time_says_what_it_did(qtbot, small: MainWindow) -> None:
    # A good jump right after a bad one still said "Not a time: '99:99'"; one past the end
    # landed on the last passage without a word.
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QInputDialog

    select_row(qtbot, small, 0)

    def jump(to: str) -> None:
        def answer() -> None:
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, QInputDialog) or not dialog.isVisible():
                QTimer.singleShot(20, answer)
                return
            dialog.setTextValue(to)
            dialog.accept()

        small.activateWindow()  # back from the last dialog (offscreen does not do it)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is small)
        QTimer.singleShot(0, answer)
        key(qtbot, small, Qt.Key.Key_G, CTRL)

    jump("99:99")
    assert small.statusBar().currentMessage().startswith("Not a time")
    jump("0:09")
    assert small.statusBar().currentMessage() == ""
    assert small.current_passage().start == 9.0  # type: ignore[union-attr]
    jump("5:00:00")
    assert "past the end" in small.statusBar().currentMessage()
    assert small.current_passage() is small.project.doc.passages[-1]  # type: ignore[union-attr]
    # Inside the last passage (from 0:31, no end given: its words take some 6 s): no
    # warning; it said "past the end" for 0:35.
    jump("0:35")
    assert small.statusBar().currentMessage() == ""
    assert small.current_passage() is small.project.doc.passages[-1]  # type: ignore[union-attr]


def test_the_saved_state_stands_apart_from_the_place_in_the_status_bar(
    qtbot, small: MainWindow
) -> None:
    """ "Passage 1 of 4 · 00:00:01 All changes saved": the two ran together."""
    place, saved = small.status_position, small.status_saved
    qtbot.waitUntil(lambda: bool(place.text()) and bool(saved.text()))
    ends = place.x() + place.fontMetrics().horizontalAdvance(place.text())
    starts = saved.x() + saved.contentsMargins().left()
    assert starts - ends >= 12, (ends, starts)


def test_find_opens_whole_above_the_other_panels(qtbot, demo: MainWindow) -> None:
    """Ctrl+F opens Find above History; it was given a strip for the find field alone, its
    buttons and count behind scroll bars."""
    from PySide6.QtWidgets import QScrollArea

    demo.resize(1440, 900)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is demo)
    key(qtbot, demo, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(lambda: not demo.find_dock.visibleRegion().isEmpty())
    qtbot.keyClicks(demo.find_panel.find_edit, "boat")
    scroll = demo.find_dock.widget()
    assert isinstance(scroll, QScrollArea)
    qtbot.waitUntil(lambda: scroll.viewport().height() >= demo.find_panel.sizeHint().height())
    # The scroll bars go once the dock's layout has settled (a turn of the loop later).
    qtbot.waitUntil(lambda: not scroll.verticalScrollBar().isVisible())
    assert not scroll.horizontalScrollBar().isVisible()
    status = demo.find_panel.status
    assert "match" in status.text() and not status.visibleRegion().isEmpty()
    button = demo.find_panel.replace_all_button
    assert (
        scroll.viewport().rect().contains(button.mapTo(scroll.viewport(), button.rect().center()))
    )


def test_player_buttons_read_on_either_theme(qtbot, settings_dir: Path) -> None:
    """The transport's icons stand out from the bar on the dark theme too (the style's own
    media icons were dark grey on it)."""
    from widgets import theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        for th in (theme.LIGHT, theme.DARK):
            theme.apply(app, th)
            win = make_window(qtbot, th=th)
            image = win.media.bar.play.grab().toImage()
            corner = image.pixelColor(1, 1)
            ink = sum(
                1
                for x in range(image.width())
                for y in range(image.height())
                if abs(image.pixelColor(x, y).lightness() - corner.lightness()) > 60
            )
            assert ink > 20, f"the play button's icon hardly shows on the {th.name} theme ({ink})"
    finally:
        theme.apply(app, theme.LIGHT)


def test_speaker_filter_is_kept_per_project(qtbot, small: MainWindow, tmp_path: Path) -> None:
    from tests.test_gui_user import click_speaker

    project = small.project
    assert project is not None
    path = project.path
    click_speaker(qtbot, small, "Bob")
    small.close()
    again = make_window(qtbot)
    assert again.open_file(str(path))
    assert again.model.rowCount() == 2 and again.filter_bar.isVisible()
    assert again.filter_label.text().startswith("Showing only Bob")


# -- find: every visible match highlighted as you type, and counted ----------------------


def highlighted_pixels(win: MainWindow) -> int:
    from PySide6.QtGui import QColor

    from widgets.passage_view import FIND_BG

    want = QColor(FIND_BG[0]).rgb()
    image = win.view.viewport().grab().toImage()
    return sum(
        1
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
        if image.pixel(x, y) == want
    )


def test_find_highlights_and_counts_as_you_type(qtbot, small: MainWindow) -> None:
    panel = small.find_panel
    assert highlighted_pixels(small) == 0
    qtbot.keyClick(small.view, Qt.Key.Key_F, CTRL)
    assert panel.find_edit.hasFocus()
    qtbot.keyClicks(panel.find_edit, "boat")
    assert panel.status.text() == "3 matches"  # boats, boats, boat
    lit = highlighted_pixels(small)
    assert lit > 50
    qtbot.keyClicks(panel.find_edit, "s")
    assert panel.status.text() == "2 matches"
    assert 0 < highlighted_pixels(small) < lit
    qtbot.keyClick(panel.find_edit, Qt.Key.Key_Return)  # the first one shown
    assert panel.status.text() == "1 of 2"
    qtbot.keyClick(small, Qt.Key.Key_F3)
    assert panel.status.text() == "2 of 2"
    panel.find_edit.setFocus()
    qtbot.keyClicks(panel.find_edit, "zz")
    assert panel.status.text() == "No matches"
    assert highlighted_pixels(small) == 0
    panel.find_edit.clear()
    assert panel.status.text() == "" and highlighted_pixels(small) == 0


def test_find_count_follows_replace_all_and_undo(qtbot, small: MainWindow) -> None:
    panel = small.find_panel
    qtbot.keyClick(small.view, Qt.Key.Key_H, CTRL)
    qtbot.keyClicks(panel.find_edit, "boat")
    panel.replace_edit.setText("ship")
    qtbot.mouseClick(panel.replace_all_button, Qt.MouseButton.LeftButton)
    assert panel.status.text().startswith("Replaced 3 occurrences")
    assert highlighted_pixels(small) == 0
    qtbot.keyClick(small.view, Qt.Key.Key_Z, CTRL)
    assert panel.status.text() == "3 matches"
    assert highlighted_pixels(small) > 50
    small.find_dock.close()  # closing the panel takes the highlights away
    assert highlighted_pixels(small) == 0


# -- context menus: the actions, with their shortcuts ------------------------------------


def right_click(qtbot, widget, pos) -> list:
    """Right-click at pos; the menu that pops up is closed as it shows and returned."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QCursor
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMenu

    shown: list[QMenu] = []

    def close_popup() -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            shown.append(menu)
            menu.close()

    closer = QTimer()
    closer.setInterval(20)
    closer.timeout.connect(close_popup)
    closer.start()
    try:
        # Through the window, as the platform delivers it: that is where Qt makes the
        # context menu event (a click sent to the widget itself makes none).
        window = widget.window()
        QCursor.setPos(widget.mapToGlobal(pos))  # Qt places the menu event by the cursor
        # (The delay keeps two right-clicks in a row from being taken as a double click.)
        QTest.mouseClick(
            window.windowHandle(),
            Qt.MouseButton.RightButton,
            pos=widget.mapTo(window, pos),
            delay=QApplication.doubleClickInterval() + 10,
        )
        qtbot.waitUntil(lambda: bool(shown), timeout=2000)
    finally:
        closer.stop()
    assert len(shown) == 1, "no context menu"
    return shown


def items(menu) -> dict[str, object]:
    """Each item's text (without the & and the shown key) -> its action."""
    out = {}
    for action in menu.actions():
        if action.isSeparator():
            continue
        out[action.text().replace("&", "").split("\t")[0]] = action
    return out


def shortcut(action) -> str:
    from PySide6.QtGui import QKeySequence

    shown = action.text().split("\t")[1] if "\t" in action.text() else ""
    return shown or action.shortcut().toString(QKeySequence.SequenceFormat.PortableText)


def assert_shortcuts(found: dict[str, Any], want: dict[str, str], menu: str) -> None:
    """Each item of ``want`` is in the menu, showing its keys."""
    for text, keys in want.items():
        assert text in found, f"{text!r} not in {menu}"
        assert shortcut(found[text]) == keys


def test_passage_menu_lists_actions_with_shortcuts(qtbot, small: MainWindow, monkeypatch) -> None:
    project = small.project
    assert project is not None
    rect = small.view.visualRect(small.model.index(1))
    (menu,) = right_click(qtbot, small.view.viewport(), rect.center())
    assert small.view.currentIndex().row() == 1  # the passage clicked is the one acted on
    found = items(menu)
    want = {
        "Edit passage": "F2",
        "Split passage at cursor": "Ctrl+Return",
        "Split here: the rest is the other speaker's": "Ctrl+Alt+Return",
        "Merge with next passage": "Ctrl+Shift+M",
        "Give passage to the previous speaker": "Ctrl+[",
        "Give passage to the next speaker": "Ctrl+]",
        "Undo": "Ctrl+Z",
        "Redo": "Ctrl+Shift+Z",
    }
    assert_shortcuts(found, want, "the passage menu")
    assign = items(found["Assign to speaker"].menu())  # type: ignore[attr-defined]
    assert shortcut(assign["Alice"]) == "Ctrl+1" and shortcut(assign["Bob"]) == "Ctrl+2"
    assert "New speaker for this passage…" in assign
    assert "Accept this change" not in found  # no suggestions here
    # Triggering an item does what it says: Bob's passage goes to the previous speaker.
    bob = project.doc.passages[1].speaker_id
    found["Give passage to the previous speaker"].trigger()  # type: ignore[attr-defined]
    assert project.doc.passages[1].speaker_id != bob
    assign["Bob"].trigger()  # type: ignore[attr-defined]
    assert project.doc.passages[1].speaker_id == bob
    assert small.undo_action.isEnabled()


def test_suggestion_menu_accepts_rejects_and_hears(qtbot, demo: MainWindow, monkeypatch) -> None:
    project, first, review = first_reviewed(qtbot, demo)
    assert review is not None and review.hunks
    text = first.text
    rect = demo.view.visualRect(demo.model.index(0))
    (menu,) = right_click(qtbot, demo.view.viewport(), rect.center())
    found = items(menu)
    want = {
        "Accept this change": "Alt+A",
        "Reject this change": "Alt+R",
        "Accept the whole passage": "Alt+Shift+A",
        "Reject the whole passage": "Alt+Shift+R",
        "Play this passage (in review: the focused change)": "Ctrl+Shift+Space",
        "Accept all safe suggestions shown": "Ctrl+Alt+Shift+S",
    }
    assert_shortcuts(found, want, "the menu of a passage with suggestions")
    # Hearing it plays the demo's recording under the passage (no change focused yet).
    assert demo.media.player.file
    spans: list[tuple[float, float]] = []
    monkeypatch.setattr(demo.media.player, "play_span", lambda a, b: spans.append((a, b)))
    found["Play this passage (in review: the focused change)"].trigger()  # type: ignore[attr-defined]
    assert spans and spans[0][0] <= (first.start or 0.0) + 0.01 < spans[0][1]
    before = project.suggestion_counts()
    found["Reject this change"].trigger()  # type: ignore[attr-defined]
    assert project.suggestion_counts()["rejected"] == before["rejected"] + 1
    found["Accept the whole passage"].trigger()  # type: ignore[attr-defined]
    assert not demo._units(demo.review_for(project.passage(first.id)))
    assert project.passage(first.id).text != text


def test_speaker_menu_renames_colours_merges_and_filters(
    qtbot, small: MainWindow, monkeypatch
) -> None:
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QColorDialog, QInputDialog

    project = small.project
    assert project is not None
    tree = small.speakers_panel.tree
    bob = project.doc.speakers[1].id

    def menu_for(name: str) -> dict[str, object]:
        (item,) = tree.findItems(name, Qt.MatchFlag.MatchExactly, 0)
        pos = tree.visualItemRect(item).center()
        (menu,) = right_click(qtbot, tree.viewport(), pos)
        return items(menu)

    found = menu_for("Bob")
    assert list(found) == ["Rename…", "Colour…", "Merge into…", "Show only this speaker"]
    assert small.model.rowCount() == 4  # the right-click itself does not filter
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Robert", True))
    found["Rename…"].trigger()  # type: ignore[attr-defined]
    assert project.doc.speaker_by_id(bob).name == "Robert"
    assert small.undo_action.isEnabled()
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor("#abcdef"))
    menu_for("Robert")["Colour…"].trigger()  # type: ignore[attr-defined]
    assert project.doc.speaker_by_id(bob).color == "#abcdef"
    menu_for("Robert")["Show only this speaker"].trigger()  # type: ignore[attr-defined]
    assert small.model.rowCount() == 2 and small.filter_bar.isVisible()
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Alice", True))
    menu_for("Robert")["Merge into…"].trigger()  # type: ignore[attr-defined]
    assert [s.name for s in project.doc.speakers] == ["Alice"]
    assert small.model.rowCount() == 4
    # One speaker left: nothing to merge into, on the button as in the menu (the button
    # looked ready and did nothing).
    panel = small.speakers_panel

    def click(name: str) -> None:
        (item,) = tree.findItems(name, Qt.MatchFlag.MatchExactly, 0)
        qtbot.mouseClick(
            tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center()
        )

    click("Alice")
    assert panel.rename_button.isEnabled() and not panel.merge_button.isEnabled()
    assert not menu_for("Alice")["Merge into…"].isEnabled()  # type: ignore[attr-defined]
    from PySide6.QtWidgets import QToolBar

    bar = small.findChild(QToolBar)
    assert bar is not None  # Undo on the toolbar: two speakers again
    qtbot.mouseClick(bar.widgetForAction(small.undo_action), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(project.doc.speakers) == 2)
    click("Alice")
    assert panel.merge_button.isEnabled()


# -- every shortcut in the shortcuts table, pressed ---------------------------------------


def press(qtbot, win: MainWindow, sequence) -> None:
    """Press a key sequence's first chord on whatever has the focus, as a user would."""
    from PySide6.QtWidgets import QApplication

    chord = sequence[0]
    target = QApplication.focusWidget() or win.view
    qtbot.keyClick(target, chord.key(), chord.keyboardModifiers())


def table_rows(win: MainWindow) -> list[tuple[str, str]]:
    from widgets.shortcuts_dialog import ShortcutsDialog

    dialog = ShortcutsDialog(win.actions(), win)
    table = dialog.table
    rows = [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())]
    dialog.deleteLater()
    return rows


def test_every_shortcut_in_the_table_runs_its_action(qtbot, small: MainWindow, monkeypatch) -> None:
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog

    # Whatever asks is answered "cancel": the key must reach the action, not change things.
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", False))
    monkeypatch.setattr(QDialog, "exec", lambda self: 0)
    rows = table_rows(small)
    assert len(rows) >= 40
    by_text = {a.text().replace("&", ""): a for a in small.actions() if a.shortcuts()}
    leaves_the_window = {"Quit", "Close project"}
    missed = []
    disabled: set[str] = set()
    for name, _keys in rows:
        action = by_text[name]
        if name in leaves_the_window:
            continue
        for sequence in action.shortcuts():
            fired: list[bool] = []

            def spy(*_: object, fired: list[bool] = fired) -> None:
                fired.append(True)

            action.triggered.connect(spy)
            press(qtbot, small, sequence)
            action.triggered.disconnect(spy)
            if not fired and not action.isEnabled():
                disabled.add(name)  # nothing to undo or redo yet: tested with history below
            elif not fired:
                missed.append(
                    f"{name} ({sequence.toString(QKeySequence.SequenceFormat.PortableText)})"
                )
            small.view.setFocus()
    assert missed == [], "keys that did nothing: " + ", ".join(missed)
    assert disabled <= {"Undo", "Redo"}


def test_each_kind_of_command_by_its_key_and_the_undo_state_at_once(
    qtbot, small: MainWindow, monkeypatch
) -> None:
    """Each command run from its key: its result, and Undo/Redo enabled as they should be
    right after it (no event-loop turn in between)."""
    from PySide6.QtWidgets import QInputDialog

    from tests.test_gui_user import undo_redo

    project = small.project
    assert project is not None
    passages = project.doc.passages
    alice, bob = (s.id for s in project.doc.speakers)
    ENTER = Qt.Key.Key_Return

    # Typing (F2, then keys): undoable at once, before the pause commits it.
    editor = open_editor(qtbot, small, 0)
    qtbot.keyClicks(editor, " Right")
    assert undo_redo(small) == (True, False)
    # Split at the cursor (Ctrl+Return), from inside the editor.
    cursor = editor.textCursor()
    cursor.setPosition(passages[0].text.index("Today"))
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, ENTER, CTRL)
    assert len(project.doc.passages) == 5 and project.doc.passages[1].text.startswith("Today")
    assert project.doc.passages[1].text.endswith("Right")
    assert undo_redo(small) == (True, False)
    # Undo (Ctrl+Z) and redo (Ctrl+Shift+Z, Ctrl+Y).
    key(qtbot, small, Qt.Key.Key_Z, CTRL)
    assert len(project.doc.passages) == 4
    assert undo_redo(small) == (True, True)
    key(qtbot, small, Qt.Key.Key_Z, CTRL | SHIFT)
    assert len(project.doc.passages) == 5
    assert undo_redo(small) == (True, False)
    key(qtbot, small, Qt.Key.Key_Z, CTRL)
    key(qtbot, small, Qt.Key.Key_Y, CTRL)
    assert len(project.doc.passages) == 5
    assert undo_redo(small) == (True, False)
    # Merge with the next passage (Ctrl+Shift+M).
    small.view.setFocus()
    select_row(qtbot, small, 0)
    key(qtbot, small, Qt.Key.Key_M, CTRL | SHIFT)
    assert len(project.doc.passages) == 4 and "Today" in project.doc.passages[0].text
    assert undo_redo(small) == (True, False)
    # Assign to the second speaker (Ctrl+2), and back with Ctrl+[ (the previous speaker).
    key(qtbot, small, Qt.Key.Key_2, CTRL)
    assert project.doc.passages[0].speaker_id == bob
    key(qtbot, small, Qt.Key.Key_BracketLeft, CTRL)
    assert project.doc.passages[0].speaker_id == alice
    key(qtbot, small, Qt.Key.Key_BracketRight, CTRL)
    assert project.doc.passages[0].speaker_id == bob
    assert undo_redo(small) == (True, False)
    # A new speaker for this passage (Ctrl+Shift+N): one step.
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Carol", True))
    key(qtbot, small, Qt.Key.Key_N, CTRL | SHIFT)
    assert project.doc.speaker_by_id(project.doc.passages[0].speaker_id).name == "Carol"
    assert undo_redo(small) == (True, False)
    key(qtbot, small, Qt.Key.Key_Z, CTRL)
    assert [s.name for s in project.doc.speakers] == ["Alice", "Bob"]
    assert undo_redo(small) == (True, True)
    # Split where the other speaker takes over (Ctrl+Alt+Return).
    editor = open_editor(qtbot, small, 1, at=project.doc.passages[1].text.index("I have"))
    qtbot.keyClick(editor, ENTER, CTRL | ALT)
    assert project.doc.passages[2].text.startswith("I have")
    assert project.doc.passages[2].speaker_id != project.doc.passages[1].speaker_id
    assert undo_redo(small) == (True, False)
    # Replace all (Ctrl+H, then the panel's button).
    small.view.setFocus()
    key(qtbot, small, Qt.Key.Key_H, CTRL)
    panel = small.find_panel
    qtbot.keyClicks(panel.find_edit, "boat")
    panel.replace_edit.setText("ship")
    qtbot.mouseClick(panel.replace_all_button, Qt.MouseButton.LeftButton)
    assert not any("boat" in p.text for p in project.doc.passages)
    assert undo_redo(small) == (True, False)
    key(qtbot, small, Qt.Key.Key_Z, CTRL)
    assert undo_redo(small) == (True, True)
    assert any("boat" in p.text for p in project.doc.passages)


def test_accept_and_reject_keys_and_the_undo_state_at_once(qtbot, demo: MainWindow) -> None:
    from tests.test_gui_user import undo_redo

    project = demo.project
    assert project is not None
    run_offline(qtbot, demo)
    assert undo_redo(demo) == (False, False)  # suggestions are not edits
    select_row(qtbot, demo, 0)
    key(qtbot, demo, Qt.Key.Key_F7)
    key(qtbot, demo, Qt.Key.Key_F7)
    before = project.suggestion_counts()
    key(qtbot, demo, Qt.Key.Key_A, ALT)
    assert project.suggestion_counts()["pending"] <= before["pending"]
    assert undo_redo(demo) == (True, False)
    key(qtbot, demo, Qt.Key.Key_F7)
    key(qtbot, demo, Qt.Key.Key_R, ALT)
    assert undo_redo(demo) == (True, False)
    key(qtbot, demo, Qt.Key.Key_Z, CTRL)
    assert undo_redo(demo) == (True, True)
    key(qtbot, demo, Qt.Key.Key_Z, CTRL)
    assert undo_redo(demo) == (False, True)
    assert project.suggestion_counts() == before


def test_a_panel_button_enables_undo_at_once(qtbot, small: MainWindow, monkeypatch) -> None:
    """No event-loop turn between the click and the check: the store tells the window after
    its stacks are updated."""
    from PySide6.QtWidgets import QInputDialog

    from tests.test_gui_user import click_speaker

    click_speaker(qtbot, small, "Alice")
    assert not small.undo_action.isEnabled()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Alicia", True))
    qtbot.mouseClick(small.speakers_panel.rename_button, Qt.MouseButton.LeftButton)
    assert small.undo_action.isEnabled() and not small.redo_action.isEnabled()
