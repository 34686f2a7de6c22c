"""Issue 11, three gaps: find highlights in every view of a passage (plain rows, the diff of
changes or of a suggestion, the open editor); the suggestion menu acting on the change under
the mouse; review progress counting the last assist run's suggestions.

Driven as a user drives the window (keys, clicks, right-clicks, the menu's items) on the
bundled demo or on the small transcript the user tests write, so a fresh clone runs it all.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QStyle, QStyleOptionButton

from assist.hunks import apply_hunks
from editor.store import Project
from tests import test_gui_user as user
from tests.test_gui_handwork import items, right_click
from tests.test_gui_user import (
    ALT,
    CTRL,
    SHIFT,
    TWO_SPEAKERS,
    first_reviewed,
    make_window,
    run_offline,
    select_row,
)
from widgets.main_window import MainWindow
from widgets.passage_view import FIND_BG, _diff_parts

settings_dir = user.settings_dir
demo = user.demo
small = user.small


def lit(widget, area: QRect | None = None) -> int:
    """Pixels (every other one, each way) drawn in the find highlight's colour."""
    want = QColor(FIND_BG[0]).rgb()
    image = widget.grab().toImage()
    box = area if area is not None else image.rect()
    return sum(
        1
        for y in range(max(0, box.top()), min(image.height(), box.bottom()), 2)
        for x in range(max(0, box.left()), min(image.width(), box.right()), 2)
        if image.pixel(x, y) == want
    )


def edited_column(win: MainWindow, row: int) -> QRect:
    index = win.model.index(row)
    rect = win.view.visualRect(index)
    passage = win.model.passage(row)
    assert passage is not None
    _, _, edit, _ = win.view.delegate.columns(rect, passage)
    return edit.intersected(win.view.viewport().rect())


def type_into(qtbot, win: MainWindow, row: int, text: str) -> None:
    """Open the passage's editor (F2), type at its end, and leave it (Escape)."""
    select_row(qtbot, win, row)
    qtbot.keyClick(win.view, Qt.Key.Key_F2)
    editor = win.view.current_editor()
    assert editor is not None
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    passage = win.model.passage(row)
    assert win.project is not None and passage is not None
    pid = passage.id
    qtbot.waitUntil(lambda: win.project.passage(pid).text.endswith(text), timeout=5000)


def find(qtbot, win: MainWindow, text: str) -> None:
    qtbot.keyClick(win.view, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(win.find_panel.find_edit, text)


# -- find highlights: plain rows, diff rows, the open editor ---------------------------


def test_find_highlights_rows_showing_changes(qtbot, small: MainWindow) -> None:
    project = small.project
    assert project is not None
    type_into(qtbot, small, 1, " Boats again.")  # an edit: the row now has changes to show
    qtbot.keyClick(small.view, Qt.Key.Key_D, CTRL)  # Show changes
    assert small.changes_action.isChecked()
    column = edited_column(small, 1)
    assert lit(small.view.viewport(), column) == 0
    find(qtbot, small, "boats")
    # Both matches in the row drawn as a diff are lit, the typed one (an insertion) too.
    qtbot.waitUntil(lambda: lit(small.view.viewport(), column) > 40)
    both = lit(small.view.viewport(), column)
    small.find_panel.whole_word.setChecked(True)
    small.find_panel.case_sensitive.setChecked(True)  # now only "boats", not "Boats"
    qtbot.waitUntil(lambda: 0 < lit(small.view.viewport(), column) < both)
    small.find_dock.close()
    qtbot.waitUntil(lambda: lit(small.view.viewport(), column) == 0)


def test_find_highlights_rows_with_a_suggestion(qtbot, demo: MainWindow) -> None:
    _, first, review = first_reviewed(qtbot, demo)
    assert review is not None and review.hunks  # drawn as the suggestion's diff
    word = max(first.text.split(), key=len).strip(".,?!")
    column = edited_column(demo, 0)
    assert lit(demo.view.viewport(), column) == 0
    find(qtbot, demo, word)
    qtbot.waitUntil(lambda: lit(demo.view.viewport(), column) > 20)


def test_find_highlights_in_the_open_editor_as_you_type(qtbot, small: MainWindow) -> None:
    find(qtbot, small, "boat")
    assert small.find_panel.status.text() == "3 matches"
    select_row(qtbot, small, 1)  # "I have mended boats for twenty years"
    qtbot.keyClick(small.view, Qt.Key.Key_F2)
    editor = small.view.current_editor()
    assert editor is not None and editor.isVisible()
    qtbot.waitUntil(lambda: lit(editor.viewport()) > 10)
    one = lit(editor.viewport())
    qtbot.keyClicks(editor, " A boat.")  # a match typed in is lit at once
    qtbot.waitUntil(lambda: lit(editor.viewport()) > one * 1.5)
    small.find_panel.find_edit.clear()  # nothing looked for: nothing lit
    qtbot.waitUntil(lambda: lit(editor.viewport()) == 0)


# -- the suggestion menu acts on the change under the mouse -----------------------------


def point_of_hunk(win: MainWindow, row: int, hunk: int) -> QPoint:
    """Where the middle of a suggested change is drawn, as a user sees it."""
    passage = win.model.passage(row)
    assert passage is not None
    review = win.review_for(passage)
    assert review is not None and review.proposed
    delegate = win.view.delegate
    _, _, edit, _ = delegate.columns(win.view.visualRect(win.model.index(row)), passage)
    layout, _ = delegate._text_layout(passage, "edited", edit.width())
    op, chunk, pos, _ = next(
        p for p in _diff_parts(passage.text, review.proposed) if p[3] == hunk and p[0] in (-1, 1)
    )
    # A letter of it, not a space: a space at the end of a line is drawn nowhere.
    letters = [i for i, c in enumerate(chunk) if not c.isspace()]
    at = pos + letters[len(letters) // 2]
    line = layout.lineForTextPosition(at)
    found: Any = line.cursorToX(at)  # (x, position) in PySide6
    x = float(found[0] if isinstance(found, tuple) else found)
    return QPoint(int(edit.left() + x) + 1, int(edit.top() + line.y() + line.height() / 2))


def test_right_click_on_a_change_accepts_that_change(qtbot, demo: MainWindow) -> None:
    project, first, review = first_reviewed(qtbot, demo)
    assert review is not None and review.speakers and len(review.hunks) >= 2
    text, name = first.text, project.doc.speaker_by_id(first.speaker_id).name
    # Nothing focused, Accept would take the speaker decision (Alt+A's first): the second
    # text change right-clicked is the one the menu acts on.
    (menu,) = right_click(qtbot, demo.view.viewport(), point_of_hunk(demo, 0, 1))
    assert demo.view.hunk_focus == (first.id, 1)
    items(menu)["Accept this change"].trigger()  # type: ignore[attr-defined]
    after = project.passage(first.id)
    assert after.text == apply_hunks(text, review.hunks, {1})
    assert project.doc.speaker_by_id(after.speaker_id).name == name  # speaker untouched
    # The first change, right-clicked and rejected: the text stays, one change fewer.
    (menu,) = right_click(qtbot, demo.view.viewport(), point_of_hunk(demo, 0, 0))
    again = demo.review_for(after)
    assert again is not None and demo.view.hunk_focus == (first.id, 0)
    items(menu)["Reject this change"].trigger()  # type: ignore[attr-defined]
    assert project.passage(first.id).text == after.text
    assert len(demo.review_for(project.passage(first.id)).hunks) == len(again.hunks) - 1  # type: ignore[union-attr]


# -- review progress: the last run's suggestions ----------------------------------------


def test_progress_counts_the_last_run_not_the_whole_project(qtbot, demo: MainWindow) -> None:
    project = demo.project
    assert project is not None
    run_offline(qtbot, demo)
    first_run = project.suggestion_counts()["pending"]
    assert first_run > 2
    panel = demo.assist_panel.status
    assert f"0 of {first_run} reviewed in the last run" in panel.text()
    # Every suggestion rejected (Ctrl+Alt+Shift+R), then one passage edited by hand: a second
    # run asks only about that passage.
    qtbot.keyClick(demo.view, Qt.Key.Key_R, CTRL | ALT | SHIFT)
    assert project.suggestion_counts()["pending"] == 0
    assert f"{first_run} of {first_run} reviewed" in panel.text()
    type_into(qtbot, demo, 1, " Um, so yeah.")
    run_offline(qtbot, demo)
    second_run = project.suggestion_counts()["pending"]
    assert 0 < second_run < first_run
    assert f"0 of {second_run} reviewed in the last run" in panel.text()
    qtbot.waitUntil(lambda: f"0 of {second_run} reviewed" in demo.status_counts.text())
    qtbot.keyClick(demo.view, Qt.Key.Key_F7)  # the edited passage's first suggestion
    qtbot.keyClick(demo.view, Qt.Key.Key_A, ALT)
    assert f"1 of {second_run} reviewed in the last run" in panel.text()
    qtbot.waitUntil(lambda: f"1 of {second_run} reviewed" in demo.status_counts.text())


def test_progress_is_kept_with_the_project(qtbot, settings_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "two.txt"
    source.write_text(TWO_SPEAKERS.replace("Thanks", "Um, thanks, you know,"), encoding="utf-8")
    path = str(tmp_path / "two.tedit")
    win = make_window(qtbot)
    assert win.open_file(str(source), path)
    project = win.project
    assert project is not None
    # A project no run was recorded in (made before this, or never run): the whole project.
    project.add_suggestions([_suggestion(project)])
    qtbot.waitUntil(lambda: "0 of 1 reviewed in this project" in win.status_counts.text())
    run_offline(qtbot, win)
    made = project.suggestion_counts()["pending"]
    assert made >= 1
    qtbot.waitUntil(lambda: "reviewed in the last run" in win.status_counts.text())
    shown = win.assist_panel.status.text().split("\n")[0]
    win.close()
    again = make_window(qtbot)
    assert again.open_file(path)
    assert again.assist_panel.status.text().split("\n")[0] == shown


def _suggestion(project: Project) -> dict:
    p = project.doc.passages[3]
    return {
        "passage_id": p.id,
        "kind": "readability",
        "base_text": p.text,
        "proposed": p.text.replace("small", "little"),
        "speaker_id": None,
        "status": "pending",
        "model": "test",
        "prompt_version": "t",
        "level": "light",
        "flags": "[]",
        "error": None,
        "created": 1.0,  # long before any run
    }


def test_a_cancelled_run_resumed_keeps_its_start(tmp_path: Path) -> None:
    from editor.importing import load_transcript

    source = tmp_path / "two.txt"
    source.write_text(TWO_SPEAKERS, encoding="utf-8")
    project = Project.create(tmp_path / "two.tedit", load_transcript(source))
    try:
        assert project.last_run() is None
        start = project.run_started()
        assert project.run_started() == start  # not finished: a resume, same run
        project.run_finished()
        later = project.run_started()
        assert later >= start and project.last_run() == {"started": later, "finished": False}
        old = _suggestion(project)
        project.add_suggestions([old, {**_suggestion(project), "kind": "x", "created": later}])
        assert project.suggestion_counts()["pending"] == 2
        assert project.suggestion_counts(since=later)["pending"] == 1
    finally:
        project.close()


# -- hostile patterns in Find ---------------------------------------------------------------


def _regex_find(qtbot, win: MainWindow, pattern: str) -> None:
    win.activateWindow()
    qtbot.waitUntil(lambda: win.isActiveWindow())
    qtbot.keyClick(win.view, Qt.Key.Key_F, CTRL)
    panel = win.find_panel
    qtbot.waitUntil(panel.regex.isVisible)
    if not panel.regex.isChecked():  # a click on the box itself, as a user ticks it
        box = panel.regex.style().subElementRect(
            QStyle.SubElement.SE_CheckBoxIndicator, QStyleOptionButton(), panel.regex
        )
        qtbot.mouseClick(panel.regex, Qt.MouseButton.LeftButton, pos=box.center())
    assert panel.regex.isChecked()
    panel.find_edit.clear()
    qtbot.keyClicks(panel.find_edit, pattern)


def test_a_runaway_pattern_does_not_freeze_the_window(qtbot, small: MainWindow) -> None:
    """Typed key by key, "(a+)+$" over a long run of a's backtracked for seconds on every
    key (with "(\\w+\\s?)+$" the window froze for good)."""
    import time

    project = small.project
    assert project is not None
    from editor.commands import EditText

    first = project.doc.passages[0]
    small.execute(EditText(first.id, "a" * 26 + "!"))
    started = time.monotonic()
    _regex_find(qtbot, small, "(a+)+$")
    assert time.monotonic() - started < 3
    assert small.find_panel.status.text() == "No matches"


def test_empty_matches_are_neither_counted_nor_replaced(qtbot, small: MainWindow) -> None:
    """The panel counted "x*" without its empty matches; Replace all replaced them too,
    putting "Y" between every two letters of every passage."""
    project = small.project
    assert project is not None
    before = [p.text for p in project.doc.passages]
    _regex_find(qtbot, small, "e*")
    panel = small.find_panel
    counted = int(panel.status.text().split()[0])
    assert counted > 0
    panel.replace_edit.setText("E")
    qtbot.mouseClick(panel.replace_all_button, Qt.MouseButton.LeftButton)
    import re

    after = [p.text for p in project.doc.passages]
    assert after == [re.sub("e+", "E", t) for t in before]  # each run of e's, nothing between
    assert sum(len(re.findall("e+", t)) for t in before) == counted


def test_a_bad_group_in_replace_one_is_said_not_raised(qtbot, small: MainWindow) -> None:
    """Replace (one) raised "invalid group reference" in a slot and said nothing."""
    _regex_find(qtbot, small, "(o)")
    panel = small.find_panel
    panel.replace_edit.setText(r"\2")
    qtbot.mouseClick(panel.replace_button, Qt.MouseButton.LeftButton)  # finds the first
    qtbot.mouseClick(panel.replace_button, Qt.MouseButton.LeftButton)  # replaces it
    assert panel.status.text().startswith("bad replacement")


def test_a_bad_pattern_is_quoted_as_typed(qtbot, small: MainWindow) -> None:
    _regex_find(qtbot, small, r"(\w+\s")
    assert small.find_panel.status.text().startswith(r"bad regular expression '(\w+\s'")


def test_a_pattern_that_only_matches_empty_text_inserts_where_it_counts(
    qtbot, small: MainWindow
) -> None:
    """ "^" counts one place a passage, and Replace all inserts there (and nowhere else)."""
    project = small.project
    assert project is not None
    before = [p.text for p in project.doc.passages]
    _regex_find(qtbot, small, "^")
    panel = small.find_panel
    assert panel.status.text() == f"{len(before)} matches"
    panel.replace_edit.setText("> ")
    qtbot.mouseClick(panel.replace_all_button, Qt.MouseButton.LeftButton)
    assert [p.text for p in project.doc.passages] == ["> " + t for t in before]


def test_ctrl_h_goes_to_the_replace_field_once_there_is_something_to_find(
    qtbot, small: MainWindow
) -> None:
    """It went to the find field, as Ctrl+F does."""
    from PySide6.QtWidgets import QApplication

    small.activateWindow()
    qtbot.waitUntil(lambda: small.isActiveWindow())
    qtbot.keyClick(small.view, Qt.Key.Key_H, CTRL)
    panel = small.find_panel
    assert QApplication.focusWidget() is panel.find_edit  # nothing to find yet
    qtbot.keyClicks(panel.find_edit, "boat")
    qtbot.keyClick(panel.find_edit, Qt.Key.Key_Escape)
    qtbot.keyClick(small.view, Qt.Key.Key_H, CTRL)
    assert QApplication.focusWidget() is panel.replace_edit
    qtbot.keyClick(small.view, Qt.Key.Key_F, CTRL)
    assert QApplication.focusWidget() is panel.find_edit


@pytest.mark.parametrize("size", [(1280, 800), (800, 600)])
def test_the_match_count_shows_beside_another_panel(
    qtbot, settings_dir: Path, size: tuple[int, int]
) -> None:
    # With AI assist raised in the same column (or the narrow layout's one column), the count
    # at the panel's bottom was behind a scroll bar: 0 to 12 of its 28 pixels showed.
    win = make_window(qtbot, size)
    assert win.open_demo()
    if size[0] < 1000:
        win.compact_docks()  # as a window that narrow has them
    win.assist_dock.show()
    win.assist_dock.raise_()
    qtbot.wait(50)
    win.view.setFocus()
    find(qtbot, win, "the")
    status = win.find_panel.status
    qtbot.waitUntil(lambda: "matches" in status.text())
    qtbot.waitUntil(lambda: status.visibleRegion().boundingRect().height() == status.height())
    assert win.find_panel.find_edit.visibleRegion().boundingRect().height() > 0


CARRY = (
    "Ann: So, um, we met at the harbour in the spring. And then, um, we, like, sailed away "
    "to the islands.\n\nBob: Well, um, that was, like, a long trip for a small boat.\n"
)


def carry_window(qtbot, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    """CARRY opened, with the offline engine's suggestions."""
    source = tmp_path / "carry.txt"
    source.write_text(CARRY, encoding="utf-8")
    win = make_window(qtbot)
    assert win.open_file(str(source), str(tmp_path / "carry.tedit"))
    run_offline(qtbot, win)
    return win


def split_before_and_then(qtbot, win: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """The first passage split with Ctrl+Return in its editor, before "And then"."""
    assert win.project is not None
    select_row(qtbot, win, 0)
    qtbot.keyClick(win.view, Qt.Key.Key_F2)
    editor = win.view.current_editor()
    assert editor is not None
    cursor = editor.textCursor()
    cursor.setPosition(editor.toPlainText().index("And then"))
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: len(win.project.doc.passages) == 3)  # type: ignore[union-attr]


def test_suggested_changes_go_with_a_split_and_a_merge(
    qtbot, settings_dir: Path, tmp_path: Path
) -> None:
    # A split left the second half's changes on the first passage, where they no longer
    # fit: not pending, not stale, never reached. A merge made the next passage's stale.
    win = carry_window(qtbot, tmp_path)
    project = win.project
    assert project is not None

    def changes(row: int) -> str:
        review = win.review_for(project.doc.passages[row])
        assert review is not None
        return " ".join(h.before.strip() for h in review.hunks)

    assert "um" in changes(0) and "like" in changes(0)
    split_before_and_then(qtbot, win)
    assert project.doc.passages[1].text.startswith("And then")
    assert "like" in changes(1) and "um" in changes(1)  # the second half's, on it
    assert "like" not in changes(0) and "um" in changes(0)
    select_row(qtbot, win, 1)
    qtbot.keyClick(win.view, Qt.Key.Key_M, CTRL | SHIFT)  # and "Well, um, …" into it
    qtbot.waitUntil(lambda: len(project.doc.passages) == 2)
    carried = changes(1)
    assert carried.count("um") == 2 and carried.count("like") == 2, carried


def test_a_split_undone_leaves_no_suggestion_counted_where_no_passage_is(
    qtbot, settings_dir: Path, tmp_path: Path
) -> None:
    """The second half's copy of the suggestion stayed after Ctrl+Z took the split back, as
    "1 stale" in the counts and `info --json`, of a passage no list or key could reach. It
    is kept for the redo, which brings it back as it was."""
    win = carry_window(qtbot, tmp_path)
    project = win.project
    assert project is not None
    before = project.suggestion_counts()
    split_before_and_then(qtbot, win)
    assert project.suggestion_counts()["pending"] == before["pending"] + 1
    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: len(project.doc.passages) == 2)
    qtbot.waitUntil(lambda: project.suggestion_counts() == before)  # checked after it
    path = str(project.path)
    shown = subprocess.run(
        [sys.executable, "-m", "entry.cli", "info", path, "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(shown.stdout)["suggestions"] == before
    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL | SHIFT)  # the split again
    qtbot.waitUntil(lambda: len(project.doc.passages) == 3)
    qtbot.waitUntil(lambda: project.suggestion_counts()["pending"] == before["pending"] + 1)
